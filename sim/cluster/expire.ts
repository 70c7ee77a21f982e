import { AccountFlags, TransferFlags } from 'tigerbeetle-node/dist/bindings.js';
import { assert } from '../../src/domain/assert.ts';
import type { LedgerState } from './ledger-state.ts';
import { hasFlag } from './numbers.ts';

/**
 * Expires every pending transfer due at or before `nowMs`: its amount leaves the accounts'
 * pending balances and it answers `pending_transfer_expired` from then on. A transfer counts as
 * due at ⌊expiresAtNs / 1e6⌋ ms, the instant the memory backend releases the same hold.
 *
 * A real cluster does this on a periodic step (about every 100 ms on the 0.17 line), so it
 * releases up to a few hundred ms late; this model releases exactly on time, which every
 * recorded answer agrees with. Returns how many transfers expired.
 */
export function expireDue(state: LedgerState, nowMs: number): number {
  let expired = 0;
  for (;;) {
    const record = state.expiries.popDue(nowMs);
    if (record === undefined) return expired;

    // Posted, voided, or rolled back with its chain since it was queued.
    if (record.rolledBack === true || record.pendingState !== 'pending') continue;

    const p = record.transfer;
    const dr = state.accounts.get(p.debit_account_id);
    const cr = state.accounts.get(p.credit_account_id);
    assert(dr !== undefined && cr !== undefined, 'expireDue: the accounts of a transfer are gone');

    state.setPendingState(record, 'expired');
    // An expired closing transfer reopens its account.
    const drFlags = hasFlag(p.flags, TransferFlags.closing_debit)
      ? dr.flags & ~AccountFlags.closed
      : dr.flags;
    const crFlags = hasFlag(p.flags, TransferFlags.closing_credit)
      ? cr.flags & ~AccountFlags.closed
      : cr.flags;
    state.updateAccount(dr, -p.amount, 0n, 0n, 0n, drFlags);
    state.updateAccount(cr, 0n, 0n, -p.amount, 0n, crFlags);
    expired++;
  }
}
