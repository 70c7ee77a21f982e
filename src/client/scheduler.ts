/**
 * Runs rate-limited jobs: one queue per queue key (e.g. `openai:gpt-4o`), a bounded number of
 * workers, round-robin over the queues that are ready. A queue whose head was denied waits out
 * the hint (plus jitter) while the other queues go on, so one saturated model never blocks the
 * rest. After every allowed reserve the job runs and `complete` is called exactly once, whether
 * the job returns, throws or times out. All waiting is on the injected clock.
 */
import type { Actual, Requirement } from '../domain/requests.ts';
import { UlidFactory } from '../domain/ulid.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';
import type { RandomSource } from '../time/random.ts';
import {
  DEFAULT_UNKNOWN_BACKOFF,
  jitter,
  unknownOutcomeDelayMs,
  type UnknownOutcomeBackoff,
} from './backoff.ts';
import type { Limiter } from './limiter.ts';
import {
  completeWithRetry,
  DEADLINE_EXCEEDED,
  DEFAULT_CLIENT_JITTER_MS,
  DEFAULT_COMPLETE_ATTEMPTS,
  DEFAULT_RESERVE_DEADLINE_MS,
  releaseLease,
} from './reserve-with-retry.ts';
import { ReserveFailedError, reserveVerdict } from './reserve-verdict.ts';

export interface JobContext {
  /** Aborted when the job times out or the scheduler stops without draining. */
  signal: AbortSignal;
  leaseId: string;
  reservedAtMs: number;
}

export type JobSettlement<T> =
  | { status: 'fulfilled'; value: T }
  | { status: 'rejected'; error: unknown }
  | { status: 'timed_out' };

export interface Job<T> {
  /** Jobs with the same queue key wait behind each other; other queues do not. */
  queue: string;
  requirements: Requirement[];
  run(context: JobContext): Promise<T>;
  /**
   * What the job really used, told to `complete`. Default: the requirements themselves, which
   * changes nothing (a failed or timed-out job is assumed to have used what it asked for).
   */
  actuals?(settlement: JobSettlement<T>): Actual[];
  /** Default: the scheduler's jobTimeoutMs. */
  timeoutMs?: number;
  jobId?: string;
}

export interface SchedulerOptions {
  limiter: Limiter;
  clock: Clock;
  random: RandomSource;
  /** Default: ULIDs from the clock and the random source. */
  newLeaseId?: () => string;
  /** Jobs running or reserving at once (default 8). */
  workers?: number;
  /** Jobs waiting in all queues together (default 10000); more are refused. */
  maxQueued?: number;
  /** Added to every wait, from [0, jitterMs] (default 25). */
  jitterMs?: number;
  /**
   * A job not allowed within this long after submission fails with `deadline_exceeded`
   * (default 60 s); checked each time the job comes to the head of its queue.
   */
  reserveDeadlineMs?: number;
  /** A running job is abandoned (and completed) after this long (default 10 min). */
  jobTimeoutMs?: number;
  unknownBackoff?: UnknownOutcomeBackoff;
  completeAttempts?: number;
  logger?: Logger;
}

export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`job did not finish within ${timeoutMs} ms`);
  }
}

export class SchedulerClosedError extends Error {
  override name = 'SchedulerClosedError';
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export interface SchedulerStats {
  queued: number;
  running: number;
  queues: number;
}

interface Entry {
  sequence: number;
  job: Job<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  deadlineAtMs: number;
  /** Kept across attempts while the last reserve's outcome is unknown. */
  leaseId: string | undefined;
  unknownStreak: number;
}

interface Queue {
  name: string;
  entries: Entry[];
  readyAtMs: number;
  wake: TimerHandle | undefined;
  /** Entries of this queue taken by a worker and not yet settled or put back. */
  active: number;
}

const DEFAULT_WORKERS = 8;
const DEFAULT_MAX_QUEUED = 10_000;
const DEFAULT_JOB_TIMEOUT_MS = 10 * 60 * 1000;

export class Scheduler {
  private readonly limiter: Limiter;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly newLeaseId: () => string;
  private readonly workers: number;
  private readonly maxQueued: number;
  private readonly jitterMs: number;
  private readonly reserveDeadlineMs: number;
  private readonly jobTimeoutMs: number;
  private readonly backoff: UnknownOutcomeBackoff;
  private readonly completeAttempts: number;
  private readonly logger: Logger;

  private readonly queues = new Map<string, Queue>();
  /** Round-robin order of queue names; `cursor` is where the next search starts. */
  private order: string[] = [];
  private cursor = 0;
  private sequence = 0;
  private queued = 0;
  private running = 0;
  private accepting = true;
  private readonly stopController = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(options: SchedulerOptions) {
    this.limiter = options.limiter;
    this.clock = options.clock;
    this.random = options.random;
    const ids = new UlidFactory(options.clock, options.random);
    this.newLeaseId = options.newLeaseId ?? (() => ids.next());
    this.workers = options.workers ?? DEFAULT_WORKERS;
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.jitterMs = options.jitterMs ?? DEFAULT_CLIENT_JITTER_MS;
    this.reserveDeadlineMs = options.reserveDeadlineMs ?? DEFAULT_RESERVE_DEADLINE_MS;
    this.jobTimeoutMs = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
    this.backoff = options.unknownBackoff ?? DEFAULT_UNKNOWN_BACKOFF;
    this.completeAttempts = options.completeAttempts ?? DEFAULT_COMPLETE_ATTEMPTS;
    this.logger = options.logger ?? silentLogger;
    if (!Number.isSafeInteger(this.workers) || this.workers < 1) {
      throw new RangeError(`workers: must be a positive integer, got ${this.workers}`);
    }
  }

  /** Queues a job; resolves with its result once it has run and been completed. */
  submit<T>(job: Job<T>): Promise<T> {
    if (!this.accepting) return Promise.reject(new SchedulerClosedError('scheduler is shut down'));
    if (this.queued >= this.maxQueued) {
      return Promise.reject(new QueueFullError(`${this.queued} jobs already queued`));
    }

    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        sequence: this.sequence++,
        job: job as Job<unknown>,
        resolve: resolve as (value: unknown) => void,
        reject,
        deadlineAtMs: this.clock.now() + this.reserveDeadlineMs,
        leaseId: undefined,
        unknownStreak: 0,
      };
      this.queueOf(job.queue).entries.push(entry);
      this.queued++;
      this.pump();
    });
  }

  stats(): SchedulerStats {
    return { queued: this.queued, running: this.running, queues: this.queues.size };
  }

  /**
   * Refuses new jobs and resolves once none is left. With `drain` (the default) queued jobs
   * still run; without, they are refused with SchedulerClosedError and running jobs are asked to
   * stop through their signal (they are completed all the same).
   */
  async shutdown(options: { drain?: boolean } = {}): Promise<void> {
    this.accepting = false;
    if (options.drain === false) {
      for (const queue of this.queues.values()) {
        for (const entry of queue.entries.splice(0)) {
          this.queued--;
          this.release(entry);
          entry.reject(new SchedulerClosedError('scheduler shut down before the job ran'));
        }
      }
      this.stopController.abort(new SchedulerClosedError('scheduler shut down'));
    }
    if (this.queued + this.running > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    for (const queue of this.queues.values()) queue.wake?.cancel();
  }

  private queueOf(name: string): Queue {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = { name, entries: [], readyAtMs: 0, wake: undefined, active: 0 };
      this.queues.set(name, queue);
      this.order.push(name);
    }
    return queue;
  }

  /** Starts work on ready queues, one head each in turn, while workers are free. */
  private pump(): void {
    while (this.running < this.workers) {
      const queue = this.nextReadyQueue();
      if (queue === undefined) break;
      const entry = queue.entries.shift()!;
      this.queued--;
      this.running++;
      queue.active++;
      void this.process(queue, entry).finally(() => {
        this.running--;
        queue.active--;
        this.forgetIfIdle(queue);
        this.pump();
        this.notifyIfIdle();
      });
    }
  }

  private nextReadyQueue(): Queue | undefined {
    const now = this.clock.now();
    for (let step = 0; step < this.order.length; step++) {
      const index = (this.cursor + step) % this.order.length;
      const queue = this.queues.get(this.order[index]!)!;
      if (queue.entries.length > 0 && queue.readyAtMs <= now) {
        this.cursor = index + 1;
        return queue;
      }
    }
    return undefined;
  }

  private async process(queue: Queue, entry: Entry): Promise<void> {
    if (this.clock.now() >= entry.deadlineAtMs) {
      this.release(entry);
      entry.reject(new ReserveFailedError(DEADLINE_EXCEEDED));
      return;
    }

    const leaseId = entry.leaseId ?? this.newLeaseId();
    entry.leaseId = leaseId;
    const { job } = entry;
    const request = { lease_id: leaseId, requirements: job.requirements };
    if (job.jobId !== undefined) Object.assign(request, { job_id: job.jobId });
    let answer;
    try {
      answer = await this.limiter.reserve(request);
    } catch (error) {
      // A limiter throws only for a misconfiguration; the reserve may have landed.
      entry.unknownStreak++;
      this.release(entry);
      entry.reject(error);
      return;
    }

    const verdict = reserveVerdict(answer);
    switch (verdict.action) {
      case 'allowed':
        await this.runAllowed(entry, leaseId, verdict.reservedAtMs);
        return;
      case 'fail':
        entry.reject(new ReserveFailedError(verdict.error, verdict.detail));
        return;
      case 'retry_same_lease': {
        entry.unknownStreak++;
        const delayMs = unknownOutcomeDelayMs(
          this.backoff,
          entry.unknownStreak,
          this.jitterMs,
          this.random,
        );
        this.putBack(queue, entry, delayMs);
        return;
      }
      case 'retry_new_lease':
        entry.leaseId = undefined;
        entry.unknownStreak = 0;
        this.putBack(queue, entry, verdict.waitMs + jitter(this.jitterMs, this.random));
        return;
    }
  }

  /** Back at its place in the queue, which waits `delayMs` before trying its head again. */
  private putBack(queue: Queue, entry: Entry, delayMs: number): void {
    let at = queue.entries.findIndex((other) => other.sequence > entry.sequence);
    if (at === -1) at = queue.entries.length;
    queue.entries.splice(at, 0, entry);
    this.queued++;

    const readyAtMs = this.clock.now() + delayMs;
    if (readyAtMs <= queue.readyAtMs) return;
    queue.readyAtMs = readyAtMs;
    queue.wake?.cancel();
    queue.wake = this.clock.schedule(delayMs, () => {
      queue.wake = undefined;
      this.pump();
    });
  }

  private async runAllowed(entry: Entry, leaseId: string, reservedAtMs: number): Promise<void> {
    const { job } = entry;
    const timeoutMs = job.timeoutMs ?? this.jobTimeoutMs;
    const controller = new AbortController();
    const onStop = (): void => controller.abort(this.stopController.signal.reason);
    this.stopController.signal.addEventListener('abort', onStop, { once: true });

    let timer: TimerHandle | undefined;
    const timedOut = new Promise<JobSettlement<unknown>>((resolve) => {
      timer = this.clock.schedule(timeoutMs, () => {
        controller.abort(new JobTimeoutError(timeoutMs));
        resolve({ status: 'timed_out' });
      });
    });
    const context: JobContext = { signal: controller.signal, leaseId, reservedAtMs };
    const ran = Promise.resolve()
      .then(() => job.run(context))
      .then(
        (value): JobSettlement<unknown> => ({ status: 'fulfilled', value }),
        (error: unknown): JobSettlement<unknown> => ({ status: 'rejected', error }),
      );

    const settlement = await Promise.race([ran, timedOut]);
    timer?.cancel();
    this.stopController.signal.removeEventListener('abort', onStop);

    // Exactly one complete per allowed reserve, whatever happened to the job.
    await completeWithRetry(this.limiter, leaseId, this.actualsOf(job, settlement), {
      clock: this.clock,
      random: this.random,
      attempts: this.completeAttempts,
      unknownBackoff: this.backoff,
      jitterMs: this.jitterMs,
      logger: this.logger,
      ...(job.jobId === undefined ? {} : { jobId: job.jobId }),
    });

    if (settlement.status === 'fulfilled') entry.resolve(settlement.value);
    else if (settlement.status === 'rejected') entry.reject(settlement.error);
    else entry.reject(new JobTimeoutError(timeoutMs));
  }

  private actualsOf(job: Job<unknown>, settlement: JobSettlement<unknown>): Actual[] {
    const asked = job.requirements.map((r) => ({ key: r.key, actual_amount: r.amount }));
    if (job.actuals === undefined) return asked;
    try {
      return job.actuals(settlement);
    } catch (error) {
      this.logger.log('warn', 'job_actuals_failed', { error: (error as Error).message });
      return asked;
    }
  }

  /** An entry given up while its last reserve's outcome was unknown may hold capacity. */
  private release(entry: Entry): void {
    if (entry.unknownStreak === 0 || entry.leaseId === undefined) return;
    void releaseLease(this.limiter, entry.leaseId, entry.job.requirements, {
      clock: this.clock,
      random: this.random,
      attempts: this.completeAttempts,
      logger: this.logger,
    });
  }

  private forgetIfIdle(queue: Queue): void {
    if (queue.entries.length > 0 || queue.active > 0 || queue.wake !== undefined) return;
    this.queues.delete(queue.name);
    const index = this.order.indexOf(queue.name);
    this.order.splice(index, 1);
    if (this.cursor > index) this.cursor--;
  }

  private notifyIfIdle(): void {
    if (this.queued + this.running > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
