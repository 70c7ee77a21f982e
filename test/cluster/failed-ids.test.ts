import { describe, expect, it } from 'vitest';
import {
  CAPACITY,
  heldOn,
  hold,
  ledger,
  LINKED,
  OPERATOR,
  RESOURCE,
  RESOURCE_B,
  statuses,
  transfer,
  voidOf,
} from './ledger-fixtures.ts';

// Goal: an id that failed for a transient reason answers `id_already_failed` forever after, and
// only those ids (TigerBeetle 0.17: account not found, pending transfer not found, exceeds
// credits/debits, account closed). Method: fail an id, fix the cause, send it again.

describe('burned transfer ids', () => {
  it('answers id_already_failed after exceeds_credits, even once there is room', async () => {
    const { client } = await ledger();
    expect(await statuses(client, [hold(1n, CAPACITY + 1n, 60)])).toEqual(['exceeds_credits']);

    // Capacity grows by more than enough; the burned id still fails, a fresh id does not.
    const raise = transfer({
      id: 902n,
      debit_account_id: OPERATOR,
      credit_account_id: RESOURCE,
      amount: 100n,
    });
    expect(await statuses(client, [raise])).toEqual(['created']);
    expect(await statuses(client, [hold(1n, CAPACITY + 1n, 60)])).toEqual(['id_already_failed']);
    expect(await statuses(client, [hold(2n, CAPACITY + 1n, 60)])).toEqual(['created']);
    expect(await heldOn(client)).toBe(CAPACITY + 1n);
  });

  it('answers id_already_failed whatever the fields of the resend', async () => {
    const { client, cluster } = await ledger();
    expect(await statuses(client, [hold(1n, CAPACITY + 1n, 60)])).toEqual(['exceeds_credits']);
    expect(cluster.isIdFailed(1n)).toBe(true);
    expect(await statuses(client, [hold(1n, 1n, 30)])).toEqual(['id_already_failed']);
  });

  it('burns the failing id of a chain, not the ids rolled back with it', async () => {
    const { client } = await ledger();
    const chain = [hold(1n, 1n, 60, LINKED), hold(2n, CAPACITY + 1n, 60, 0, RESOURCE_B)];
    expect(await statuses(client, chain)).toEqual(['linked_event_failed', 'exceeds_credits']);

    // The reserve sent again: the first hold fits, the second id is burned, so the chain fails.
    expect(await statuses(client, chain)).toEqual(['linked_event_failed', 'id_already_failed']);
    expect(await heldOn(client)).toBe(0n);

    // The rolled-back id was never burned.
    expect(await statuses(client, [hold(1n, 1n, 60)])).toEqual(['created']);
  });

  it('burns ids that failed for an account or pending transfer not found', async () => {
    const { client } = await ledger();
    const missingDebit = transfer({ id: 1n, debit_account_id: 77n, credit_account_id: OPERATOR });
    expect(await statuses(client, [missingDebit, voidOf(2n, 555n)])).toEqual([
      'debit_account_not_found',
      'pending_transfer_not_found',
    ]);
    expect(await statuses(client, [missingDebit, voidOf(2n, 555n)])).toEqual([
      'id_already_failed',
      'id_already_failed',
    ]);
  });

  it('does not burn ids that failed for a reason that cannot change', async () => {
    const { client, clock } = await ledger();
    expect(await statuses(client, [hold(1n, 4n, 1)])).toEqual(['created']);
    expect(await statuses(client, [voidOf(2n, 1n, 3n)])).toEqual([
      'pending_transfer_has_different_amount',
    ]);
    expect(await statuses(client, [voidOf(2n, 1n)])).toEqual(['created']);

    // pending_transfer_expired is final for that pending transfer but does not burn the id.
    expect(await statuses(client, [hold(3n, 4n, 1)])).toEqual(['created']);
    clock.advance(1000);
    expect(await statuses(client, [voidOf(4n, 3n)])).toEqual(['pending_transfer_expired']);
    expect(await statuses(client, [voidOf(4n, 3n)])).toEqual(['pending_transfer_expired']);
  });

  it('keeps an id that failed as linked_event_failed usable', async () => {
    const { client } = await ledger();
    const chain = [hold(1n, CAPACITY + 1n, 60, LINKED), hold(2n, 1n, 60)];
    expect(await statuses(client, chain)).toEqual(['exceeds_credits', 'linked_event_failed']);
    expect(await statuses(client, [hold(2n, 1n, 60)])).toEqual(['created']);
  });
});
