import type { Limiter } from '../../../src/client/limiter.ts';
import type { LimitView } from '../../../src/domain/limits.ts';
import type { PutLimitResponse } from '../../../src/domain/requests.ts';
import type { Clock } from '../../../src/time/clock.ts';

/** The targets a feature run can drive; each has a cucumber profile of the same name. */
export const TARGET_NAMES = ['memory', 'tigerbeetle-sim', 'http', 'tigerbeetle-real'] as const;

export type TargetName = (typeof TARGET_NAMES)[number];

export function isTargetName(value: unknown): value is TargetName {
  return typeof value === 'string' && (TARGET_NAMES as readonly string[]).includes(value);
}

/** What a put of a definition answered, as a user of the admin API sees it. */
export type AdminAnswer = PutLimitResponse;

/**
 * One implementation under test, seen only through what a user can reach: a Limiter for reserve
 * and complete, the admin put, and the usage read-out. Steps never reach past this.
 */
export interface Target {
  readonly name: TargetName;

  /** The clock the implementation reads (fake on simulated targets). */
  readonly clock: Clock;

  /** True when time only moves through `advance`, so exact instants can be asserted. */
  readonly simulatedTime: boolean;

  readonly limiter: Limiter;

  /** Sends a definition as a user would (checked first, as the server checks it). */
  putLimit(definition: unknown): Promise<AdminAnswer>;

  /** The definition, status and usage now, or undefined when the key is not known. */
  getLimit(key: string): Promise<LimitView | undefined>;

  /** Moves time forward by `ms`, running ticks at the instants the owner of the backend would. */
  advance(ms: number): Promise<void>;

  /**
   * Sets the clock back by `ms`, as a host clock that steps back would (simulated time only).
   * No tick runs: nothing is due in the past.
   */
  stepBack?(ms: number): void;

  close(): Promise<void>;
}

/** What every target is built from, so that all targets see the same jitter and start. */
export interface TargetSettings {
  /** Seed of the retry-jitter source handed to the backend. */
  jitterSeed: number;
  /** Where simulated time starts (a multiple of the tick period). */
  startMs: number;
}
