import type { LimitView } from '../../src/domain/limits.ts';
import type { ReserveResponse } from '../../src/domain/requests.ts';

/** Counts of one run, from the first target's answers (the others must agree). */
export interface RunStats {
  operations: number;
  reserves: number;
  allowed: number;
  /** Denied for capacity (error ""). */
  denied: number;
  /** Refused for another reason (unknown key, decreasing, exceeds capacity, replays, ...). */
  refused: number;
  completes: number;
  firstAtMs: number;
  lastAtMs: number;
  /** Sum of every key's debt at the end of the run, as read out. */
  debt: bigint;
  /** Operations whose answers were not compared because a one-sided fault came before. */
  relaxedOperations: number;
}

export function emptyStats(): RunStats {
  return {
    operations: 0,
    reserves: 0,
    allowed: 0,
    denied: 0,
    refused: 0,
    completes: 0,
    firstAtMs: 0,
    lastAtMs: 0,
    debt: 0n,
    relaxedOperations: 0,
  };
}

/** What a report wants to see as the run goes, from the first target. */
export interface RunObserver {
  /** Every reserve answer, at its instant. */
  reserveAnswered?(atMs: number, answer: ReserveResponse): void;
  /** Read-outs of every key, taken on ticks at multiples of `sampleEveryMs`. */
  readonly sampleEveryMs?: number;
  sampled?(atMs: number, views: ReadonlyMap<string, LimitView>): void;
}
