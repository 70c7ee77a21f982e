import assert from 'node:assert/strict';

import { Then } from '@cucumber/cucumber';

import type { LimiterWorld } from '../support/world.ts';

/** The wall-clock time of the last call: it measures the harness and the target together. */
Then(
  'the response is returned within {int} milliseconds',
  function (this: LimiterWorld, limitMs: number) {
    assert.ok(Number.isFinite(this.lastCallMs), 'no call was timed');
    assert.ok(
      this.lastCallMs <= limitMs,
      `the call took ${this.lastCallMs.toFixed(1)} ms, more than ${limitMs} ms`,
    );
    this.log(`answered in ${this.lastCallMs.toFixed(2)} ms`);
  },
);
