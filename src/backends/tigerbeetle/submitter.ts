import type { CreateTransferResult, Transfer } from 'tigerbeetle-node';

import { assert } from '../../domain/assert.ts';
import { silentLogger, type Logger } from '../../observability/logger.ts';
import type { Clock, TimerHandle } from '../../time/clock.ts';
import { MAX_EVENTS_PER_REQUEST, type LedgerClient } from './ledger-client.ts';

/** How long a work item may wait for the ledger before it answers `backend_error`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

export interface SubmitterSettings {
  /**
   * How long the first queued item waits for company before its request leaves, on the injected
   * clock. 0 (the default) sends as soon as the caller yields, so batching never moves time.
   */
  lingerMs?: number;
  /** The most events in one request; at most MAX_EVENTS_PER_REQUEST (the default). */
  maxEventsPerRequest?: number;
  /** The bounded wait of every item and call, queueing included (default 5000 ms). */
  requestTimeoutMs?: number;
}

export interface SubmitterOptions extends SubmitterSettings {
  clock: Clock;
  /** A pool: each client carries one request at a time. */
  ledgers: readonly LedgerClient[];
  logger?: Logger;
  /**
   * A cheap request (a lookup) that shows the cluster an instant nothing else was sent at.
   * Without it, see `observe`.
   */
  touch?: (ledger: LedgerClient) => Promise<unknown>;
}

export type SubmitOutcome =
  | { ok: true; results: CreateTransferResult[] }
  | { ok: false; reason: 'timeout' | 'failed'; error?: unknown };

/** A lookup or account creation that did not answer within the bounded wait. */
export class LedgerTimeoutError extends Error {
  override name = 'LedgerTimeoutError';
}

interface Waiter {
  deadlineMs: number;
  settled: boolean;
}

interface WorkItem extends Waiter {
  transfers: Transfer[];
  onSettled: (outcome: SubmitOutcome) => void;
}

interface Call extends Waiter {
  run: (ledger: LedgerClient) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  ledger: LedgerClient;
  busy: boolean;
}

/**
 * Joins the transfers of concurrent work items into shared `create_transfers` requests.
 *
 * - A work item's transfers (a linked chain, or several) always travel in one request.
 * - A request carries at most `maxEventsPerRequest` events.
 * - Items are sent in the order they were submitted; each item's statuses are handed back to it,
 *   synchronously and in event order, so that what callers do with them (lease book, retry
 *   hints) happens in the order the ledger applied it.
 * - Each client of the pool has one request in flight; a slow request holds only its own client.
 * - Every item and call has a bounded wait on the injected clock, queueing included. When it runs
 *   out the item fails with `timeout`; a reply that comes later is ignored, so nothing it
 *   reports is acted on (pessimistic: a hold made late expires on its own).
 */
export class Submitter {
  readonly maxEventsPerRequest: number;
  readonly requestTimeoutMs: number;
  private readonly lingerMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly slots: Slot[];

  private queue: WorkItem[] = [];
  private queueHead = 0;
  private queuedEvents = 0;
  private readonly calls: Call[] = [];
  /** Every unanswered item and call, in submission order, hence in deadline order. */
  private readonly waiting = new Set<Waiter>();

  private flushScheduled = false;
  private watchdog: TimerHandle | undefined;
  private lastNowMs = 0;
  private closed = false;
  private readonly touch: ((ledger: LedgerClient) => Promise<unknown>) | undefined;
  /** The latest instant the owner read from the clock, and the latest the ledger was sent at. */
  private observedMs = 0;
  private sentAtMs = 0;

  constructor(options: SubmitterOptions) {
    assert(options.ledgers.length > 0, 'Submitter: at least one LedgerClient is needed');
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.slots = options.ledgers.map((ledger) => ({ ledger, busy: false }));
    this.lingerMs = options.lingerMs ?? 0;
    this.maxEventsPerRequest = options.maxEventsPerRequest ?? MAX_EVENTS_PER_REQUEST;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.touch = options.touch;
    assert(this.lingerMs >= 0, `lingerMs: must be >= 0, got ${this.lingerMs}`);
    assert(
      this.maxEventsPerRequest >= 1 && this.maxEventsPerRequest <= MAX_EVENTS_PER_REQUEST,
      `maxEventsPerRequest: must be 1 to ${MAX_EVENTS_PER_REQUEST}`,
    );
    assert(this.requestTimeoutMs > 0, 'requestTimeoutMs: must be positive');
  }

  /** Items and calls not answered yet. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Queues one work item. `onSettled` is called exactly once: with one result per transfer, in
   * order, or with the reason it failed.
   */
  submit(transfers: Transfer[], onSettled: (outcome: SubmitOutcome) => void): void {
    assert(transfers.length > 0, 'submit: a work item needs at least one transfer');
    assert(
      transfers.length <= this.maxEventsPerRequest,
      `submit: ${transfers.length} transfers cannot travel in one request`,
    );
    if (this.closed) {
      onSettled({ ok: false, reason: 'failed', error: new Error('submitter closed') });
      return;
    }

    const item: WorkItem = {
      transfers,
      onSettled,
      deadlineMs: this.nowMs() + this.requestTimeoutMs,
      settled: false,
    };
    this.queue.push(item);
    this.queuedEvents += transfers.length;
    this.wait(item);

    // A full request need not wait for the caller to yield.
    if (this.queuedEvents >= this.maxEventsPerRequest) this.dispatch();
    else this.scheduleFlush();
  }

  /** submit() as a promise, for callers that need no ordering with other items. */
  submitAsync(transfers: Transfer[]): Promise<SubmitOutcome> {
    return new Promise((resolve) => this.submit(transfers, resolve));
  }

  /**
   * Runs one request that is not a transfer batch (lookups, account creation) on a free client,
   * within the bounded wait; rejects with LedgerTimeoutError when the wait runs out.
   */
  call<T>(run: (ledger: LedgerClient) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('submitter closed'));
    return new Promise<T>((resolve, reject) => {
      const call: Call = {
        run,
        resolve: resolve as (value: unknown) => void,
        reject,
        deadlineMs: this.nowMs() + this.requestTimeoutMs,
        settled: false,
      };
      this.calls.push(call);
      this.wait(call);
      this.dispatch(true);
    });
  }

  /**
   * The owner read `nowMs` from the clock. The cluster keeps time by the requests it sees, as
   * `max(every instant seen, now)`; if the owner's clock later steps back, the owner holds time
   * still at its latest reading, and the two agree only if the cluster saw that reading too. So
   * when nothing is sent to the ledger by the time the caller yields, a touch request is.
   * (A system clock never steps back; this matters for simulated clocks.)
   */
  observe(nowMs: number): void {
    if (this.touch === undefined || nowMs <= this.observedMs) return;
    this.observedMs = nowMs;
    this.scheduleFlush();
  }

  /** Fails everything still waiting and refuses new work. The clients are left to their owner. */
  close(): void {
    this.closed = true;
    const closedError = new Error('submitter closed');
    for (const waiter of [...this.waiting]) this.fail(waiter, 'failed', closedError);
    this.queue = [];
    this.queueHead = 0;
    this.queuedEvents = 0;
    this.calls.length = 0;
    this.watchdog?.cancel();
    this.watchdog = undefined;
  }

  private nowMs(): number {
    this.lastNowMs = Math.max(this.lastNowMs, this.clock.now());
    return this.lastNowMs;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const flush = (): void => {
      this.flushScheduled = false;
      this.dispatch();
      this.showInstant();
    };
    if (this.lingerMs > 0) this.clock.schedule(this.lingerMs, flush);
    else queueMicrotask(flush);
  }

  private showInstant(): void {
    if (this.touch === undefined || this.closed || this.observedMs <= this.sentAtMs) return;
    this.sentAtMs = this.observedMs;
    this.call(this.touch).catch((error: unknown) => {
      this.logger.log('warn', 'tigerbeetle_touch_failed', { error: String(error) });
    });
  }

  /** The instant a request leaves, as the cluster will read it. */
  private markSent(): void {
    this.sentAtMs = Math.max(this.sentAtMs, this.clock.now());
  }

  /** Gives each free client one request: calls first, then the oldest queued items. */
  private dispatch(callsOnly = false): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;

      const call = this.nextCall();
      if (call !== undefined) {
        this.startCall(slot, call);
        continue;
      }
      if (callsOnly) return;

      const items = this.takeBatch();
      if (items.length === 0) return;
      this.send(slot, items);
    }
  }

  private nextCall(): Call | undefined {
    while (this.calls.length > 0) {
      const call = this.calls.shift()!;
      if (!call.settled) return call;
    }
    return undefined;
  }

  /** The oldest queued items that fit in one request; an item is never split. */
  private takeBatch(): WorkItem[] {
    const items: WorkItem[] = [];
    let events = 0;
    while (this.queueHead < this.queue.length) {
      const item = this.queue[this.queueHead]!;
      if (item.settled) {
        this.dequeue(item);
        continue;
      }
      if (events + item.transfers.length > this.maxEventsPerRequest) break;
      this.dequeue(item);
      items.push(item);
      events += item.transfers.length;
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
    return items;
  }

  private dequeue(item: WorkItem): void {
    this.queueHead++;
    this.queuedEvents -= item.transfers.length;
  }

  private send(slot: Slot, items: WorkItem[]): void {
    const batch: Transfer[] = [];
    for (const item of items) for (const t of item.transfers) batch.push(t);
    assert(batch.length <= this.maxEventsPerRequest, 'send: request above the event limit');

    slot.busy = true;
    this.markSent();
    let reply: Promise<CreateTransferResult[]>;
    try {
      reply = slot.ledger.createTransfers(batch);
    } catch (error) {
      reply = Promise.reject(error);
    }
    reply.then(
      (results) => {
        slot.busy = false;
        this.deliver(items, batch.length, results);
        this.afterRequest();
      },
      (error: unknown) => {
        slot.busy = false;
        this.logger.log('error', 'tigerbeetle_request_failed', {
          events: batch.length,
          error: String(error),
        });
        for (const item of items) this.fail(item, 'failed', error);
        this.afterRequest();
      },
    );
  }

  private deliver(items: WorkItem[], events: number, results: CreateTransferResult[]): void {
    if (results.length !== events) {
      this.logger.log('error', 'tigerbeetle_bad_reply', { events, results: results.length });
      for (const item of items) this.fail(item, 'failed', new Error('reply length mismatch'));
      return;
    }

    let offset = 0;
    let late = 0;
    for (const item of items) {
      const count = item.transfers.length;
      if (item.settled) late++;
      else this.settle(item, { ok: true, results: results.slice(offset, offset + count) });
      offset += count;
    }
    if (late > 0) this.logger.log('warn', 'tigerbeetle_late_reply_ignored', { items: late });
  }

  private startCall(slot: Slot, call: Call): void {
    slot.busy = true;
    this.markSent();
    let reply: Promise<unknown>;
    try {
      reply = call.run(slot.ledger);
    } catch (error) {
      reply = Promise.reject(error);
    }
    reply.then(
      (value) => {
        slot.busy = false;
        if (!call.settled) {
          this.unwait(call);
          call.resolve(value);
        }
        this.afterRequest();
      },
      (error: unknown) => {
        slot.busy = false;
        if (!call.settled) this.fail(call, 'failed', error);
        this.afterRequest();
      },
    );
  }

  /** A client is free again: send what is waiting, unless a linger timer will. */
  private afterRequest(): void {
    if (this.closed) return;
    if (this.calls.length > 0) this.dispatch(true);
    if (this.queueHead < this.queue.length && !this.flushScheduled) this.dispatch();
  }

  private settle(item: WorkItem, outcome: SubmitOutcome): void {
    this.unwait(item);
    try {
      item.onSettled(outcome);
    } catch (error) {
      // A bug in the caller's handler; the other items of the request must still be answered.
      this.logger.log('error', 'tigerbeetle_handler_threw', { error: String(error) });
    }
  }

  private fail(waiter: Waiter, reason: 'timeout' | 'failed', error?: unknown): void {
    if (waiter.settled) return;
    if ('transfers' in waiter) {
      const item = waiter as WorkItem;
      this.settle(item, { ok: false, reason, error });
      return;
    }
    const call = waiter as Call;
    this.unwait(call);
    call.reject(
      reason === 'timeout'
        ? new LedgerTimeoutError(`no answer from TigerBeetle within ${this.requestTimeoutMs} ms`)
        : error,
    );
  }

  private wait(waiter: Waiter): void {
    this.waiting.add(waiter);
    if (this.watchdog === undefined) this.armWatchdog(waiter.deadlineMs);
  }

  private unwait(waiter: Waiter): void {
    waiter.settled = true;
    this.waiting.delete(waiter);
    if (this.waiting.size === 0 && this.watchdog !== undefined) {
      // Idle: leave no timer behind on the clock.
      this.watchdog.cancel();
      this.watchdog = undefined;
    }
  }

  private armWatchdog(dueMs: number): void {
    this.watchdog = this.clock.schedule(Math.max(0, dueMs - this.nowMs()), () => {
      this.watchdog = undefined;
      this.expire();
    });
  }

  /** Fails every waiter whose deadline has passed, then waits for the next deadline. */
  private expire(): void {
    const nowMs = this.nowMs();
    let expired = 0;
    for (const waiter of this.waiting) {
      if (waiter.deadlineMs > nowMs) break;
      this.fail(waiter, 'timeout');
      expired++;
    }
    if (expired > 0) {
      this.logger.log('warn', 'tigerbeetle_wait_expired', {
        waiters: expired,
        timeout_ms: this.requestTimeoutMs,
      });
    }

    const next = this.waiting.values().next();
    if (!next.done && this.watchdog === undefined) this.armWatchdog(next.value.deadlineMs);
  }
}
