/**
 * A scripted Limiter for client tests: it records every call and answers each reserve with
 * whatever `answerReserve` says (by default: allowed at the clock's instant). Answers can be
 * held back (`hold`) until the test releases them, to test what happens while calls are in
 * flight.
 */
import type { Limiter } from '../../src/client/limiter.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../../src/domain/requests.ts';
import type { FakeClock } from '../../src/time/fake-clock.ts';

export function allowedAt(ms: number): ReserveResponse {
  return { allowed: true, retry_after_ms: 0, reserved_at_unix_ms: ms, error: '' };
}

export function deniedWith(error: string, retryAfterMs = 0): ReserveResponse {
  return { allowed: false, retry_after_ms: retryAfterMs, reserved_at_unix_ms: 0, error };
}

export interface Call {
  kind: 'reserve' | 'complete' | 'reserveBatch' | 'completeBatch';
  atMs: number;
  request: ReserveRequest | CompleteRequest | ReserveRequest[] | CompleteRequest[];
}

export class FakeLimiter implements Limiter {
  readonly calls: Call[] = [];
  answerReserve: (request: ReserveRequest) => ReserveResponse;
  answerComplete: (request: CompleteRequest) => CompleteResponse = () => ({ ok: true, error: '' });
  /** When true, answers wait in `held` until the test calls `releaseAll`. */
  hold = false;
  readonly held: Array<() => void> = [];

  constructor(private readonly clock: FakeClock) {
    this.answerReserve = () => allowedAt(clock.now());
  }

  reserves(): ReserveRequest[] {
    return this.calls.filter((c) => c.kind === 'reserve').map((c) => c.request as ReserveRequest);
  }

  completes(): CompleteRequest[] {
    return this.calls
      .filter((c) => c.kind === 'complete')
      .map((c) => c.request as CompleteRequest);
  }

  releaseAll(): void {
    for (const release of this.held.splice(0)) release();
  }

  reserve(request: ReserveRequest): Promise<ReserveResponse> {
    this.calls.push({ kind: 'reserve', atMs: this.clock.now(), request });
    return this.later(() => this.answerReserve(request));
  }

  complete(request: CompleteRequest): Promise<CompleteResponse> {
    this.calls.push({ kind: 'complete', atMs: this.clock.now(), request });
    return this.later(() => this.answerComplete(request));
  }

  reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]> {
    this.calls.push({ kind: 'reserveBatch', atMs: this.clock.now(), request: requests });
    return this.later(() => requests.map((r) => this.answerReserve(r)));
  }

  completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]> {
    this.calls.push({ kind: 'completeBatch', atMs: this.clock.now(), request: requests });
    return this.later(() => requests.map((r) => this.answerComplete(r)));
  }

  private later<T>(answer: () => T): Promise<T> {
    if (!this.hold) return Promise.resolve().then(answer);
    return new Promise((resolve, reject) => {
      this.held.push(() => {
        try {
          resolve(answer());
        } catch (error) {
          reject(error);
        }
      });
    });
  }
}

/** Lets every pending promise callback run (several rounds of microtasks and one macrotask). */
export async function flushAsync(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advances the fake clock to `ms` from now, timer by timer, letting async work run between. */
export async function advanceBy(clock: FakeClock, ms: number): Promise<void> {
  const target = clock.now() + ms;
  await flushAsync();
  for (;;) {
    const next = clock.nextDueMs();
    if (next === undefined || next > target) break;
    clock.set(Math.max(next, clock.now()));
    await flushAsync();
  }
  clock.set(target);
  await flushAsync();
}
