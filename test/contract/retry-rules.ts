/**
 * SEMANTICS.md, "Retry hints". Expected hints come from HintModel (the formula, written apart
 * from src/) with jitter drawn from SeededRandom(seed); the backoff part is also spelled out as
 * literal numbers here, so a wrong formula in both places still fails.
 */
import { expect } from 'vitest';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/domain/retry-policy.ts';
import type { ContractTest } from './backend-contract.ts';
import { concurrency, deniedWith, rolling } from './scenario.ts';

/** ⌊min(cap, b·factor^streak)⌋ for streak 0, 1, 2, ... */
const ROLLING_1S = [100, 150, 225, 337, 506, 759, 1139, 1708, 2562, 3844, 5000, 5000];
const ROLLING_2S = [200, 300, 450, 675, 1012, 1518, 2278, 3417, 5000, 5000];
const ROLLING_60S = [5000, 5000, 5000];
const CONCURRENCY_1S = [50, 100, 200, 400, 800, 1000, 1000];
const CONCURRENCY_5S = [50, 100, 200, 400, 800, 1600, 2000, 2000];

export function retryRules(test: ContractTest): void {
  const cases = [
    ['rolling 1 s: base_ms, grown by 1.5, capped at max_ms', rolling('k', 1, 1), ROLLING_1S],
    ['rolling 2 s: base is a tenth of the window', rolling('k', 1, 2), ROLLING_2S],
    ['rolling 60 s: a long window gives max_ms at once', rolling('k', 1, 60), ROLLING_60S],
    ['concurrency 1 s: doubling, capped at the timeout', concurrency('k', 1, 1), CONCURRENCY_1S],
    ['concurrency 5 s: doubling, capped at max_ms', concurrency('k', 1, 5), CONCURRENCY_5S],
  ] as const;

  for (const [title, definition, backoffs] of cases) {
    test(`hints for ${title}`, async (s) => {
      await s.define(definition);
      await s.hold({ k: 1 });

      const jitterMax =
        definition.kind === 'rolling'
          ? s.ctx.retryPolicy.rolling.jitter_ms
          : s.ctx.retryPolicy.concurrency.jitter_ms;
      for (const [streak, backoff] of backoffs.entries()) {
        expect(s.hints.backoffMs(definition, streak), `model at streak ${streak}`).toBe(backoff);
        const answer = await s.expectCapacityDenial(s.lease(), { k: 1 }, definition);
        expect(answer.retry_after_ms).toBeGreaterThanOrEqual(backoff);
        expect(answer.retry_after_ms).toBeLessThanOrEqual(backoff + jitterMax);
      }
    });
  }

  test('only the failing key’s streak grows', async (s) => {
    const a = rolling('a', 1, 1);
    const b = concurrency('b', 1, 5);
    await s.define(a, b);
    await s.hold({ a: 1, b: 1 });

    await s.expectCapacityDenial(s.lease(), { a: 1, b: 1 }, a); // a: streak 0
    await s.expectCapacityDenial(s.lease(), { a: 1, b: 1 }, a); // a: streak 1
    const first = await s.expectCapacityDenial(s.lease(), { b: 1 }, b); // b: streak 0
    expect(first.retry_after_ms).toBeLessThanOrEqual(50 + 25);
    await s.expectCapacityDenial(s.lease(), { b: 1, a: 1 }, b); // b: streak 1
    const third = await s.expectCapacityDenial(s.lease(), { a: 1 }, a); // a: streak 2
    expect(third.retry_after_ms).toBeGreaterThanOrEqual(225);
  });

  test('an allowed reserve resets the streak of each of its keys', async (s) => {
    const a = rolling('a', 1, 1);
    const b = rolling('b', 1, 2); // still held at 1 000, when a is free again
    await s.define(a, b);
    await s.hold({ a: 1, b: 1 });
    await s.expectCapacityDenial(s.lease(), { a: 1 }, a);
    await s.expectCapacityDenial(s.lease(), { a: 1 }, a);
    await s.expectCapacityDenial(s.lease(), { b: 1 }, b);

    await s.at(1_000);
    await s.hold({ a: 1 }); // resets a, not b

    const again = await s.expectCapacityDenial(s.lease(), { a: 1 }, a);
    expect(again.retry_after_ms).toBeLessThanOrEqual(100 + 50);
    const b2 = await s.expectCapacityDenial(s.lease(), { b: 1 }, b); // b: streak 1
    expect(b2.retry_after_ms).toBeGreaterThanOrEqual(300);
  });

  test('refusals before the capacity check and replays draw nothing', async (s) => {
    const full = rolling('full', 1, 60);
    await s.define(full, rolling('small', 1, 60), rolling('shrinking', 10, 60));
    await s.hold({ full: 1 });
    await s.backend.putLimit(rolling('shrinking', 5, 60));

    const denied = s.lease();
    const first = await s.expectCapacityDenial(denied, { full: 1 }, full);
    expect(await s.reserve(s.lease(), { ghost: 1 })).toEqual(
      deniedWith('unknown_limit_key:ghost', 0),
    );
    expect(await s.reserve(s.lease(), { shrinking: 1 })).toEqual(
      deniedWith('limit_decreasing:shrinking', 10000),
    );
    expect(await s.reserve(s.lease(), { small: 2 })).toEqual(
      deniedWith('exceeds_capacity:small', 0),
    );
    expect(await s.reserve(denied, { full: 1 })).toEqual(first);

    // Had any of those drawn or counted, this hint would differ.
    await s.expectCapacityDenial(s.lease(), { full: 1 }, full);
  });

  const noRollingJitter: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    rolling: { ...DEFAULT_RETRY_POLICY.rolling, jitter_ms: 0 },
  };
  test(
    'a denial draws once even when its jitter is 0',
    async (s) => {
      const tokens = rolling('tokens', 1, 1);
      const slots = concurrency('slots', 1, 5);
      await s.define(tokens, slots);
      await s.hold({ tokens: 1, slots: 1 });

      const exact = await s.expectCapacityDenial(s.lease(), { tokens: 1 }, tokens);
      expect(exact.retry_after_ms).toBe(100);
      await s.expectCapacityDenial(s.lease(), { slots: 1 }, slots);
      await s.expectCapacityDenial(s.lease(), { slots: 1 }, slots);
    },
    { retryPolicy: noRollingJitter },
  );

  const custom: RetryPolicy = {
    concurrency: { base_ms: 10, max_ms: 70, factor: 3, jitter_ms: 5 },
    rolling: { base_ms: 1000, max_ms: 1500, factor: 1.2, jitter_ms: 7, window_fraction: 0.5 },
    decreasing_ms: 10000,
  };
  test(
    'a configured policy is followed',
    async (s) => {
      const tokens = rolling('tokens', 1, 1); // base max(1000, 500) = 1000
      const slots = concurrency('slots', 1, 60);
      await s.define(tokens, slots);
      await s.hold({ tokens: 1, slots: 1 });

      for (const backoff of [1000, 1200, 1440, 1500]) {
        const answer = await s.expectCapacityDenial(s.lease(), { tokens: 1 }, tokens);
        expect(answer.retry_after_ms - backoff).toBeGreaterThanOrEqual(0);
        expect(answer.retry_after_ms - backoff).toBeLessThanOrEqual(7);
      }
      for (const backoff of [10, 30, 70, 70]) {
        const answer = await s.expectCapacityDenial(s.lease(), { slots: 1 }, slots);
        expect(answer.retry_after_ms - backoff).toBeGreaterThanOrEqual(0);
        expect(answer.retry_after_ms - backoff).toBeLessThanOrEqual(5);
      }
    },
    { retryPolicy: custom },
  );
}
