/**
 * SEMANTICS.md, "Complete": concurrency holds released, rolling actuals settled (window over,
 * equal, smaller with whole-second re-reserve, larger with an extra hold, debt or nothing), and
 * complete's idempotence. Every new expiry is checked at its exact instant and 1 ms before.
 */
import { expect } from 'vitest';

import type { LimitDefinition } from '../../src/domain/limits.ts';
import { MAX_AMOUNT } from '../../src/domain/numbers.ts';
import type { ContractTest } from './backend-contract.ts';
import { concurrency, deniedWith, OK, rolling } from './scenario.ts';

export function completeRules(test: ContractTest): void {
  test('complete of an unknown lease is ok and changes nothing', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    await s.hold({ tokens: 3 });
    expect(await s.complete(s.lease(), { tokens: 0 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 3, available: 7, debt: 0n });
  });

  test('complete of a denied lease is ok, changes nothing, and it stays denied', async (s) => {
    const tokens = rolling('tokens', 2, 60);
    await s.define(tokens);
    await s.hold({ tokens: 2 });
    const leaseId = s.lease();
    const denial = await s.expectCapacityDenial(leaseId, { tokens: 1 }, tokens);

    expect(await s.complete(leaseId, { tokens: 50 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 2, available: 0, debt: 0n });
    expect(await s.reserve(leaseId, { tokens: 1 })).toEqual(denial);
  });

  test('complete twice: the second changes nothing', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 10 });

    await s.at(20_000);
    expect(await s.complete(leaseId, { tokens: 4 })).toEqual(OK);
    expect(await s.held('tokens')).toBe(4);
    expect(await s.complete(leaseId, { tokens: 0 })).toEqual(OK);
    expect(await s.complete(leaseId, { tokens: 9 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 4, available: 6, debt: 0n });

    // 40 s were left, a whole number of seconds: the smaller hold keeps the original expiry.
    await s.at(59_999);
    expect(await s.held('tokens')).toBe(4);
    await s.at(60_000);
    expect(await s.held('tokens')).toBe(0);
  });

  test('concurrency holds are released at once; rolling ones without an actual stay', async (s) => {
    await s.define(rolling('tokens', 10, 60), concurrency('slots', 2, 30));
    const leaseId = await s.hold({ tokens: 5, slots: 2 });

    await s.at(1_500);
    expect(await s.complete(leaseId)).toEqual(OK);
    expect(await s.usage('slots')).toEqual({ held: 0, available: 2, debt: 0n });
    expect(await s.held('tokens')).toBe(5);
    await s.expectAllowed(s.lease(), { slots: 2 });

    await s.at(59_999);
    expect(await s.held('tokens')).toBe(5);
    await s.at(60_000);
    expect(await s.held('tokens')).toBe(0);
  });

  test('actuals on a concurrency key or on a key outside the lease are ignored', async (s) => {
    const slots: LimitDefinition = { ...concurrency('slots', 2, 30), overage: 'debt' };
    await s.define(rolling('tokens', 10, 60), slots, rolling('other', 10, 60));
    const leaseId = await s.hold({ tokens: 5, slots: 1 });

    expect(await s.complete(leaseId, { slots: 100, other: 50, ghost: 9, tokens: 5 })).toEqual(OK);
    expect(await s.usage('slots')).toEqual({ held: 0, available: 2, debt: 0n });
    expect(await s.usage('other')).toEqual({ held: 0, available: 10, debt: 0n });
    expect(await s.usage('tokens')).toEqual({ held: 5, available: 5, debt: 0n });
  });

  test('a = r changes nothing', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 6 });

    await s.at(30_400);
    expect(await s.complete(leaseId, { tokens: 6 })).toEqual(OK);
    expect(await s.held('tokens')).toBe(6);
    await s.at(59_999);
    expect(await s.held('tokens')).toBe(6);
    await s.at(60_000);
    expect(await s.held('tokens')).toBe(0);
  });

  test('a < r at 59.4 s of 60 s: holds a until t + 1 s (ceil of 0.6 s)', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 10 }); // expires at t0 + 60 000

    await s.at(59_400);
    expect(await s.complete(leaseId, { tokens: 3 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 3, available: 7, debt: 0n });

    // e' = 59 400 + 1000 · ⌈600 / 1000⌉ = 60 400: later than the original expiry.
    await s.at(60_000);
    expect(await s.held('tokens')).toBe(3);
    await s.at(60_399);
    expect(await s.held('tokens')).toBe(3);
    await s.at(60_400);
    expect(await s.usage('tokens')).toEqual({ held: 0, available: 10, debt: 0n });
  });

  test('a = 0 releases the hold entirely, at once', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 10 });
    await s.at(10_500);
    expect(await s.complete(leaseId, { tokens: 0 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 0, available: 10, debt: 0n });
    await s.expectAllowed(s.lease(), { tokens: 10 });
  });

  test('a > r with room: an extra hold of a - r until the rounded expiry', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 4 });

    await s.at(30_250);
    expect(await s.complete(leaseId, { tokens: 7 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 7, available: 3, debt: 0n });

    // The original 4 go at 60 000; the extra 3 at 30 250 + 1000 · ⌈29 750 / 1000⌉ = 60 250.
    await s.at(59_999);
    expect(await s.held('tokens')).toBe(7);
    await s.at(60_000);
    expect(await s.held('tokens')).toBe(3);
    await s.at(60_249);
    expect(await s.held('tokens')).toBe(3);
    await s.at(60_250);
    expect(await s.held('tokens')).toBe(0);
  });

  test('a > r with exactly a - r available: the extra hold is made', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 4 });
    await s.hold({ tokens: 3 });

    expect(await s.complete(leaseId, { tokens: 7 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 10, available: 0, debt: 0n });
  });

  test('a > r without room, overage debt: debt grows by a - r, nothing held', async (s) => {
    await s.define(rolling('tokens', 10, 60, 'debt'));
    const leaseId = await s.hold({ tokens: 4 });
    await s.hold({ tokens: 4 });

    expect(await s.complete(leaseId, { tokens: 7 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 8, available: 2, debt: 3n });
  });

  test('a > r without room, overage deny: nothing held or recorded', async (s) => {
    await s.define(rolling('tokens', 10, 60, 'deny'));
    const leaseId = await s.hold({ tokens: 4 });
    await s.hold({ tokens: 4 });

    expect(await s.complete(leaseId, { tokens: 7 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 8, available: 2, debt: 0n });
  });

  test('the window is over (e = t): only an overrun is recorded, as debt', async (s) => {
    await s.define(rolling('debt', 10, 10, 'debt'), rolling('deny', 10, 10, 'deny'));
    const over = await s.hold({ debt: 4, deny: 4 });
    const under = await s.hold({ debt: 4, deny: 4 });

    await s.at(10_000);
    expect(await s.complete(over, { debt: 9, deny: 9 })).toEqual(OK);
    expect(await s.complete(under, { debt: 1, deny: 1 })).toEqual(OK);
    expect(await s.usage('debt')).toEqual({ held: 0, available: 10, debt: 5n });
    expect(await s.usage('deny')).toEqual({ held: 0, available: 10, debt: 0n });
  });

  test('1 ms before the window ends (e = t + 1): re-reserve for a whole second', async (s) => {
    await s.define(rolling('tokens', 10, 10));
    const leaseId = await s.hold({ tokens: 4 });

    await s.at(9_999);
    expect(await s.complete(leaseId, { tokens: 9 })).toEqual(OK);
    expect(await s.held('tokens')).toBe(9);

    // The original 4 go at 10 000; the extra 5 at 9 999 + 1000 · ⌈1 / 1000⌉ = 10 999.
    await s.at(10_000);
    expect(await s.held('tokens')).toBe(5);
    await s.at(10_998);
    expect(await s.held('tokens')).toBe(5);
    await s.at(10_999);
    expect(await s.held('tokens')).toBe(0);
  });

  test('debt is exact beyond 2^53 - 1', async (s) => {
    await s.define(rolling('big', 1, 60, 'debt'));
    const first = await s.hold({ big: 1 });
    expect(await s.complete(first, { big: MAX_AMOUNT })).toEqual(OK);
    expect(await s.usage('big')).toEqual({ held: 1, available: 0, debt: BigInt(MAX_AMOUNT - 1) });

    await s.at(60_000);
    const second = await s.hold({ big: 1 });
    expect(await s.complete(second, { big: MAX_AMOUNT })).toEqual(OK);
    expect((await s.usage('big')).debt).toBe(2n * BigInt(MAX_AMOUNT - 1));
    expect((await s.usage('big')).debt).toBe(18_014_398_509_481_980n);
  });

  test('complete reads the overage in force when it runs', async (s) => {
    await s.define(rolling('tokens', 10, 60, 'debt'));
    const leaseId = await s.hold({ tokens: 10 });
    await s.define(rolling('tokens', 10, 60, 'deny'));

    expect(await s.complete(leaseId, { tokens: 12 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 10, available: 0, debt: 0n });
  });

  test('an extra hold during a decrease uses the capacity in force and delays it', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 4 });
    await s.backend.putLimit(rolling('tokens', 5, 60));

    // Before the tick at 1 000 can apply it, the complete takes 5 more under capacity 10.
    await s.at(500);
    expect(await s.complete(leaseId, { tokens: 9 })).toEqual(OK);
    expect(await s.usage('tokens')).toEqual({ held: 9, available: 1, debt: 0n });

    // The original 4 go at 60 000 (extra 5 until 60 500): held 5 fits a capacity of 5.
    await s.at(59_999);
    expect((await s.view('tokens')).status).toBe('decreasing');
    await s.at(60_000);
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 5 },
      status: 'active',
      usage: { held: 5, available: 0 },
    });
  });

  test('complete after the lease expired: ok, nothing freed twice, then completed', async (s) => {
    await s.define(concurrency('slots', 2, 30), rolling('tokens', 10, 30));
    const leaseId = await s.hold({ slots: 1, tokens: 2 });
    await s.hold({ slots: 1 });

    await s.at(30_000);
    expect(await s.complete(leaseId, { tokens: 1 })).toEqual(OK);
    expect(await s.usage('slots')).toEqual({ held: 0, available: 2, debt: 0n });
    expect(await s.usage('tokens')).toEqual({ held: 0, available: 10, debt: 0n });
    expect(await s.reserve(leaseId, { slots: 1, tokens: 2 })).toEqual(
      deniedWith('lease_completed', 0),
    );
  });
}
