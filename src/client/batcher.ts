/**
 * A Limiter that joins single calls into batch calls on another Limiter. Reserves and completes
 * travel in separate lanes (never mixed in one call). A lane sends when it holds `maxBatch`
 * items or `flushIntervalMs` after its first waiting item, on the injected clock, and keeps one
 * batch in flight at a time so that items reach the server in the order they were given; items
 * that arrive meanwhile form the next batch. Each caller gets its own item's answer, or the
 * error that sank the whole batch.
 */
import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../domain/requests.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';
import type { CallOptions, Limiter } from './limiter.ts';

export const DEFAULT_MAX_BATCH = 64;
export const DEFAULT_FLUSH_INTERVAL_MS = 2;

export interface BatcherOptions {
  clock: Clock;
  /** Most items per batch call (default 64; keep it at or below the server's batch limit). */
  maxBatch?: number;
  /** Longest an item waits for companions (default 2 ms; at least 1). */
  flushIntervalMs?: number;
}

interface Waiting<Q, A> {
  request: Q;
  resolve: (answer: A) => void;
  reject: (error: unknown) => void;
  /** Set once sent: the item can no longer be withdrawn. */
  sent: boolean;
}

class Lane<Q, A> {
  private readonly waiting: Array<Waiting<Q, A>> = [];
  private timer: TimerHandle | undefined;
  private inFlight: Promise<void> | undefined;
  /** A flush fell due while a batch was in flight: send as soon as it returns. */
  private flushDue = false;

  constructor(
    private readonly clock: Clock,
    private readonly maxBatch: number,
    private readonly flushIntervalMs: number,
    private readonly send: (requests: Q[]) => Promise<A[]>,
  ) {}

  push(request: Q, signal: AbortSignal | undefined): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => this.withdraw(item, signal!.reason);
      const settle = (): void => signal?.removeEventListener('abort', onAbort);
      const item: Waiting<Q, A> = {
        request,
        resolve: (answer) => (settle(), resolve(answer)),
        reject: (error) => (settle(), reject(error)),
        sent: false,
      };
      this.waiting.push(item);
      signal?.addEventListener('abort', onAbort, { once: true });

      if (this.waiting.length >= this.maxBatch) this.flush();
      else this.timer ??= this.clock.schedule(this.flushIntervalMs, () => this.onTimer());
    });
  }

  /** Sends what is waiting now (after the batch in flight, if any). */
  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    if (this.inFlight !== undefined) {
      this.flushDue = true;
      return;
    }

    const batch = this.waiting.splice(0, this.maxBatch);
    for (const item of batch) item.sent = true;
    this.inFlight = this.deliver(batch).finally(() => {
      this.inFlight = undefined;
      const due = this.flushDue || this.waiting.length >= this.maxBatch;
      this.flushDue = false;
      if (due) this.flush();
      else if (this.waiting.length > 0) {
        this.timer ??= this.clock.schedule(this.flushIntervalMs, () => this.onTimer());
      }
    });
  }

  /** Resolves once nothing is waiting or in flight. */
  async drain(): Promise<void> {
    while (this.waiting.length > 0 || this.inFlight !== undefined) {
      this.flush();
      await this.inFlight;
    }
  }

  private onTimer(): void {
    this.timer = undefined;
    this.flush();
  }

  private withdraw(item: Waiting<Q, A>, reason: unknown): void {
    // A sent item may already be applied; its caller stops waiting, the batch goes on.
    if (!item.sent) {
      const at = this.waiting.indexOf(item);
      if (at !== -1) this.waiting.splice(at, 1);
    }
    item.reject(reason);
  }

  private async deliver(batch: Array<Waiting<Q, A>>): Promise<void> {
    let answers: A[];
    try {
      answers = await this.send(batch.map((item) => item.request));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    if (answers.length !== batch.length) {
      const error = new Error(`batch answered ${answers.length} items for ${batch.length}`);
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => item.resolve(answers[i]!));
  }
}

export class Batcher implements Limiter {
  private readonly reserves: Lane<ReserveRequest, ReserveResponse>;
  private readonly completes: Lane<CompleteRequest, CompleteResponse>;

  constructor(inner: Limiter, options: BatcherOptions) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    const intervalMs = Math.max(1, options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError(`maxBatch: must be a positive integer, got ${maxBatch}`);
    }
    this.reserves = new Lane(options.clock, maxBatch, intervalMs, (r) => inner.reserveBatch(r));
    this.completes = new Lane(options.clock, maxBatch, intervalMs, (r) => inner.completeBatch(r));
  }

  reserve(request: ReserveRequest, options?: CallOptions): Promise<ReserveResponse> {
    return this.reserves.push(request, options?.signal);
  }

  complete(request: CompleteRequest, options?: CallOptions): Promise<CompleteResponse> {
    return this.completes.push(request, options?.signal);
  }

  reserveBatch(requests: ReserveRequest[], options?: CallOptions): Promise<ReserveResponse[]> {
    return Promise.all(requests.map((request) => this.reserve(request, options)));
  }

  completeBatch(requests: CompleteRequest[], options?: CallOptions): Promise<CompleteResponse[]> {
    return Promise.all(requests.map((request) => this.complete(request, options)));
  }

  /** Sends everything waiting and resolves when every batch has been answered. */
  async flush(): Promise<void> {
    await Promise.all([this.reserves.drain(), this.completes.drain()]);
  }
}
