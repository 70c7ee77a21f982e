/**
 * Reserve until there is a definite answer, and complete on a best-effort basis. The rules are
 * in reserve-verdict.ts. Everything waits on the injected clock and draws jitter from the
 * injected random source, so tests run it under a FakeClock.
 */
import { BACKEND_ERROR, INVALID_REQUEST } from '../domain/errors.ts';
import type { Actual, CompleteResponse, Requirement } from '../domain/requests.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import type { Clock } from '../time/clock.ts';
import type { RandomSource } from '../time/random.ts';
import {
  DEFAULT_UNKNOWN_BACKOFF,
  jitter,
  unknownOutcomeDelayMs,
  type UnknownOutcomeBackoff,
} from './backoff.ts';
import { sleepOn } from './deadline.ts';
import type { Limiter } from './limiter.ts';
import { ReserveFailedError, reserveVerdict } from './reserve-verdict.ts';

export const DEFAULT_RESERVE_DEADLINE_MS = 60_000;
export const DEFAULT_CLIENT_JITTER_MS = 25;
export const DEFAULT_COMPLETE_ATTEMPTS = 3;

export interface RetryOptions {
  clock: Clock;
  random: RandomSource;
  /** Makes a fresh lease id (a ULID), e.g. `new UlidFactory(clock, random).next`. */
  newLeaseId: () => string;
  /** Gives up when aborted: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Gives up this long after the first attempt (default 60 s) with `deadline_exceeded`. */
  deadlineMs?: number;
  /** Added to every wait, drawn from [0, jitterMs] (default 25). */
  jitterMs?: number;
  unknownBackoff?: UnknownOutcomeBackoff;
  logger?: Logger;
  jobId?: string;
}

export interface AllowedReservation {
  leaseId: string;
  reservedAtMs: number;
  requirements: Requirement[];
  /** Reserve calls made, the allowed one included. */
  attempts: number;
}

export const DEADLINE_EXCEEDED = 'deadline_exceeded';

/**
 * Reserves `requirements`, waiting and retrying as the answers say. Resolves with the allowed
 * reservation; rejects with ReserveFailedError when waiting cannot help or the deadline passes,
 * or with the signal's reason when aborted. When it gives up while a reserve's outcome is
 * unknown, it releases that lease (a complete with zero actuals) so no capacity stays held.
 */
export async function reserveWithRetry(
  limiter: Limiter,
  requirements: Requirement[],
  options: RetryOptions,
): Promise<AllowedReservation> {
  const { clock, random, signal } = options;
  const jitterMs = options.jitterMs ?? DEFAULT_CLIENT_JITTER_MS;
  const backoff = options.unknownBackoff ?? DEFAULT_UNKNOWN_BACKOFF;
  const deadlineAtMs = clock.now() + (options.deadlineMs ?? DEFAULT_RESERVE_DEADLINE_MS);
  const logger = options.logger ?? silentLogger;

  let leaseId = options.newLeaseId();
  let unknownStreak = 0;
  let attempts = 0;

  for (;;) {
    // Unknown-outcome leases are released if we give up, whatever the reason.
    const giveUp = (error: unknown): never => {
      if (unknownStreak > 0) void releaseLease(limiter, leaseId, requirements, options);
      throw error;
    };

    if (signal?.aborted) giveUp(signal.reason);
    if (clock.now() >= deadlineAtMs) giveUp(new ReserveFailedError(DEADLINE_EXCEEDED));

    attempts++;
    const request = { lease_id: leaseId, requirements, ...jobField(options.jobId) };
    let answer;
    try {
      answer = await limiter.reserve(request, signal === undefined ? undefined : { signal });
    } catch (error) {
      // Thrown only for the caller's abort or a misconfiguration; the reserve may have landed.
      unknownStreak++;
      giveUp(error);
    }

    const verdict = reserveVerdict(answer!);
    let waitMs: number;
    switch (verdict.action) {
      case 'allowed':
        return { leaseId, reservedAtMs: verdict.reservedAtMs, requirements, attempts };
      case 'fail':
        throw new ReserveFailedError(verdict.error, verdict.detail);
      case 'retry_same_lease':
        unknownStreak++;
        waitMs = unknownOutcomeDelayMs(backoff, unknownStreak, jitterMs, random);
        logger.log('debug', 'reserve_outcome_unknown', { lease_id: leaseId, attempt: attempts });
        break;
      case 'retry_new_lease':
        unknownStreak = 0;
        leaseId = options.newLeaseId();
        waitMs = verdict.waitMs + jitter(jitterMs, random);
        break;
    }

    // Never sleep past the deadline: the last check above then ends the loop.
    const untilDeadlineMs = Math.max(0, deadlineAtMs - clock.now());
    try {
      await sleepOn(clock, Math.min(waitMs, untilDeadlineMs), signal);
    } catch (error) {
      giveUp(error);
    }
  }
}

function jobField(jobId: string | undefined): { job_id?: string } {
  return jobId === undefined ? {} : { job_id: jobId };
}

export interface CompleteOptions {
  clock: Clock;
  random: RandomSource;
  /** Tries at most this many times (default 3). */
  attempts?: number;
  unknownBackoff?: UnknownOutcomeBackoff;
  jitterMs?: number;
  logger?: Logger;
  jobId?: string;
}

/**
 * Completes a lease, retrying an unknown outcome a bounded number of times. Best effort: it
 * never throws, and never frees anything locally when it fails — what the server still holds
 * expires on its own. Resolves with the last answer.
 */
export async function completeWithRetry(
  limiter: Limiter,
  leaseId: string,
  actuals: Actual[],
  options: CompleteOptions,
): Promise<CompleteResponse> {
  const attempts = Math.max(1, options.attempts ?? DEFAULT_COMPLETE_ATTEMPTS);
  const backoff = options.unknownBackoff ?? DEFAULT_UNKNOWN_BACKOFF;
  const jitterMs = options.jitterMs ?? DEFAULT_CLIENT_JITTER_MS;
  const logger = options.logger ?? silentLogger;
  const request = { lease_id: leaseId, actuals, ...jobField(options.jobId) };

  let answer: CompleteResponse = { ok: false, error: BACKEND_ERROR };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      answer = await limiter.complete(request);
    } catch (error) {
      answer = { ok: false, error: BACKEND_ERROR, detail: (error as Error).message };
    }
    if (answer.ok || answer.error === INVALID_REQUEST) break;
    if (attempt < attempts) {
      const waitMs = unknownOutcomeDelayMs(backoff, attempt, jitterMs, options.random);
      await sleepOn(options.clock, waitMs);
    }
  }

  if (!answer.ok) {
    logger.log('warn', 'complete_failed', {
      lease_id: leaseId,
      error: answer.error,
      detail: answer.detail,
    });
  }
  return answer;
}

/**
 * Releases whatever a lease may hold: zero actuals on every key, so rolling holds shrink to
 * nothing and concurrency holds end. Harmless when the lease never held anything.
 */
export function releaseLease(
  limiter: Limiter,
  leaseId: string,
  requirements: readonly Requirement[],
  options: CompleteOptions,
): Promise<CompleteResponse> {
  const actuals = requirements.map((r) => ({ key: r.key, actual_amount: 0 }));
  return completeWithRetry(limiter, leaseId, actuals, options);
}
