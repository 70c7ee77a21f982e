/**
 * SEMANTICS.md, "Limits at run time": creating, raising, lowering (applied only on a tick once
 * it fits), other fields at once, kind changes refused. Decreases are watched around the exact
 * tick that applies them.
 */
import { expect } from 'vitest';

import type { LimitDefinition } from '../../src/domain/limits.ts';
import type { ContractTest } from './backend-contract.ts';
import { concurrency, deniedWith, rolling } from './scenario.ts';

export function limitRules(test: ContractTest): void {
  test('a new key is created active, with nothing held', async (s) => {
    const tokens = rolling('tokens', 10, 60);
    expect(await s.backend.putLimit(tokens)).toEqual({ ok: true, status: 'active' });

    expect(await s.backend.getLimit('tokens')).toEqual({
      definition: tokens,
      status: 'active',
      pending_decrease_to: null,
      usage: { held: 0, available: 10, debt: 0n },
    });
  });

  test('unit and description are kept as given', async (s) => {
    const tokens: LimitDefinition = {
      ...rolling('tokens', 10, 60),
      unit: 'tokens',
      description: 'gpt-4o tokens a minute',
    };
    await s.define(tokens);
    expect((await s.view('tokens')).definition).toEqual(tokens);
  });

  test('an unknown key has no limit', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    expect(await s.backend.getLimit('ghost')).toBeUndefined();
  });

  test('listLimits gives every state in key order', async (s) => {
    await s.define(rolling('b', 2, 60), concurrency('a', 1, 30), rolling('c', 3, 60));
    await s.backend.putLimit(rolling('c', 1, 60));

    expect(await s.backend.listLimits()).toEqual([
      { definition: concurrency('a', 1, 30), status: 'active', pending_decrease_to: null },
      { definition: rolling('b', 2, 60), status: 'active', pending_decrease_to: null },
      { definition: rolling('c', 3, 60), status: 'decreasing', pending_decrease_to: 1 },
    ]);
  });

  test('an increase applies at once', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    await s.hold({ tokens: 10 });

    expect(await s.backend.putLimit(rolling('tokens', 15, 60))).toEqual({
      ok: true,
      status: 'active',
    });
    expect(await s.usage('tokens')).toEqual({ held: 10, available: 5, debt: 0n });
    await s.hold({ tokens: 5 });
  });

  test('a decrease waits: the capacity in force stays and reserves are refused', async (s) => {
    await s.define(rolling('tokens', 10, 10));
    await s.at(500);
    await s.hold({ tokens: 8 });

    expect(await s.backend.putLimit(rolling('tokens', 5, 10))).toEqual({
      ok: true,
      status: 'decreasing',
    });
    expect(await s.view('tokens')).toEqual({
      definition: rolling('tokens', 10, 10),
      status: 'decreasing',
      pending_decrease_to: 5,
      usage: { held: 8, available: 2, debt: 0n },
    });
    expect(await s.reserve(s.lease(), { tokens: 1 })).toEqual(
      deniedWith('limit_decreasing:tokens', 10000),
    );
  });

  test('a decrease applies at the first tick where it fits, never inline', async (s) => {
    await s.define(rolling('tokens', 10, 10));
    await s.at(500);
    await s.hold({ tokens: 8 }); // expires at t0 + 10 500
    await s.backend.putLimit(rolling('tokens', 5, 10));

    await s.at(10_499);
    expect((await s.view('tokens')).status).toBe('decreasing');

    // The hold is gone at 10 500 and the decrease now fits, but only a tick may apply it.
    await s.at(10_500);
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 10 },
      status: 'decreasing',
      pending_decrease_to: 5,
      usage: { held: 0, available: 10 },
    });
    const waiting = s.lease();
    expect(await s.reserve(waiting, { tokens: 1 })).toEqual(
      deniedWith('limit_decreasing:tokens', 10000),
    );

    await s.at(10_999);
    expect((await s.view('tokens')).status).toBe('decreasing');

    await s.at(11_000);
    expect(await s.view('tokens')).toEqual({
      definition: rolling('tokens', 5, 10),
      status: 'active',
      pending_decrease_to: null,
      usage: { held: 0, available: 5, debt: 0n },
    });

    // limit_decreasing did not burn the lease.
    await s.expectAllowed(waiting, { tokens: 1 });
  });

  test('a decrease that fits at once still waits for the next tick', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    await s.at(300);
    expect(await s.backend.putLimit(rolling('tokens', 4, 60))).toEqual({
      ok: true,
      status: 'decreasing',
    });

    await s.at(999);
    expect(await s.view('tokens')).toMatchObject({ status: 'decreasing', pending_decrease_to: 4 });

    await s.at(1000);
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 4 },
      status: 'active',
      pending_decrease_to: null,
    });
  });

  test('other fields apply at once while the capacity waits', async (s) => {
    const before: LimitDefinition = {
      ...rolling('tokens', 10, 10, 'debt'),
      unit: 'tokens',
      description: 'before',
    };
    const after: LimitDefinition = {
      ...rolling('tokens', 5, 20, 'deny'),
      unit: 'tok',
      description: 'after',
    };
    await s.define(before);
    await s.hold({ tokens: 8 }); // keeps its 10 s expiry: t0 + 10 000

    expect(await s.backend.putLimit(after)).toEqual({ ok: true, status: 'decreasing' });
    expect(await s.view('tokens')).toMatchObject({
      definition: { ...after, capacity: 10 },
      status: 'decreasing',
      pending_decrease_to: 5,
    });

    await s.at(9_999);
    expect(await s.view('tokens')).toMatchObject({ status: 'decreasing', usage: { held: 8 } });

    // The tick at 10 000 sees the hold expired (u >= expires_at) and applies the decrease.
    await s.at(10_000);
    expect(await s.view('tokens')).toEqual({
      definition: after,
      status: 'active',
      pending_decrease_to: null,
      usage: { held: 0, available: 5, debt: 0n },
    });

    // New holds use the new window.
    await s.hold({ tokens: 5 });
    await s.at(29_999);
    expect(await s.held('tokens')).toBe(5);
    await s.at(30_000);
    expect(await s.held('tokens')).toBe(0);
  });

  test('a changed window applies to new holds; existing holds keep their expiry', async (s) => {
    await s.define(rolling('tokens', 10, 10));
    await s.hold({ tokens: 2 }); // until t0 + 10 000
    expect(await s.backend.putLimit(rolling('tokens', 10, 20))).toEqual({
      ok: true,
      status: 'active',
    });

    await s.at(1000);
    await s.hold({ tokens: 3 }); // until t0 + 21 000

    await s.at(9_999);
    expect(await s.held('tokens')).toBe(5);
    await s.at(10_000);
    expect(await s.held('tokens')).toBe(3);
    await s.at(20_999);
    expect(await s.held('tokens')).toBe(3);
    await s.at(21_000);
    expect(await s.held('tokens')).toBe(0);
  });

  test('a later lower put replaces the pending target', async (s) => {
    await s.define(rolling('tokens', 10, 10));
    await s.hold({ tokens: 7 }); // until t0 + 10 000: available 3
    await s.backend.putLimit(rolling('tokens', 8, 10)); // would fit: needs 2
    expect(await s.backend.putLimit(rolling('tokens', 4, 10))).toEqual({
      ok: true,
      status: 'decreasing',
    });
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 10 },
      pending_decrease_to: 4,
    });

    // The target is 4 now, which needs 6 available: the ticks before the hold expires pass.
    await s.at(9_000);
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 10 },
      status: 'decreasing',
      pending_decrease_to: 4,
    });

    await s.at(10_000);
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 4 },
      status: 'active',
      pending_decrease_to: null,
    });
  });

  test('a later put between the target and the capacity also replaces it', async (s) => {
    await s.define(rolling('tokens', 10, 10));
    await s.hold({ tokens: 7 });
    await s.backend.putLimit(rolling('tokens', 4, 10));
    await s.backend.putLimit(rolling('tokens', 8, 10));
    expect(await s.view('tokens')).toMatchObject({ status: 'decreasing', pending_decrease_to: 8 });

    // A decrease to 8 needs 2 available and 3 are: it applies at the very next tick.
    await s.at(999);
    expect((await s.view('tokens')).status).toBe('decreasing');
    await s.at(1000);
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 8 },
      status: 'active',
      usage: { held: 7, available: 1 },
    });
  });

  test('a put at the current capacity cancels a pending decrease', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    await s.backend.putLimit(rolling('tokens', 5, 60));
    expect(await s.backend.putLimit(rolling('tokens', 10, 60))).toEqual({
      ok: true,
      status: 'active',
    });

    await s.at(2000);
    expect(await s.view('tokens')).toEqual({
      definition: rolling('tokens', 10, 60),
      status: 'active',
      pending_decrease_to: null,
      usage: { held: 0, available: 10, debt: 0n },
    });
  });

  test('a put above the current capacity cancels a decrease and raises at once', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    await s.backend.putLimit(rolling('tokens', 5, 60));
    expect(await s.backend.putLimit(rolling('tokens', 12, 60))).toEqual({
      ok: true,
      status: 'active',
    });
    expect(await s.view('tokens')).toMatchObject({
      definition: { capacity: 12 },
      status: 'active',
      pending_decrease_to: null,
    });
    await s.at(2000);
    expect((await s.view('tokens')).definition.capacity).toBe(12);
  });

  test('a different kind for an existing key is refused and changes nothing', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    await s.hold({ tokens: 3 });

    expect(await s.backend.putLimit(concurrency('tokens', 20, 30))).toEqual({
      ok: false,
      error: 'kind_immutable',
    });
    expect(await s.view('tokens')).toEqual({
      definition: rolling('tokens', 10, 60),
      status: 'active',
      pending_decrease_to: null,
      usage: { held: 3, available: 7, debt: 0n },
    });
  });

  test('a decrease to 0 becomes a kill switch once it applies', async (s) => {
    await s.define(rolling('tokens', 5, 60));
    await s.backend.putLimit(rolling('tokens', 0, 60));
    await s.at(1000);
    expect(await s.view('tokens')).toMatchObject({ definition: { capacity: 0 }, status: 'active' });
    expect(await s.reserve(s.lease(), { tokens: 1 })).toEqual(
      deniedWith('exceeds_capacity:tokens', 0),
    );
  });

  test('a decrease that needs a hold to expire applies on the tick at its expiry', async (s) => {
    await s.define(concurrency('slots', 4, 5));
    await s.hold({ slots: 3 }); // until t0 + 5 000
    await s.backend.putLimit(concurrency('slots', 2, 5));

    await s.at(4_999);
    expect((await s.view('slots')).status).toBe('decreasing');
    await s.at(5_000);
    expect(await s.view('slots')).toMatchObject({
      definition: { capacity: 2 },
      status: 'active',
      usage: { held: 0, available: 2 },
    });
    await s.expectAllowed(s.lease(), { slots: 2 });
  });
}
