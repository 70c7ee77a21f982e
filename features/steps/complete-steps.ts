import assert from 'node:assert/strict';

import { Given, Then, When } from '@cucumber/cucumber';

import type { CompleteResponse } from '../../src/domain/requests.ts';
import type { KeyAmount, LimiterWorld } from '../support/world.ts';

function last(world: LimiterWorld): CompleteResponse {
  assert.ok(world.lastComplete !== undefined, 'no complete was sent yet');
  return world.lastComplete;
}

When('lease {word} completes', async function (this: LimiterWorld, lease: string) {
  await this.complete(lease, []);
});

When(
  'lease {word} completes with {amounts}',
  async function (this: LimiterWorld, lease: string, actuals: KeyAmount[]) {
    await this.complete(lease, actuals);
  },
);

Given('lease {word} completed', async function (this: LimiterWorld, lease: string) {
  assert.deepEqual(await this.complete(lease, []), { ok: true, error: '' });
});

Given(
  'lease {word} completed with {amounts}',
  async function (this: LimiterWorld, lease: string, actuals: KeyAmount[]) {
    assert.deepEqual(await this.complete(lease, actuals), { ok: true, error: '' });
  },
);

When('this complete is sent: {}', async function (this: LimiterWorld, body: string) {
  await this.completeRaw(JSON.parse(await this.fillLeases(body)));
});

Then('the complete is ok', function (this: LimiterWorld) {
  assert.deepEqual(last(this), { ok: true, error: '' });
});

Then(
  'the complete is refused as invalid with detail {string}',
  function (this: LimiterWorld, detail: string) {
    assert.deepEqual(last(this), { ok: false, error: 'invalid_request', detail });
  },
);
