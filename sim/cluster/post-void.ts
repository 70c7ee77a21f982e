import {
  AccountFlags,
  CreateTransferStatus,
  TransferFlags,
} from 'tigerbeetle-node/dist/bindings.js';
import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { assert } from '../../src/domain/assert.ts';
import type { LedgerState, TransferRecord } from './ledger-state.ts';
import { hasFlag, U128_MAX } from './numbers.ts';
import type { TransferOutcome } from './transfer-exists.ts';

const S = CreateTransferStatus;

const EXCLUSIVE_WITH_RESOLVING =
  TransferFlags.pending |
  TransferFlags.balancing_debit |
  TransferFlags.balancing_credit |
  TransferFlags.closing_debit |
  TransferFlags.closing_credit;

/**
 * A transfer that posts or voids a pending transfer (0.17 line, `post_or_void_pending_transfer`).
 * Amounts: a void names 0 or exactly the pending amount; a post names at most the pending amount,
 * and 2^128 − 1 (`amount_max` in the client) for all of it. A post of 0 posts nothing and
 * releases the whole hold.
 */
export function postOrVoidPendingTransfer(
  state: LedgerState,
  timestampNs: bigint,
  t: Transfer,
): TransferOutcome {
  const isPost = hasFlag(t.flags, TransferFlags.post_pending_transfer);
  const isVoid = hasFlag(t.flags, TransferFlags.void_pending_transfer);
  assert(isPost || isVoid, 'postOrVoidPendingTransfer: neither post nor void');

  if (isPost && isVoid) return { status: S.flags_are_mutually_exclusive };
  if ((t.flags & EXCLUSIVE_WITH_RESOLVING) !== 0) return { status: S.flags_are_mutually_exclusive };

  if (t.pending_id === 0n) return { status: S.pending_id_must_not_be_zero };
  if (t.pending_id === U128_MAX) return { status: S.pending_id_must_not_be_int_max };
  if (t.pending_id === t.id) return { status: S.pending_id_must_be_different };
  if (t.timeout !== 0) return { status: S.timeout_reserved_for_pending_transfer };

  const record = state.transfers.get(t.pending_id);
  if (record === undefined) return { status: S.pending_transfer_not_found };
  const p = record.transfer;
  if (!hasFlag(p.flags, TransferFlags.pending)) return { status: S.pending_transfer_not_pending };

  const mismatch = checkAgainstPending(t, p);
  if (mismatch !== undefined) return { status: mismatch };

  const fullMarker = isVoid ? 0n : U128_MAX;
  const amount = t.amount === fullMarker ? p.amount : t.amount;
  if (amount > p.amount) return { status: S.exceeds_pending_transfer_amount };
  if (isVoid && amount < p.amount) return { status: S.pending_transfer_has_different_amount };

  const resolved = checkStillPending(record, timestampNs);
  if (resolved !== undefined) return { status: resolved };

  const dr = state.accounts.get(p.debit_account_id);
  const cr = state.accounts.get(p.credit_account_id);
  assert(dr !== undefined && cr !== undefined, 'post/void: the pending transfer lost its accounts');
  if (hasFlag(dr.flags, AccountFlags.closed) && !isVoid) {
    return { status: S.debit_account_already_closed };
  }
  if (hasFlag(cr.flags, AccountFlags.closed) && !isVoid) {
    return { status: S.credit_account_already_closed };
  }

  apply(state, timestampNs, t, record, amount, dr, cr);
  return { status: S.created, timestampNs };
}

/** Optional fields left zero inherit from the pending transfer; set ones must match it. */
function checkAgainstPending(t: Transfer, p: Transfer): CreateTransferStatus | undefined {
  if (t.debit_account_id !== 0n && t.debit_account_id !== p.debit_account_id) {
    return S.pending_transfer_has_different_debit_account_id;
  }
  if (t.credit_account_id !== 0n && t.credit_account_id !== p.credit_account_id) {
    return S.pending_transfer_has_different_credit_account_id;
  }
  if (t.ledger !== 0 && t.ledger !== p.ledger) return S.pending_transfer_has_different_ledger;
  if (t.code !== 0 && t.code !== p.code) return S.pending_transfer_has_different_code;
  return undefined;
}

/**
 * Already posted, voided or expired. Expiry is released lazily at each request's instant, and
 * TigerBeetle also refuses a transfer whose timeout has passed by the event's own timestamp even
 * if its expiry step has not run yet.
 */
function checkStillPending(
  record: TransferRecord,
  timestampNs: bigint,
): CreateTransferStatus | undefined {
  switch (record.pendingState) {
    case 'posted':
      return S.pending_transfer_already_posted;
    case 'voided':
      return S.pending_transfer_already_voided;
    case 'expired':
      return S.pending_transfer_expired;
    case 'pending':
      break;
    case 'none':
      assert(false, `post/void: pending transfer ${record.transfer.id} has no pending state`);
  }
  if (record.expiresAtNs !== null && record.expiresAtNs <= timestampNs) {
    return S.pending_transfer_expired;
  }
  return undefined;
}

function apply(
  state: LedgerState,
  timestampNs: bigint,
  t: Transfer,
  record: TransferRecord,
  amount: bigint,
  dr: Account,
  cr: Account,
): void {
  const p = record.transfer;
  const isPost = hasFlag(t.flags, TransferFlags.post_pending_transfer);

  state.insertTransfer({
    transfer: {
      id: t.id,
      debit_account_id: p.debit_account_id,
      credit_account_id: p.credit_account_id,
      amount,
      pending_id: t.pending_id,
      user_data_128: t.user_data_128 !== 0n ? t.user_data_128 : p.user_data_128,
      user_data_64: t.user_data_64 !== 0n ? t.user_data_64 : p.user_data_64,
      user_data_32: t.user_data_32 !== 0 ? t.user_data_32 : p.user_data_32,
      timeout: 0,
      ledger: p.ledger,
      code: p.code,
      flags: t.flags,
      timestamp: timestampNs,
    },
    pendingState: 'none',
    expiresAtNs: null,
  });
  state.setPendingState(record, isPost ? 'posted' : 'voided');

  // A void reopens the accounts its closing transfer closed; a closing transfer cannot be
  // posted (its account is closed, refused above).
  const reopenDr = !isPost && hasFlag(p.flags, TransferFlags.closing_debit);
  const reopenCr = !isPost && hasFlag(p.flags, TransferFlags.closing_credit);
  const drFlags = reopenDr ? dr.flags & ~AccountFlags.closed : dr.flags;
  const crFlags = reopenCr ? cr.flags & ~AccountFlags.closed : cr.flags;
  const posted = isPost ? amount : 0n;
  state.updateAccount(dr, -p.amount, posted, 0n, 0n, drFlags);
  state.updateAccount(cr, 0n, 0n, -p.amount, posted, crFlags);
}
