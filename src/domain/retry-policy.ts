import type { LimitDefinition } from './limits.ts';
import { randomInt, type RandomSource } from '../time/random.ts';

export interface BackoffPolicy {
  base_ms: number;
  max_ms: number;
  factor: number;
  jitter_ms: number;
}

export interface RollingBackoffPolicy extends BackoffPolicy {
  /** The base grows with the window: max(base_ms, window_fraction · window). */
  window_fraction: number;
}

export interface RetryPolicy {
  concurrency: BackoffPolicy;
  rolling: RollingBackoffPolicy;
  /** The fixed hint while a key waits for a decrease to apply. */
  decreasing_ms: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  concurrency: Object.freeze({ base_ms: 50, max_ms: 2000, factor: 2.0, jitter_ms: 25 }),
  rolling: Object.freeze({
    base_ms: 100,
    max_ms: 5000,
    factor: 1.5,
    jitter_ms: 50,
    window_fraction: 0.1,
  }),
  decreasing_ms: 10000,
});

/**
 * The hint after a capacity denial on `definition`, the key's `streak`-th denial in a row
 * (0 for the first). Exactly one random draw is made per call, even when jitter is 0, so that two
 * backends fed the same seed stay in step.
 */
export function capacityRetryHint(
  policy: RetryPolicy,
  definition: LimitDefinition,
  streak: number,
  random: RandomSource,
): number {
  let base: number;
  let cap: number;
  let backoff: BackoffPolicy;
  if (definition.kind === 'rolling') {
    backoff = policy.rolling;
    const windowMs = 1000 * (definition.window_seconds ?? 0);
    base = Math.max(policy.rolling.base_ms, policy.rolling.window_fraction * windowMs);
    cap = policy.rolling.max_ms;
  } else {
    backoff = policy.concurrency;
    base = policy.concurrency.base_ms;
    cap = Math.min(policy.concurrency.max_ms, 1000 * (definition.timeout_seconds ?? 0));
  }

  const grown = base * backoff.factor ** streak;
  const jitter = randomInt(random, 0, backoff.jitter_ms);
  return Math.floor(Math.min(cap, grown)) + jitter;
}
