import { AccountFlags, TransferFlags } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';
import {
  account,
  accountStatuses,
  CAPACITY,
  heldOn,
  hold,
  ledger,
  LINKED,
  postOf,
  RESOURCE,
  RESOURCE_B,
  statuses,
  voidOf,
} from './ledger-fixtures.ts';

// Goal: linked chains run as TigerBeetle's `execute_create` runs them (0.17 line): all or
// nothing, later events see earlier ones, and the chain-open rule for a linked last event.

describe('linked chains', () => {
  it('answers a chain left open: linked_event_failed before, chain_open last', async () => {
    const { client } = await ledger();
    const open = [hold(1n, 1n, 60, LINKED), hold(2n, 1n, 60, LINKED)];
    expect(await statuses(client, open)).toEqual([
      'linked_event_failed',
      'linked_event_chain_open',
    ]);
    expect(await heldOn(client)).toBe(0n);
  });

  it('answers chain_open for a linked last event even after the chain broke', async () => {
    const { client } = await ledger();
    const open = [hold(1n, CAPACITY + 1n, 60, LINKED), hold(2n, 1n, 60, LINKED)];
    expect(await statuses(client, open)).toEqual(['exceeds_credits', 'linked_event_chain_open']);
  });

  it('lets a chain see its own earlier events', async () => {
    const { client } = await ledger();
    const chain = [hold(1n, 6n, 60, LINKED), hold(2n, 5n, 60)];
    expect(await statuses(client, chain)).toEqual(['linked_event_failed', 'exceeds_credits']);
    expect(await heldOn(client)).toBe(0n);
  });

  it('rolls back a void together with its chain', async () => {
    const { client, cluster } = await ledger();
    expect(await statuses(client, [hold(1n, 4n, 60)])).toEqual(['created']);
    const chain = [voidOf(2n, 1n, 0n, LINKED), hold(3n, CAPACITY + 1n, 60)];
    expect(await statuses(client, chain)).toEqual(['linked_event_failed', 'exceeds_credits']);
    expect(await heldOn(client)).toBe(4n);
    expect(cluster.inspectTransfer(1n)?.pendingState).toBe('pending');
    expect(cluster.inspectTransfer(2n)).toBeUndefined();
  });

  it('rolls back accounts created in a broken chain', async () => {
    const { client, cluster } = await ledger();
    const broken = { ...account(20n), ledger: 0 };
    expect(await accountStatuses(client, [account(10n, LINKED), broken])).toEqual([
      'linked_event_failed',
      'ledger_must_not_be_zero',
    ]);
    expect(cluster.inspectAccount(10n)).toBeUndefined();
  });

  it('commits a chain that closes, and starts the next chain after it', async () => {
    const { client } = await ledger();
    const batch = [
      hold(1n, 2n, 60, LINKED),
      hold(2n, 2n, 60, 0, RESOURCE_B),
      hold(3n, CAPACITY, 60, LINKED),
      hold(4n, 1n, 60, 0, RESOURCE_B),
      hold(5n, 1n, 60),
    ];
    expect(await statuses(client, batch)).toEqual([
      'created',
      'created',
      'exceeds_credits',
      'linked_event_failed',
      'created',
    ]);
    expect(await heldOn(client, RESOURCE)).toBe(3n);
    expect(await heldOn(client, RESOURCE_B)).toBe(2n);
  });
});

describe('posting', () => {
  it('posts the full amount for amount_max, part of it, or nothing for 0', async () => {
    const { client, cluster } = await ledger();
    const max = (1n << 128n) - 1n;
    expect(await statuses(client, [hold(1n, 4n, 60), hold(2n, 3n, 60), hold(3n, 2n, 60)])).toEqual(
      ['created', 'created', 'created'],
    );
    expect(
      await statuses(client, [postOf(11n, 1n, max), postOf(12n, 2n, 1n), postOf(13n, 3n, 0n)]),
    ).toEqual(['created', 'created', 'created']);

    const resource = cluster.inspectAccount(RESOURCE);
    expect(resource?.debits_pending).toBe(0n);
    expect(resource?.debits_posted).toBe(5n);
    expect(cluster.inspectTransfer(11n)?.transfer.amount).toBe(4n);
    expect(cluster.inspectTransfer(1n)?.pendingState).toBe('posted');

    // Resends: the marker and the actual amount are both the same post; another amount is not.
    expect(await statuses(client, [postOf(11n, 1n, max), postOf(11n, 1n, 4n)])).toEqual([
      'exists',
      'exists',
    ]);
    expect(await statuses(client, [postOf(12n, 2n, 2n)])).toEqual(['exists_with_different_amount']);
    expect(await statuses(client, [voidOf(14n, 1n)])).toEqual(['pending_transfer_already_posted']);
  });
});

describe('status precedence', () => {
  it('checks ids, then idempotency, then the fields of the transfer', async () => {
    const { client } = await ledger();
    expect(await statuses(client, [hold(1n, 1n, 60)])).toEqual(['created']);
    expect(
      await statuses(client, [
        { ...hold(0n, 1n, 60), debit_account_id: 0n },
        { ...hold(1n, 1n, 60), debit_account_id: 0n },
        { ...hold(5n, 1n, 60), flags: 0x8000 },
        { ...hold(6n, 1n, 60), timestamp: 1n },
        { ...hold(7n, 1n, 60), pending_id: 1n },
        { ...hold(8n, 1n, 60), ledger: 0 },
        { ...hold(9n, 1n, 60), code: 0 },
        { ...hold(10n, 1n, 60), ledger: 2 },
        { ...hold(11n, 1n, 60), credit_account_id: (1n << 128n) - 1n },
      ]),
    ).toEqual([
      'id_must_not_be_zero',
      'exists_with_different_debit_account_id',
      'reserved_flag',
      'timestamp_must_be_zero',
      'pending_id_must_be_zero',
      'ledger_must_not_be_zero',
      'code_must_not_be_zero',
      'transfer_must_have_the_same_ledger_as_accounts',
      'credit_account_id_must_not_be_int_max',
    ]);
  });

  it('checks a post or void against its flags, ids and pending transfer', async () => {
    const { client } = await ledger();
    const single = { ...hold(2n, 1n, 0), flags: 0 };
    expect(await statuses(client, [hold(1n, 4n, 60), single])).toEqual(['created', 'created']);
    expect(
      await statuses(client, [
        { ...voidOf(10n, 1n), flags: voidOf(10n, 1n).flags | 4 },
        { ...voidOf(11n, 1n), flags: voidOf(11n, 1n).flags | 2 },
        voidOf(12n, 0n),
        voidOf(13n, 13n),
        { ...voidOf(14n, 1n), timeout: 5 },
        voidOf(15n, 2n),
        { ...voidOf(16n, 1n), debit_account_id: RESOURCE_B },
        { ...voidOf(17n, 1n), code: 9 },
        postOf(18n, 1n, 5n),
      ]),
    ).toEqual([
      'flags_are_mutually_exclusive',
      'flags_are_mutually_exclusive',
      'pending_id_must_not_be_zero',
      'pending_id_must_be_different',
      'timeout_reserved_for_pending_transfer',
      'pending_transfer_not_pending',
      'pending_transfer_has_different_debit_account_id',
      'pending_transfer_has_different_code',
      'exceeds_pending_transfer_amount',
    ]);
  });

  it('answers exceeds_debits for an account whose credits must not exceed its debits', async () => {
    const { client } = await ledger();
    const cmned = AccountFlags.credits_must_not_exceed_debits;
    expect(await accountStatuses(client, [account(30n, cmned)])).toEqual(['created']);
    const credit = { ...hold(1n, 1n, 0), flags: 0, credit_account_id: 30n };
    expect(await statuses(client, [credit])).toEqual(['exceeds_debits']);
  });

  it('checks accounts in TigerBeetle order', async () => {
    const { client } = await ledger();
    const both =
      AccountFlags.debits_must_not_exceed_credits | AccountFlags.credits_must_not_exceed_debits;
    expect(
      await accountStatuses(client, [
        account(0n),
        account((1n << 128n) - 1n),
        account(40n, both),
        { ...account(41n), code: 0 },
        { ...account(42n), debits_posted: 1n },
        { ...account(RESOURCE, AccountFlags.debits_must_not_exceed_credits), user_data_64: 7n },
        { ...account(RESOURCE, AccountFlags.debits_must_not_exceed_credits), ledger: 2 },
        { ...account(RESOURCE, AccountFlags.debits_must_not_exceed_credits), code: 2 },
        { ...account(43n), reserved: 1 },
      ]),
    ).toEqual([
      'id_must_not_be_zero',
      'id_must_not_be_int_max',
      'flags_are_mutually_exclusive',
      'code_must_not_be_zero',
      'debits_posted_must_be_zero',
      'exists_with_different_user_data_64',
      'exists_with_different_ledger',
      'exists_with_different_code',
      'reserved_field',
    ]);
  });

  it('refuses transfers that would overflow a balance', async () => {
    const { client } = await ledger();
    const max = (1n << 128n) - 1n;
    expect(await accountStatuses(client, [account(50n), account(51n)])).toEqual([
      'created',
      'created',
    ]);
    const big = { ...hold(1n, max, 0), flags: 0, debit_account_id: 50n, credit_account_id: 51n };
    expect(await statuses(client, [big, { ...big, id: 2n, amount: 1n }])).toEqual([
      'created',
      'overflows_debits_posted',
    ]);
  });
});

describe('rarer transfers', () => {
  it('refuses a timeout that would overflow a u63 timestamp', async () => {
    // 0.85 s of u63 nanoseconds are left after this instant.
    const { client } = await ledger(9_223_372_036_000);
    expect(await statuses(client, [hold(1n, 1n, 1), hold(2n, 1n, 0)])).toEqual([
      'overflows_timeout',
      'created',
    ]);
  });

  it('closes an account with a pending closing transfer and reopens it on void', async () => {
    const { client, cluster } = await ledger();
    const closing = hold(1n, 0n, 60, TransferFlags.closing_debit);
    expect(await statuses(client, [closing])).toEqual(['created']);
    expect(await statuses(client, [hold(2n, 1n, 60)])).toEqual(['debit_account_already_closed']);
    expect(await statuses(client, [postOf(3n, 1n, 0n)])).toEqual(['debit_account_already_closed']);

    expect(await statuses(client, [voidOf(4n, 1n)])).toEqual(['created']);
    expect(cluster.inspectAccount(RESOURCE)!.flags & AccountFlags.closed).toBe(0);
    expect(await statuses(client, [hold(2n, 1n, 60)])).toEqual(['id_already_failed']);
    expect(await statuses(client, [hold(5n, 1n, 60)])).toEqual(['created']);
  });

  it('moves at most what balances the account for a balancing transfer', async () => {
    const { client, cluster } = await ledger();
    const balancing = hold(1n, 100n, 60, TransferFlags.balancing_debit);
    expect(await statuses(client, [hold(2n, 3n, 60), balancing])).toEqual(['created', 'created']);
    expect(cluster.inspectTransfer(1n)?.transfer.amount).toBe(CAPACITY - 3n);
    // A resend asking for any amount at least what moved is the same transfer.
    expect(await statuses(client, [hold(1n, 50n, 60, TransferFlags.balancing_debit)])).toEqual([
      'exists',
    ]);
    expect(await statuses(client, [hold(1n, 1n, 60, TransferFlags.balancing_debit)])).toEqual([
      'exists_with_different_amount',
    ]);
  });
});

describe('counters', () => {
  it('counts requests, events and statuses', async () => {
    const { client, cluster } = await ledger();
    await statuses(client, [hold(1n, 1n, 60), hold(2n, CAPACITY, 60)]);
    await client.lookupAccounts([RESOURCE, 99n]);
    const counters = cluster.counters();
    expect(counters.requestsByOperation).toEqual({
      create_accounts: 1,
      create_transfers: 2,
      lookup_accounts: 1,
      lookup_transfers: 0,
    });
    expect(counters.requests).toBe(4);
    expect(counters.events).toBe(3 + 2 + 2 + 2);
    expect(counters.transferStatuses).toEqual({ created: 3, exceeds_credits: 1 });
    expect(counters.accountStatuses).toEqual({ created: 3 });
  });
});
