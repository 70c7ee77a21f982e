import { describe, expect, it } from 'vitest';
import {
  CAPACITY,
  heldOn,
  hold,
  ledger,
  postOf,
  RESOURCE,
  START_MS,
  statuses,
  voidOf,
} from './ledger-fixtures.ts';

// Goal: a pending transfer with timeout T s made at t ms is released exactly at t + 1000·T (the
// instant the memory backend releases the same hold), never a millisecond before, and is final
// from then on. Method: step a fake clock to just before and exactly at the boundary.

describe('expiry of pending transfers', () => {
  it('holds until 1 ms before the timeout and releases exactly at it', async () => {
    const { client, clock } = await ledger();
    expect(await statuses(client, [hold(1n, CAPACITY, 2)])).toEqual(['created']);

    clock.set(START_MS + 1999);
    expect(await heldOn(client)).toBe(CAPACITY);
    expect(await statuses(client, [hold(2n, 1n, 60)])).toEqual(['exceeds_credits']);

    clock.set(START_MS + 2000);
    expect(await heldOn(client)).toBe(0n);
    expect(await statuses(client, [hold(3n, CAPACITY, 60)])).toEqual(['created']);
  });

  it('releases a hold made later within the same millisecond at the same instant', async () => {
    // Event timestamps drift past now·1e6 inside one ms (max(last + 1, now·1e6)); the release
    // instant is still ⌊expires_ns / 1e6⌋ = t + 1000·T.
    const { client, clock } = await ledger();
    const batch = Array.from({ length: 500 }, (_, i) => hold(BigInt(10 + i), 0n, 1));
    batch.push(hold(1n, CAPACITY, 1));
    expect(new Set(await statuses(client, batch))).toEqual(new Set(['created']));

    clock.set(START_MS + 999);
    expect(await heldOn(client)).toBe(CAPACITY);
    clock.set(START_MS + 1000);
    expect(await heldOn(client)).toBe(0n);
  });

  it('refuses a void or post of an expired transfer without releasing twice', async () => {
    const { client, clock, cluster } = await ledger();
    expect(await statuses(client, [hold(1n, 4n, 1), hold(2n, 3n, 60)])).toEqual([
      'created',
      'created',
    ]);

    clock.advance(1000);
    expect(await statuses(client, [voidOf(3n, 1n)])).toEqual(['pending_transfer_expired']);
    expect(await statuses(client, [postOf(4n, 1n, 4n)])).toEqual(['pending_transfer_expired']);
    expect(await heldOn(client)).toBe(3n);
    expect(cluster.inspectTransfer(1n)?.pendingState).toBe('expired');
    expect(cluster.counters().expired).toBe(1);
  });

  it('voids a hold 1 ms before it expires', async () => {
    const { client, clock } = await ledger();
    expect(await statuses(client, [hold(1n, 4n, 1)])).toEqual(['created']);
    clock.advance(999);
    expect(await statuses(client, [voidOf(2n, 1n)])).toEqual(['created']);
    clock.advance(1);
    expect(await heldOn(client)).toBe(0n);
    expect(await statuses(client, [voidOf(3n, 1n)])).toEqual(['pending_transfer_already_voided']);
  });

  it('never un-expires when the clock steps back', async () => {
    const { client, clock } = await ledger();
    expect(await statuses(client, [hold(1n, CAPACITY, 1)])).toEqual(['created']);
    clock.set(START_MS + 1000);
    expect(await heldOn(client)).toBe(0n);

    clock.set(START_MS + 10);
    expect(await heldOn(client)).toBe(0n);
    expect(await statuses(client, [voidOf(2n, 1n)])).toEqual(['pending_transfer_expired']);
  });

  it('never expires a hold whose chain was rolled back', async () => {
    const { client, clock } = await ledger();
    const chain = [hold(1n, 5n, 1, 1), hold(2n, CAPACITY + 1n, 1)];
    expect(await statuses(client, chain)).toEqual(['linked_event_failed', 'exceeds_credits']);
    expect(await statuses(client, [hold(3n, CAPACITY, 60)])).toEqual(['created']);

    // The rolled-back hold's queue entry comes due; it must not release the live hold.
    clock.advance(1000);
    expect(await heldOn(client, RESOURCE)).toBe(CAPACITY);
  });
});
