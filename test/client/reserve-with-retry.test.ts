/**
 * The client's retry rules under a FakeClock and a scripted limiter: a capacity denial waits its
 * hint and takes a new lease; an unknown outcome retries the same lease; exceeds_capacity and
 * unknown keys fail at once; a deadline or an abort gives up and releases an unknown lease;
 * complete is retried a bounded number of times and never throws.
 */
import { describe, expect, it } from 'vitest';

import {
  completeWithRetry,
  reserveWithRetry,
  type RetryOptions,
} from '../../src/client/reserve-with-retry.ts';
import { ReserveFailedError } from '../../src/client/reserve-verdict.ts';
import type { ReserveResponse } from '../../src/domain/requests.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { advanceBy, allowedAt, deniedWith, FakeLimiter, flushAsync } from './fake-limiter.ts';

const REQUIREMENTS = [{ key: 'rpm', amount: 1 }];

function setup(seed = 1) {
  const clock = new FakeClock(1_000_000);
  const random = new SeededRandom(seed);
  const ids = new UlidFactory(clock, random);
  const limiter = new FakeLimiter(clock);
  const options: RetryOptions = { clock, random, newLeaseId: () => ids.next(), jitterMs: 10 };
  return { clock, limiter, options };
}

/** Answers the calls in order from `script`, then keeps giving the last one. */
function scripted(limiter: FakeLimiter, script: Array<() => ReserveResponse>) {
  let i = 0;
  limiter.answerReserve = () => script[Math.min(i++, script.length - 1)]!();
}

describe('reserveWithRetry', () => {
  it('after a capacity denial, waits the hint (plus jitter) and uses a new lease', async () => {
    const { clock, limiter, options } = setup();
    scripted(limiter, [() => deniedWith('', 1000), () => allowedAt(clock.now())]);

    const result = reserveWithRetry(limiter, REQUIREMENTS, options);
    await flushAsync();
    expect(limiter.reserves()).toHaveLength(1);
    await advanceBy(clock, 999);
    expect(limiter.reserves()).toHaveLength(1);
    await advanceBy(clock, 11);

    const allowed = await result;
    const [first, second] = limiter.reserves();
    expect(second!.lease_id).not.toBe(first!.lease_id);
    expect(allowed.leaseId).toBe(second!.lease_id);
    expect(allowed.attempts).toBe(2);
    const waited = limiter.calls[1]!.atMs - limiter.calls[0]!.atMs;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThanOrEqual(1010);
  });

  it('after an unknown outcome, retries with the same lease', async () => {
    const { clock, limiter, options } = setup();
    scripted(limiter, [
      () => deniedWith('backend_error'),
      () => deniedWith('backend_error'),
      () => allowedAt(clock.now()),
    ]);

    const result = reserveWithRetry(limiter, REQUIREMENTS, options);
    await advanceBy(clock, 1000);
    const allowed = await result;
    const leases = limiter.reserves().map((r) => r.lease_id);
    expect(leases).toHaveLength(3);
    expect(new Set(leases).size).toBe(1);
    expect(allowed.leaseId).toBe(leases[0]);
    expect(limiter.completes()).toHaveLength(0);
  });

  it('limit_decreasing waits its hint, new lease; lease_expired takes a new lease', async () => {
    const { clock, limiter, options } = setup();
    scripted(limiter, [
      () => deniedWith('limit_decreasing:rpm', 10000),
      () => deniedWith('lease_expired'),
      () => allowedAt(clock.now()),
    ]);
    const result = reserveWithRetry(limiter, REQUIREMENTS, options);
    await advanceBy(clock, 9999);
    expect(limiter.reserves()).toHaveLength(1);
    await advanceBy(clock, 100);
    await result;
    expect(new Set(limiter.reserves().map((r) => r.lease_id)).size).toBe(3);
  });

  for (const error of ['exceeds_capacity:rpm', 'unknown_limit_key:rpm', 'invalid_request']) {
    it(`${error} fails at once, without a retry`, async () => {
      const { clock, limiter, options } = setup();
      limiter.answerReserve = () => deniedWith(error);
      const result = reserveWithRetry(limiter, REQUIREMENTS, options);
      const failure = result.catch((e: unknown) => e);
      await advanceBy(clock, 60_000);
      const thrown = await failure;
      expect(thrown).toBeInstanceOf(ReserveFailedError);
      expect((thrown as ReserveFailedError).error).toBe(error);
      expect(limiter.reserves()).toHaveLength(1);
    });
  }

  it('gives up at the deadline and releases the lease whose outcome is unknown', async () => {
    const { clock, limiter, options } = setup();
    limiter.answerReserve = () => deniedWith('backend_error');
    const bounded = { ...options, deadlineMs: 5000 };
    const failure = reserveWithRetry(limiter, REQUIREMENTS, bounded).catch((e: unknown) => e);
    await advanceBy(clock, 5000);
    const thrown = await failure;
    expect((thrown as ReserveFailedError).error).toBe('deadline_exceeded');

    const lease = limiter.reserves()[0]!.lease_id;
    expect(limiter.reserves().every((r) => r.lease_id === lease)).toBe(true);
    expect(limiter.completes()).toEqual([
      { lease_id: lease, actuals: [{ key: 'rpm', actual_amount: 0 }] },
    ]);
  });

  it('an abort ends the wait and rejects with the reason', async () => {
    const { clock, limiter, options } = setup();
    limiter.answerReserve = () => deniedWith('', 5000);
    const controller = new AbortController();
    const failure = reserveWithRetry(limiter, REQUIREMENTS, {
      ...options,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await advanceBy(clock, 100);
    controller.abort(new Error('caller gave up'));
    expect(((await failure) as Error).message).toBe('caller gave up');
    expect(limiter.reserves()).toHaveLength(1);
    // The denial was definite, so there is nothing to release.
    expect(limiter.completes()).toHaveLength(0);
  });
});

describe('completeWithRetry', () => {
  it('retries an unknown outcome a bounded number of times and never throws', async () => {
    const { clock, limiter, options } = setup();
    limiter.answerComplete = () => ({ ok: false, error: 'backend_error' });
    const done = completeWithRetry(limiter, 'L', [], { ...options, attempts: 3 });
    await advanceBy(clock, 60_000);
    expect(await done).toEqual({ ok: false, error: 'backend_error' });
    expect(limiter.completes()).toHaveLength(3);
  });

  it('stops at the first definite answer', async () => {
    const { clock, limiter, options } = setup();
    let calls = 0;
    limiter.answerComplete = () =>
      calls++ === 0 ? { ok: false, error: 'backend_error' } : { ok: true, error: '' };
    const done = completeWithRetry(limiter, 'L', [], options);
    await advanceBy(clock, 60_000);
    expect(await done).toEqual({ ok: true, error: '' });
    expect(limiter.completes()).toHaveLength(2);
  });
});
