import assert from 'node:assert/strict';

import { Given } from '@cucumber/cucumber';

import type { LimiterWorld } from '../support/world.ts';

// Given, When and Then are one namespace in cucumber; Given reads well in every position.

Given(
  '{int} millisecond(s) pass/passes',
  async function (this: LimiterWorld, ms: number) {
    await this.advance(ms);
  },
);

Given('{int} second(s) pass/passes', async function (this: LimiterWorld, seconds: number) {
  await this.advance(seconds * 1000);
});

Given(
  'it is {int} millisecond(s) after the start',
  async function (this: LimiterWorld, offsetMs: number) {
    const target = await this.target();
    assert.ok(target.simulatedTime, 'exact instants need simulated time (tag @simulated-time)');

    const elapsedMs = await this.elapsedMs();
    assert.ok(offsetMs >= elapsedMs, `it is already ${elapsedMs} ms after the start`);
    await this.advance(offsetMs - elapsedMs);
  },
);

Given('the clock steps back {int} second(s)', async function (this: LimiterWorld, seconds: number) {
  const target = await this.target();
  assert.ok(target.stepBack !== undefined, 'only a simulated clock can be stepped back');
  target.stepBack(seconds * 1000);
});
