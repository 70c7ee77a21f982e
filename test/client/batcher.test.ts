/**
 * The Batcher under a FakeClock: it sends a batch when it holds maxBatch items or when the
 * interval after its first waiting item passes; items reach the inner limiter in the order
 * given; reserves and completes never share a call; each caller gets its own item's answer.
 */
import { describe, expect, it } from 'vitest';

import { Batcher } from '../../src/client/batcher.ts';
import type { CompleteRequest, ReserveRequest } from '../../src/domain/requests.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { advanceBy, allowedAt, deniedWith, FakeLimiter, flushAsync } from './fake-limiter.ts';

function lease(n: number): string {
  return `01ARZ3NDEKTSV4RRFFQ69G${String(n).padStart(4, '0')}`;
}

function reserveOf(n: number): ReserveRequest {
  return { lease_id: lease(n), requirements: [{ key: 'k', amount: n + 1 }] };
}

function setup(maxBatch = 3, flushIntervalMs = 5) {
  const clock = new FakeClock(0);
  const inner = new FakeLimiter(clock);
  // Each answer names its request, so a caller can tell it got its own.
  inner.answerReserve = (request) => deniedWith(request.lease_id, request.requirements[0]!.amount);
  const batcher = new Batcher(inner, { clock, maxBatch, flushIntervalMs });
  return { clock, inner, batcher };
}

const batches = (inner: FakeLimiter, kind: 'reserveBatch' | 'completeBatch') =>
  inner.calls
    .filter((c) => c.kind === kind)
    .map((c) => (c.request as Array<ReserveRequest | CompleteRequest>).map((r) => r.lease_id));

describe('Batcher', () => {
  it('sends at once when maxBatch items wait, and maps answers back to callers', async () => {
    const { inner, batcher } = setup(3);
    const answers = [0, 1, 2].map((n) => batcher.reserve(reserveOf(n)));
    await flushAsync();
    expect(batches(inner, 'reserveBatch')).toEqual([[lease(0), lease(1), lease(2)]]);
    const got = await Promise.all(answers);
    expect(got.map((a) => a.error)).toEqual([lease(0), lease(1), lease(2)]);
    expect(got.map((a) => a.retry_after_ms)).toEqual([1, 2, 3]);
  });

  it('sends a partial batch only when the interval passes', async () => {
    const { clock, inner, batcher } = setup(10, 5);
    const answers = [0, 1].map((n) => batcher.reserve(reserveOf(n)));
    await advanceBy(clock, 4);
    expect(inner.calls).toHaveLength(0);
    await advanceBy(clock, 1);
    expect(batches(inner, 'reserveBatch')).toEqual([[lease(0), lease(1)]]);
    expect(inner.calls[0]!.atMs).toBe(5);
    expect((await Promise.all(answers)).map((a) => a.error)).toEqual([lease(0), lease(1)]);
  });

  it('keeps order across batches, one batch in flight at a time', async () => {
    const { clock, inner, batcher } = setup(2, 5);
    inner.hold = true;
    const answers = [0, 1, 2, 3, 4].map((n) => batcher.reserve(reserveOf(n)));
    await flushAsync();
    // The first pair left at once; the rest wait for it even though a pair is ready.
    expect(batches(inner, 'reserveBatch')).toEqual([[lease(0), lease(1)]]);

    for (let round = 0; round < 3; round++) {
      inner.releaseAll();
      await advanceBy(clock, 5);
    }
    inner.releaseAll();
    await flushAsync();
    expect(batches(inner, 'reserveBatch')).toEqual([
      [lease(0), lease(1)],
      [lease(2), lease(3)],
      [lease(4)],
    ]);
    expect((await Promise.all(answers)).map((a) => a.error)).toEqual([0, 1, 2, 3, 4].map(lease));
  });

  it('never mixes reserves and completes in one call', async () => {
    const { clock, inner, batcher } = setup(10, 5);
    inner.answerReserve = () => allowedAt(clock.now());
    const r = batcher.reserve(reserveOf(0));
    const c = batcher.complete({ lease_id: lease(0), actuals: [] });
    const r2 = batcher.reserve(reserveOf(1));
    await advanceBy(clock, 5);
    await Promise.all([r, c, r2]);
    expect(inner.calls.map((call) => call.kind)).toEqual(['reserveBatch', 'completeBatch']);
    expect(batches(inner, 'reserveBatch')).toEqual([[lease(0), lease(1)]]);
    expect(batches(inner, 'completeBatch')).toEqual([[lease(0)]]);
  });

  it('a batch call that throws rejects every caller in it', async () => {
    const { clock, inner, batcher } = setup(10, 5);
    inner.answerReserve = () => {
      throw new Error('misconfigured');
    };
    const answers = [0, 1].map((n) => batcher.reserve(reserveOf(n)).catch((e: Error) => e.message));
    await advanceBy(clock, 5);
    expect(await Promise.all(answers)).toEqual(['misconfigured', 'misconfigured']);
  });

  it('an item withdrawn before it is sent never reaches the inner limiter', async () => {
    const { clock, inner, batcher } = setup(10, 5);
    const controller = new AbortController();
    const withdrawn = batcher
      .reserve(reserveOf(0), { signal: controller.signal })
      .catch((e: Error) => e.message);
    const kept = batcher.reserve(reserveOf(1));
    controller.abort(new Error('gone'));
    await advanceBy(clock, 5);
    expect(await withdrawn).toBe('gone');
    expect((await kept).error).toBe(lease(1));
    expect(batches(inner, 'reserveBatch')).toEqual([[lease(1)]]);
  });
});
