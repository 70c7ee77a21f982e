import type { Backend } from '../../src/backends/backend.ts';
import type { LimitView } from '../../src/domain/limits.ts';
import type { RetryPolicy } from '../../src/domain/retry-policy.ts';
import type { LimitRegistry } from '../../src/registry/registry.ts';
import type { FakeClock } from '../../src/time/fake-clock.ts';
import type { RandomSource } from '../../src/time/random.ts';

/** What every target of one run is built from; equal contexts give equal backends. */
export interface TargetContext {
  startMs: number;
  /** Seed of each backend's own jitter source. */
  seed: number;
  retryPolicy: RetryPolicy;
  leaseRetentionMs: number;
}

/**
 * One backend under test, with its own clock, registry and jitter source, plus the faults it can
 * suffer. Only a TigerBeetle target restarts or loses its cluster.
 */
export interface SimTarget {
  /** Unique within a run (`memory`, `tigerbeetle`, `memory#2`, ...). */
  readonly name: string;
  readonly clock: FakeClock;
  readonly registry: LimitRegistry;
  readonly random: RandomSource;
  readonly backend: Backend;
  /**
   * Whether an answer may wait on this target's clock (a cluster behind a bounded wait). A
   * target that never does is simply awaited, which is cheaper.
   */
  readonly waitsOnClock: boolean;
  /** A new backend process over the same cluster and registry; undefined: cannot restart. */
  restart?(): Promise<void>;
  /** Cuts the cluster off until `untilMs` on this target's clock; undefined: has no cluster. */
  cutOff?(untilMs: number): void;
  /**
   * Read-outs of several keys at the current instant, each exactly as `backend.getLimit` would
   * give it; undefined: the engine reads one key at a time.
   */
  readMany?(keys: readonly string[]): Promise<Array<LimitView | undefined>>;
  /** Whether requests reach the cluster now (always true without a cluster). */
  reachable(): boolean;
  close(): Promise<void>;
}

export interface TargetFactory {
  /** What `--backends` calls it. */
  readonly kind: string;
  readonly description: string;
  create(name: string, context: TargetContext): Promise<SimTarget>;
}
