import assert from 'node:assert/strict';

import { Given, Then, When } from '@cucumber/cucumber';

import type { ReserveResponse } from '../../src/domain/requests.ts';
import { expandRange } from '../support/parameter-types.ts';
import type { KeyAmount, LimiterWorld } from '../support/world.ts';

function last(world: LimiterWorld): ReserveResponse {
  assert.ok(world.lastReserve !== undefined, 'no reserve was sent yet');
  return world.lastReserve;
}

function latestOf(world: LimiterWorld, lease: string): ReserveResponse {
  const answers = world.answersOf(lease);
  assert.ok(answers.length > 0, `lease ${lease} has not reserved yet`);
  return answers[answers.length - 1]!;
}

function show(answer: ReserveResponse): string {
  return JSON.stringify(answer);
}

function assertAllowed(answer: ReserveResponse): void {
  assert.equal(answer.allowed, true, `expected allowed, got ${show(answer)}`);
  assert.equal(answer.error, '', `an allowed answer has no error: ${show(answer)}`);
  assert.equal(answer.retry_after_ms, 0, `an allowed answer has no hint: ${show(answer)}`);
  assert.ok(answer.reserved_at_unix_ms > 0, `an allowed answer is dated: ${show(answer)}`);
}

/** Denied because a limit had no room: no error string, a hint to wait, nothing dated. */
function assertDeniedForCapacity(answer: ReserveResponse): void {
  assert.equal(answer.allowed, false, `expected a denial, got ${show(answer)}`);
  assert.equal(answer.error, '', `a capacity denial has no error string: ${show(answer)}`);
  assert.ok(answer.retry_after_ms > 0, `a capacity denial has a hint: ${show(answer)}`);
  assert.equal(answer.reserved_at_unix_ms, 0, `a denial is not dated: ${show(answer)}`);
}

function assertDenied(answer: ReserveResponse, error: string): void {
  assert.equal(answer.allowed, false, `expected a denial, got ${show(answer)}`);
  assert.equal(answer.error, error, `unexpected error in ${show(answer)}`);
  assert.equal(answer.reserved_at_unix_ms, 0, `a denial is not dated: ${show(answer)}`);
}

function eachOf(amount: number, first: string, lastKey: string): KeyAmount[] {
  return expandRange(first, lastKey).map((key) => ({ key, amount }));
}

When(
  'lease {word} reserves {amounts}',
  async function (this: LimiterWorld, lease: string, amounts: KeyAmount[]) {
    await this.reserve(lease, amounts);
  },
);

When(
  'lease {word} reserves {int} of each of {string} to {string}',
  async function (this: LimiterWorld, lease: string, amount: number, first: string, to: string) {
    await this.reserve(lease, eachOf(amount, first, to));
  },
);

When(
  'leases {word} to {word} each reserve {amounts}',
  async function (this: LimiterWorld, first: string, to: string, amounts: KeyAmount[]) {
    for (const lease of expandRange(first, to)) await this.reserve(lease, amounts);
  },
);

Given(
  'lease {word} reserved {amounts}',
  async function (this: LimiterWorld, lease: string, amounts: KeyAmount[]) {
    assertAllowed(await this.reserve(lease, amounts));
  },
);

Given(
  'lease {word} was denied {amounts}',
  async function (this: LimiterWorld, lease: string, amounts: KeyAmount[]) {
    assertDeniedForCapacity(await this.reserve(lease, amounts));
  },
);

When('this reserve is sent: {}', async function (this: LimiterWorld, body: string) {
  await this.reserveRaw(JSON.parse(await this.fillLeases(body)));
});

Then('the reserve is allowed', function (this: LimiterWorld) {
  assertAllowed(last(this));
});

Then(
  'the reserve is allowed, reserved at {int} millisecond(s) after the start',
  function (this: LimiterWorld, offsetMs: number) {
    const answer = last(this);
    assertAllowed(answer);
    assert.equal(answer.reserved_at_unix_ms - this.startMs, offsetMs, show(answer));
  },
);

Then('the reserve is allowed with its original reserved time', function (this: LimiterWorld) {
  const answer = last(this);
  assertAllowed(answer);
  const first = this.answersOf(this.lastLease!)[0]!;
  assert.equal(answer.reserved_at_unix_ms, first.reserved_at_unix_ms, show(answer));
});

Then('the reserve is denied for capacity', function (this: LimiterWorld) {
  assertDeniedForCapacity(last(this));
});

Then(
  'the reserve is denied with error {string} and a retry hint of {int} ms',
  function (this: LimiterWorld, error: string, hintMs: number) {
    const answer = last(this);
    assertDenied(answer, error);
    assert.equal(answer.retry_after_ms, hintMs, `unexpected hint in ${show(answer)}`);
  },
);

Then('the reserve is denied with the same answer as the first time', function (this: LimiterWorld) {
  const answers = this.answersOf(this.lastLease!);
  assert.ok(answers.length >= 2, 'the lease was reserved only once');
  assert.equal(answers[0]!.allowed, false, `the first answer allowed: ${show(answers[0]!)}`);
  assert.deepEqual(last(this), answers[0]);
});

function refusedAsInvalid(this: LimiterWorld, detail: string): void {
  const answer = last(this);
  assertDenied(answer, 'invalid_request');
  assert.equal(answer.detail, detail.trim());
}

Then('the reserve is refused as invalid with detail {string}', refusedAsInvalid);
Then('the reserve is refused as invalid with detail:', refusedAsInvalid);

Then('lease {word} is allowed', function (this: LimiterWorld, lease: string) {
  assertAllowed(latestOf(this, lease));
});

Then('lease {word} is denied for capacity', function (this: LimiterWorld, lease: string) {
  assertDeniedForCapacity(latestOf(this, lease));
});

Then('the retry hint is {int} ms', function (this: LimiterWorld, hintMs: number) {
  assert.equal(last(this).retry_after_ms, hintMs, show(last(this)));
});

Then(
  'the retry hint is between {int} and {int} ms',
  function (this: LimiterWorld, lowMs: number, highMs: number) {
    const hint = last(this).retry_after_ms;
    assert.ok(Number.isInteger(hint), `the hint is a whole number: ${show(last(this))}`);
    assert.ok(lowMs <= hint && hint <= highMs, `hint ${hint} ms is not in [${lowMs}, ${highMs}]`);
  },
);

Given('retry jitter is drawn from seed {int}', function (this: LimiterWorld, seed: number) {
  this.seedJitter(seed);
});
