import type { RetryPolicy } from '../domain/retry-policy.ts';
import type { Logger } from '../observability/logger.ts';
import type { LimitRegistry } from '../registry/registry.ts';
import type { Clock } from '../time/clock.ts';
import type { RandomSource } from '../time/random.ts';

/** What every backend is built from. Two backends given equal options give equal answers. */
export interface BackendOptions {
  clock: Clock;
  /** Retry jitter is drawn from here, one draw per capacity denial. */
  random: RandomSource;
  registry: LimitRegistry;
  retryPolicy?: RetryPolicy;
  /** How long a lease is remembered after it ended (default DEFAULT_LEASE_RETENTION_MS). */
  leaseRetentionMs?: number;
  logger?: Logger;
}

export const DEFAULT_DECREASE_POLL_MS = 1000;
