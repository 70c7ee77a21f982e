import assert from 'node:assert/strict';

import { Given, Then, When } from '@cucumber/cucumber';

import { expandRange } from '../support/parameter-types.ts';
import type { LimiterWorld } from '../support/world.ts';

function rolling(key: string, capacity: number, seconds: number, overage?: string) {
  const definition: Record<string, unknown> = {
    key,
    kind: 'rolling',
    capacity,
    window_seconds: seconds,
  };
  if (overage !== undefined) definition.overage = overage;
  return definition;
}

function concurrency(key: string, capacity: number, seconds: number) {
  return { key, kind: 'concurrency', capacity, timeout_seconds: seconds };
}

/** A Given: the limit must be accepted, or the scenario is not about what it says. */
async function defined(world: LimiterWorld, definition: Record<string, unknown>): Promise<void> {
  const answer = await world.putLimit(definition);
  assert.ok(answer.ok, `defining ${String(definition.key)} failed: ${JSON.stringify(answer)}`);
}

/** Puts the key's last definition again with `change` applied. */
async function change(world: LimiterWorld, key: string, change: Record<string, unknown>) {
  const current = world.definitions.get(key);
  assert.ok(current !== undefined, `"${key}" was not defined in this scenario`);
  return world.putLimit({ ...current, ...change });
}

Given(
  'a rolling limit {string} of {int} per {int} second(s)',
  async function (this: LimiterWorld, key: string, capacity: number, seconds: number) {
    await defined(this, rolling(key, capacity, seconds));
  },
);

Given(
  'a rolling limit {string} of {int} per {int} second(s) with overage {word}',
  async function (
    this: LimiterWorld,
    key: string,
    capacity: number,
    seconds: number,
    overage: string,
  ) {
    await defined(this, rolling(key, capacity, seconds, overage));
  },
);

Given(
  'rolling limits {string} to {string} of {int} per {int} second(s) each',
  async function (
    this: LimiterWorld,
    first: string,
    last: string,
    capacity: number,
    seconds: number,
  ) {
    for (const key of expandRange(first, last)) {
      await defined(this, rolling(key, capacity, seconds));
    }
  },
);

Given(
  'a concurrency limit {string} of {int} with a timeout of {int} second(s)',
  async function (this: LimiterWorld, key: string, capacity: number, seconds: number) {
    await defined(this, concurrency(key, capacity, seconds));
  },
);

When(
  'a rolling limit {string} of {int} per {int} second(s) is defined',
  async function (this: LimiterWorld, key: string, capacity: number, seconds: number) {
    await this.putLimit(rolling(key, capacity, seconds));
  },
);

When(
  'a concurrency limit {string} of {int} with a timeout of {int} second(s) is defined',
  async function (this: LimiterWorld, key: string, capacity: number, seconds: number) {
    await this.putLimit(concurrency(key, capacity, seconds));
  },
);

When(
  'the capacity of {string} is changed to {int}',
  async function (this: LimiterWorld, key: string, capacity: number) {
    await change(this, key, { capacity });
  },
);

Given(
  'the capacity of {string} was changed to {int}',
  async function (this: LimiterWorld, key: string, capacity: number) {
    const answer = await change(this, key, { capacity });
    assert.ok(answer.ok, `changing ${key} failed: ${JSON.stringify(answer)}`);
  },
);

When(
  'the window of {string} is changed to {int} second(s)',
  async function (this: LimiterWorld, key: string, seconds: number) {
    await change(this, key, { window_seconds: seconds });
  },
);

When(
  'the overage of {string} is changed to {word}',
  async function (this: LimiterWorld, key: string, overage: string) {
    await change(this, key, { overage });
  },
);

When(
  '{string} is redefined as a concurrency limit of {int} with a timeout of {int} second(s)',
  async function (this: LimiterWorld, key: string, capacity: number, seconds: number) {
    await this.putLimit(concurrency(key, capacity, seconds));
  },
);

When(
  '{string} is redefined as a rolling limit of {int} per {int} second(s)',
  async function (this: LimiterWorld, key: string, capacity: number, seconds: number) {
    await this.putLimit(rolling(key, capacity, seconds));
  },
);

When('this limit definition is sent: {}', async function (this: LimiterWorld, body: string) {
  await this.putRawLimit(JSON.parse(body));
});

When('this limit definition is sent:', async function (this: LimiterWorld, body: string) {
  await this.putRawLimit(JSON.parse(body));
});

Then(
  'the change is answered with status {string}',
  function (this: LimiterWorld, status: string) {
    assert.deepEqual(this.lastAdmin, { ok: true, status });
  },
);

function refusal(world: LimiterWorld): { error: string; detail?: string } {
  const answer = world.lastAdmin;
  assert.ok(answer !== undefined, 'no limit was put yet');
  assert.ok(!answer.ok, `expected a refusal, got ${JSON.stringify(answer)}`);
  return answer;
}

Then('the change is refused with error {string}', function (this: LimiterWorld, error: string) {
  assert.equal(refusal(this).error, error);
});

function refusedAsInvalid(this: LimiterWorld, detail: string): void {
  const answer = refusal(this);
  assert.deepEqual(
    { error: answer.error, detail: answer.detail },
    { error: 'invalid_request', detail: detail.trim() },
  );
}

Then('the change is refused as invalid with detail {string}', refusedAsInvalid);
Then('the change is refused as invalid with detail:', refusedAsInvalid);
