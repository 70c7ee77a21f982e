import assert from 'node:assert/strict';

import { Then, When, type DataTable } from '@cucumber/cucumber';

import type { LimitView } from '../../src/domain/limits.ts';
import type { LimiterWorld } from '../support/world.ts';

async function view(world: LimiterWorld, key: string): Promise<LimitView> {
  const found = await world.getLimit(key);
  assert.ok(found !== undefined, `the limit "${key}" is not found`);
  return found;
}

function usageOf(found: LimitView): { held: number; available: number; debt: bigint } {
  // The read-out is compared exactly: debt is a bigint whatever the target sent.
  return { ...found.usage, debt: BigInt(found.usage.debt) };
}

const DEFINITION_FIELDS = [
  'kind',
  'capacity',
  'window_seconds',
  'timeout_seconds',
  'overage',
  'unit',
  'description',
];

/** Every field a read-out can be checked by, as written in a feature's table. */
function readField(found: LimitView, field: string): string {
  const usage = usageOf(found);
  switch (field) {
    case 'status':
      return found.status;
    case 'pending_decrease_to':
      return found.pending_decrease_to === null ? '' : String(found.pending_decrease_to);
    case 'held':
    case 'available':
    case 'debt':
      return String(usage[field]);
    default: {
      assert.ok(DEFINITION_FIELDS.includes(field), `a limit has no field "${field}"`);
      const value = (found.definition as unknown as Record<string, unknown>)[field];
      return value === undefined ? '' : String(value);
    }
  }
}

Then(
  '{string} shows {int} held and {int} available',
  async function (this: LimiterWorld, key: string, held: number, available: number) {
    const usage = usageOf(await view(this, key));
    assert.deepEqual({ held: usage.held, available: usage.available }, { held, available });
  },
);

Then(
  '{string} shows {int} held, {int} available and a debt of {big}',
  async function (this: LimiterWorld, key: string, held: number, available: number, debt: bigint) {
    assert.deepEqual(usageOf(await view(this, key)), { held, available, debt });
  },
);

Then(
  '{string} has a debt of {big}',
  async function (this: LimiterWorld, key: string, debt: bigint) {
    assert.equal(usageOf(await view(this, key)).debt, debt);
  },
);

Then(
  'the limit {string} reads:',
  async function (this: LimiterWorld, key: string, table: DataTable) {
    const found = await view(this, key);
    const expected = table.rowsHash();
    const fields = Object.keys(expected);
    const actual = Object.fromEntries(fields.map((f) => [f, readField(found, f)]));
    assert.deepEqual(actual, expected);
  },
);

Then(
  'the limit {string} is still decreasing to {int}',
  async function (this: LimiterWorld, key: string, target: number) {
    const found = await view(this, key);
    assert.equal(found.status, 'decreasing');
    assert.equal(found.pending_decrease_to, target);
  },
);

Then(
  'the limit {string} is active with capacity {int}',
  async function (this: LimiterWorld, key: string, capacity: number) {
    const found = await view(this, key);
    const seen = {
      status: found.status,
      capacity: found.definition.capacity,
      pending: found.pending_decrease_to,
    };
    assert.deepEqual(seen, { status: 'active', capacity, pending: null });
  },
);

Then('the limit {string} is not found', async function (this: LimiterWorld, key: string) {
  assert.equal(await this.getLimit(key), undefined);
});

When('the usage of {string} is read', async function (this: LimiterWorld, key: string) {
  await view(this, key);
});
