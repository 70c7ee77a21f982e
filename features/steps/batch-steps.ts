import assert from 'node:assert/strict';

import { Then, When, type DataTable } from '@cucumber/cucumber';

import { parseAmounts } from '../support/parameter-types.ts';
import type { LimiterWorld } from '../support/world.ts';

When('a batch reserves:', async function (this: LimiterWorld, table: DataTable) {
  const items = table.hashes().map((row) => ({
    lease: row.lease!,
    requirements: parseAmounts(row.requirements!),
  }));
  await this.reserveBatch(items);
});

When(
  'a batch of {int} leases each reserves {int} of {string}',
  async function (this: LimiterWorld, count: number, amount: number, key: string) {
    const items = Array.from({ length: count }, (_, i) => ({
      lease: `batch-${i}`,
      requirements: [{ key, amount }],
    }));
    await this.reserveBatch(items);
  },
);

When('a batch completes:', async function (this: LimiterWorld, table: DataTable) {
  const items = table.hashes().map((row) => ({
    lease: row.lease!,
    actuals: parseAmounts(row.actuals ?? ''),
  }));
  await this.completeBatch(items);
});

Then('the batch answers:', function (this: LimiterWorld, table: DataTable) {
  const answers = this.lastReserveBatch;
  assert.ok(answers !== undefined, 'no batch was sent');
  const rows = table.hashes();
  assert.equal(answers.length, rows.length, 'one answer per item');

  rows.forEach((row, i) => {
    const answer = answers[i]!;
    const seen: Record<string, string> = {
      lease: row.lease!,
      allowed: String(answer.allowed),
      error: answer.error,
    };
    if ('detail' in row) seen.detail = answer.detail ?? '';
    assert.deepEqual(seen, row, `item ${i}: ${JSON.stringify(answer)}`);

    // A capacity denial always carries a hint; an allowed item never does.
    if (answer.allowed) assert.equal(answer.retry_after_ms, 0);
    else if (answer.error === '') assert.ok(answer.retry_after_ms > 0);
  });
});

Then(
  'the first {int} answers of the batch are allowed and the other {int} denied for capacity',
  function (this: LimiterWorld, allowedCount: number, deniedCount: number) {
    const answers = this.lastReserveBatch;
    assert.ok(answers !== undefined, 'no batch was sent');
    assert.equal(answers.length, allowedCount + deniedCount);
    answers.forEach((answer, i) => {
      const expected = i < allowedCount;
      assert.equal(answer.allowed, expected, `item ${i}: ${JSON.stringify(answer)}`);
      if (!expected) assert.equal(answer.error, '', `item ${i}: ${JSON.stringify(answer)}`);
    });
  },
);

Then('every complete in the batch is ok', function (this: LimiterWorld) {
  const answers = this.lastCompleteBatch;
  assert.ok(answers !== undefined, 'no batch was sent');
  answers.forEach((answer, i) => assert.deepEqual(answer, { ok: true, error: '' }, `item ${i}`));
});
