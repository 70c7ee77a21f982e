/**
 * SEMANTICS.md, "Reserve": steps 2 to 6 in their order, holds and their exact release instant,
 * the extremes of the number ranges, and which refusals burn a lease.
 */
import { expect } from 'vitest';

import { MAX_AMOUNT, MAX_DURATION_SECONDS } from '../../src/domain/numbers.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/domain/retry-policy.ts';
import type { ContractTest } from './backend-contract.ts';
import { allowedAt, concurrency, deniedWith, rolling, T0_MS } from './scenario.ts';

export function reserveRules(test: ContractTest): void {
  test('an allowed reserve answers exactly and holds each amount', async (s) => {
    await s.define(rolling('tokens', 100, 60), concurrency('slots', 4, 30));
    await s.at(250);

    expect(await s.reserve(s.lease(), { tokens: 30, slots: 3 })).toEqual(
      allowedAt(T0_MS + 250),
    );
    expect(await s.usage('tokens')).toEqual({ held: 30, available: 70, debt: 0n });
    expect(await s.usage('slots')).toEqual({ held: 3, available: 1, debt: 0n });
  });

  test('a rolling hold is released exactly at its expiry, not 1 ms before', async (s) => {
    const tokens = rolling('tokens', 10, 10);
    await s.define(tokens);
    await s.at(250);
    await s.hold({ tokens: 10 }); // expires at t0 + 10 250

    await s.at(10_249);
    expect(await s.usage('tokens')).toEqual({ held: 10, available: 0, debt: 0n });
    await s.expectCapacityDenial(s.lease(), { tokens: 1 }, tokens);

    await s.at(10_250);
    expect(await s.usage('tokens')).toEqual({ held: 0, available: 10, debt: 0n });
    await s.expectAllowed(s.lease(), { tokens: 10 });
  });

  test('a concurrency hold counts its amount and expires at reserve + timeout', async (s) => {
    const slots = concurrency('slots', 5, 30);
    await s.define(slots);
    await s.at(250);
    await s.hold({ slots: 4 });
    expect(await s.usage('slots')).toEqual({ held: 4, available: 1, debt: 0n });

    await s.at(30_249);
    await s.expectCapacityDenial(s.lease(), { slots: 2 }, slots);
    expect(await s.held('slots')).toBe(4);

    await s.at(30_250);
    expect(await s.held('slots')).toBe(0);
    await s.expectAllowed(s.lease(), { slots: 5 });
  });

  test('available equal to the amount is enough; one more is not', async (s) => {
    const tokens = rolling('tokens', 10, 60);
    await s.define(tokens);
    await s.hold({ tokens: 4 });
    await s.hold({ tokens: 6 });
    expect(await s.usage('tokens')).toEqual({ held: 10, available: 0, debt: 0n });
    await s.expectCapacityDenial(s.lease(), { tokens: 1 }, tokens);
  });

  test('capacity 0 refuses every reserve as exceeds_capacity, without burning', async (s) => {
    await s.define(rolling('off', 0, 60));
    const leaseId = s.lease();
    expect(await s.reserve(leaseId, { off: 1 })).toEqual(deniedWith('exceeds_capacity:off', 0));
    expect(await s.usage('off')).toEqual({ held: 0, available: 0, debt: 0n });

    await s.define(rolling('off', 1, 60));
    await s.expectAllowed(leaseId, { off: 1 });
  });

  test('2^53 - 1 is a valid capacity and a valid amount', async (s) => {
    const big = rolling('big', MAX_AMOUNT, 60);
    await s.define(big, rolling('almost', MAX_AMOUNT - 1, 60));

    await s.hold({ big: MAX_AMOUNT });
    expect(await s.usage('big')).toEqual({ held: MAX_AMOUNT, available: 0, debt: 0n });
    await s.expectCapacityDenial(s.lease(), { big: 1 }, big);
    expect(await s.reserve(s.lease(), { almost: MAX_AMOUNT })).toEqual(
      deniedWith('exceeds_capacity:almost', 0),
    );

    await s.at(60_000);
    expect(await s.usage('big')).toEqual({ held: 0, available: MAX_AMOUNT, debt: 0n });
  });

  for (const [label, seconds] of [
    ['365 days', 365 * 24 * 3600],
    ['2^32 - 1 seconds', MAX_DURATION_SECONDS],
  ] as const) {
    test(`a window of ${label} holds until exactly reserve + window`, async (s) => {
      const long = rolling('long', 3, seconds);
      await s.define(long);
      const leaseId = await s.hold({ long: 2 });
      const expiresMs = 1000 * seconds;

      await s.jumpTo(expiresMs - 1000);
      expect(await s.held('long')).toBe(2);
      expect(await s.reserve(leaseId, { long: 2 })).toEqual(allowedAt(T0_MS));
      await s.expectCapacityDenial(s.lease(), { long: 2 }, long);

      await s.at(expiresMs - 1);
      expect(await s.held('long')).toBe(2);
      await s.at(expiresMs);
      expect(await s.usage('long')).toEqual({ held: 0, available: 3, debt: 0n });
    });
  }

  test('an unknown key names the first one in request order, retry 0, not burned', async (s) => {
    await s.define(rolling('known', 10, 60));
    const leaseId = s.lease();

    expect(await s.reserve(leaseId, { known: 1, ghost: 1, phantom: 1 })).toEqual(
      deniedWith('unknown_limit_key:ghost', 0),
    );
    expect(await s.reserve(s.lease(), { phantom: 1, known: 1, ghost: 1 })).toEqual(
      deniedWith('unknown_limit_key:phantom', 0),
    );
    expect(await s.held('known')).toBe(0);

    await s.define(rolling('ghost', 10, 60), rolling('phantom', 10, 60));
    await s.expectAllowed(leaseId, { known: 1, ghost: 1, phantom: 1 });
  });

  test('a decreasing key names the first one, retry 10000, not burned', async (s) => {
    await s.define(rolling('a', 10, 60), rolling('b', 10, 60), rolling('c', 10, 60));
    await s.backend.putLimit(rolling('b', 5, 60));
    await s.backend.putLimit(rolling('c', 5, 60));
    const leaseId = s.lease();

    expect(await s.reserve(leaseId, { a: 1, c: 1, b: 1 })).toEqual(
      deniedWith('limit_decreasing:c', 10000),
    );
    expect(await s.held('a')).toBe(0);

    await s.at(1000);
    await s.expectAllowed(leaseId, { a: 1, c: 1, b: 1 });
  });

  test(
    'the decreasing retry is the configured one',
    async (s) => {
      await s.define(rolling('a', 10, 60));
      await s.backend.putLimit(rolling('a', 5, 60));
      expect(await s.reserve(s.lease(), { a: 1 })).toEqual(deniedWith('limit_decreasing:a', 7000));
    },
    { retryPolicy: { ...DEFAULT_RETRY_POLICY, decreasing_ms: 7000 } satisfies RetryPolicy },
  );

  test('an impossible amount names the first such key, retry 0, not burned', async (s) => {
    await s.define(rolling('a', 10, 60), rolling('b', 5, 60), concurrency('c', 5, 30));
    const leaseId = s.lease();

    expect(await s.reserve(leaseId, { a: 1, c: 6, b: 6 })).toEqual(
      deniedWith('exceeds_capacity:c', 0),
    );
    expect(await s.held('a')).toBe(0);

    await s.define(rolling('b', 6, 60), concurrency('c', 6, 30));
    await s.expectAllowed(leaseId, { a: 1, c: 6, b: 6 });
  });

  test('the steps run in order: unknown, decreasing, impossible, capacity', async (s) => {
    const full = rolling('full', 1, 60);
    await s.define(full, rolling('small', 5, 60), rolling('shrinking', 10, 60));
    await s.hold({ full: 1 });
    await s.backend.putLimit(rolling('shrinking', 5, 60));

    expect(await s.reserve(s.lease(), { full: 1, small: 6, shrinking: 1, ghost: 1 })).toEqual(
      deniedWith('unknown_limit_key:ghost', 0),
    );
    expect(await s.reserve(s.lease(), { full: 1, small: 6, shrinking: 1 })).toEqual(
      deniedWith('limit_decreasing:shrinking', 10000),
    );
    expect(await s.reserve(s.lease(), { full: 1, small: 6 })).toEqual(
      deniedWith('exceeds_capacity:small', 0),
    );
    await s.expectCapacityDenial(s.lease(), { small: 5, full: 1 }, full);
  });

  test('all or nothing: a denial holds nothing on the keys that had room', async (s) => {
    const b = rolling('b', 10, 60);
    await s.define(rolling('a', 10, 60), b, concurrency('c', 3, 30));
    await s.hold({ b: 8 });

    await s.expectCapacityDenial(s.lease(), { a: 5, c: 3, b: 5 }, b);
    expect(await s.usage('a')).toEqual({ held: 0, available: 10, debt: 0n });
    expect(await s.usage('b')).toEqual({ held: 8, available: 2, debt: 0n });
    expect(await s.usage('c')).toEqual({ held: 0, available: 3, debt: 0n });
  });

  test('the first key without room in request order is the one that fails', async (s) => {
    const a = rolling('a', 1, 60);
    const b = concurrency('b', 1, 30);
    await s.define(a, b);
    await s.hold({ a: 1, b: 1 });

    await s.expectCapacityDenial(s.lease(), { b: 1, a: 1 }, b);
    await s.expectCapacityDenial(s.lease(), { a: 1, b: 1 }, a);
  });
}
