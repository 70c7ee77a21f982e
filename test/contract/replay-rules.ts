/**
 * SEMANTICS.md, Reserve step 1: a known lease is answered from what happened to it. A late
 * duplicate never holds twice or after its lease ended, and a denied lease stays denied.
 */
import { expect } from 'vitest';

import type { ContractTest } from './backend-contract.ts';
import { allowedAt, deniedWith, rolling, T0_MS } from './scenario.ts';

export function replayRules(test: ContractTest): void {
  test('same requirements: the original reserved_at, and nothing new held', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    await s.at(250);
    const leaseId = await s.hold({ tokens: 4 });

    await s.at(5_000);
    expect(await s.reserve(leaseId, { tokens: 4 })).toEqual(allowedAt(T0_MS + 250));
    expect(await s.reserve(leaseId, { tokens: 4 })).toEqual(allowedAt(T0_MS + 250));
    expect(await s.usage('tokens')).toEqual({ held: 4, available: 6, debt: 0n });
  });

  test('the order of the requirements does not matter', async (s) => {
    await s.define(rolling('a', 10, 60), rolling('b', 10, 60));
    const leaseId = await s.hold({ a: 2, b: 3 });
    await s.at(1000);
    expect(await s.reserve(leaseId, { b: 3, a: 2 })).toEqual(allowedAt(T0_MS));
    expect(await s.held('a')).toBe(2);
    expect(await s.held('b')).toBe(3);
  });

  test('different requirements: lease_conflict, nothing changes', async (s) => {
    await s.define(rolling('a', 10, 60), rolling('b', 10, 60));
    const leaseId = await s.hold({ a: 4 });

    expect(await s.reserve(leaseId, { a: 5 })).toEqual(deniedWith('lease_conflict', 0));
    expect(await s.reserve(leaseId, { a: 4, b: 1 })).toEqual(deniedWith('lease_conflict', 0));
    expect(await s.reserve(leaseId, { b: 4 })).toEqual(deniedWith('lease_conflict', 0));
    expect(await s.held('a')).toBe(4);
    expect(await s.held('b')).toBe(0);
  });

  test('completed: lease_completed (a conflict is still a conflict)', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 4 });
    await s.complete(leaseId, { tokens: 4 });

    expect(await s.reserve(leaseId, { tokens: 4 })).toEqual(deniedWith('lease_completed', 0));
    expect(await s.reserve(leaseId, { tokens: 3 })).toEqual(deniedWith('lease_conflict', 0));
    expect(await s.held('tokens')).toBe(4);
  });

  test('expired: lease_expired from the instant its first hold expires', async (s) => {
    await s.define(rolling('short', 10, 10), rolling('long', 10, 60));
    await s.at(250);
    const leaseId = await s.hold({ long: 1, short: 1 });

    await s.at(10_249);
    expect(await s.reserve(leaseId, { long: 1, short: 1 })).toEqual(allowedAt(T0_MS + 250));

    await s.at(10_250);
    expect(await s.reserve(leaseId, { long: 1, short: 1 })).toEqual(deniedWith('lease_expired', 0));
    // The late duplicate holds nothing again; the long hold is still the original one.
    expect(await s.held('short')).toBe(0);
    expect(await s.held('long')).toBe(1);
  });

  test('denied: the identical answer, no draw, no streak change', async (s) => {
    const tokens = rolling('tokens', 1, 1);
    await s.define(tokens);
    await s.hold({ tokens: 1 });

    const leaseId = s.lease();
    const first = await s.expectCapacityDenial(leaseId, { tokens: 1 }, tokens);
    expect(await s.reserve(leaseId, { tokens: 1 })).toEqual(first);
    expect(await s.reserve(leaseId, { tokens: 1 })).toEqual(first);

    // The next fresh denial is the second of the streak, with the next jitter draw.
    await s.expectCapacityDenial(s.lease(), { tokens: 1 }, tokens);
  });

  test('denied: never allowed later, even once capacity is free', async (s) => {
    const tokens = rolling('tokens', 1, 10);
    await s.define(tokens);
    await s.hold({ tokens: 1 });
    const leaseId = s.lease();
    const first = await s.expectCapacityDenial(leaseId, { tokens: 1 }, tokens);

    await s.at(10_000);
    expect(await s.usage('tokens')).toEqual({ held: 0, available: 1, debt: 0n });
    expect(await s.reserve(leaseId, { tokens: 1 })).toEqual(first);
    expect(await s.held('tokens')).toBe(0);

    await s.expectAllowed(s.lease(), { tokens: 1 });
  });

  test('a late duplicate after completion holds nothing', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = await s.hold({ tokens: 6 });
    await s.at(1_000);
    await s.complete(leaseId, { tokens: 0 });
    expect(await s.held('tokens')).toBe(0);

    await s.at(2_000);
    expect(await s.reserve(leaseId, { tokens: 6 })).toEqual(deniedWith('lease_completed', 0));
    expect(await s.held('tokens')).toBe(0);
  });
}
