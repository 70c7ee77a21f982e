import { randomInt, type RandomSource } from '../time/random.ts';

/** Waits after an unknown outcome: doubling from baseMs up to maxMs, plus jitter. */
export interface UnknownOutcomeBackoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_UNKNOWN_BACKOFF: UnknownOutcomeBackoff = Object.freeze({
  baseMs: 50,
  maxMs: 2000,
});

/** The wait before the `attempt`-th retry (1 for the first) of an unknown outcome. */
export function unknownOutcomeDelayMs(
  backoff: UnknownOutcomeBackoff,
  attempt: number,
  jitterMs: number,
  random: RandomSource,
): number {
  const grown = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(grown) + jitter(jitterMs, random);
}

/** A whole number of milliseconds from [0, jitterMs], from the injected source. */
export function jitter(jitterMs: number, random: RandomSource): number {
  return jitterMs <= 0 ? 0 : randomInt(random, 0, jitterMs);
}
