/**
 * SEMANTICS.md, "Numbers and time": the clock never goes backwards for a backend. If the clock
 * steps back, time stands still until it catches up: no hold comes back to life and nothing is
 * reserved "in the past".
 */
import { expect } from 'vitest';

import type { ContractTest } from './backend-contract.ts';
import { allowedAt, deniedWith, rolling, T0_MS } from './scenario.ts';

export function timeRules(test: ContractTest): void {
  test('a clock stepped back does not un-expire a hold or move time back', async (s) => {
    await s.define(rolling('tokens', 10, 10));
    const expired = await s.hold({ tokens: 10 });
    await s.at(10_000);
    expect(await s.held('tokens')).toBe(0);

    s.ctx.clock.set(T0_MS + 5_000);
    expect(await s.usage('tokens')).toEqual({ held: 0, available: 10, debt: 0n });
    expect(await s.reserve(expired, { tokens: 10 })).toEqual(deniedWith('lease_expired', 0));

    // Reserved "at 5 000" by the clock, but the backend still stands at 10 000.
    const leaseId = s.lease();
    expect(await s.reserve(leaseId, { tokens: 4 })).toEqual(allowedAt(T0_MS + 10_000));

    s.ctx.clock.set(T0_MS + 19_999);
    expect(await s.held('tokens')).toBe(4);
    s.ctx.clock.set(T0_MS + 20_000);
    expect(await s.held('tokens')).toBe(0);
  });

  test('a limit put is an instant the backend has seen', async (s) => {
    // Nothing but the put happens at 30 000; the clock then steps back to 10 000. A reserve must
    // still be stamped 30 000: the backend saw that instant when it changed the limit.
    await s.define(rolling('tokens', 10, 10));
    s.ctx.clock.set(T0_MS + 30_000);
    await s.define(rolling('tokens', 20, 10));

    s.ctx.clock.set(T0_MS + 10_000);
    expect(await s.reserve(s.lease(), { tokens: 3 })).toEqual(allowedAt(T0_MS + 30_000));
  });
}
