import { CreateTransferStatus, TransferFlags } from 'tigerbeetle-node/dist/bindings.js';
import type { Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { assert } from '../../src/domain/assert.ts';
import type { LedgerState } from './ledger-state.ts';
import { hasFlag, U128_MAX } from './numbers.ts';

export interface TransferOutcome {
  status: CreateTransferStatus;
  /** Set for `created` and `exists`: the stored transfer's timestamp. */
  timestampNs?: bigint;
}

const S = CreateTransferStatus;

/**
 * A transfer sent again under an id that exists: `exists` only when it asks for the same thing.
 * Flags are compared first because they decide what the other fields mean; a post or void
 * compares against the pending transfer it resolved (its optional fields may be left zero).
 */
export function transferExists(state: LedgerState, t: Transfer, e: Transfer): TransferOutcome {
  if (t.flags !== e.flags) return { status: S.exists_with_different_flags };
  if (t.pending_id !== e.pending_id) return { status: S.exists_with_different_pending_id };
  if (t.timeout !== e.timeout) return { status: S.exists_with_different_timeout };

  const resolves =
    hasFlag(t.flags, TransferFlags.post_pending_transfer) ||
    hasFlag(t.flags, TransferFlags.void_pending_transfer);
  if (resolves) {
    const p = state.transfers.get(t.pending_id);
    assert(p !== undefined, 'transferExists: the resolved pending transfer is gone');
    return postOrVoidExists(t, e, p.transfer);
  }

  if (t.debit_account_id !== e.debit_account_id) {
    return { status: S.exists_with_different_debit_account_id };
  }
  if (t.credit_account_id !== e.credit_account_id) {
    return { status: S.exists_with_different_credit_account_id };
  }

  // A balancing transfer's amount is an upper limit; a resend within it is the same transfer.
  const balancing =
    hasFlag(t.flags, TransferFlags.balancing_debit) ||
    hasFlag(t.flags, TransferFlags.balancing_credit);
  if (balancing ? t.amount < e.amount : t.amount !== e.amount) {
    return { status: S.exists_with_different_amount };
  }

  return sameUserDataLedgerCode(t, e) ?? { status: S.exists, timestampNs: e.timestamp };
}

function postOrVoidExists(t: Transfer, e: Transfer, p: Transfer): TransferOutcome {
  if (t.debit_account_id !== 0n && t.debit_account_id !== e.debit_account_id) {
    return { status: S.exists_with_different_debit_account_id };
  }
  if (t.credit_account_id !== 0n && t.credit_account_id !== e.credit_account_id) {
    return { status: S.exists_with_different_credit_account_id };
  }

  // Zero (void) or 2^128 − 1 (post) stands for the pending amount.
  const fullMarker = hasFlag(t.flags, TransferFlags.void_pending_transfer) ? 0n : U128_MAX;
  const asked = t.amount === fullMarker ? p.amount : t.amount;
  if (asked !== e.amount) return { status: S.exists_with_different_amount };

  // User data left zero was inherited from the pending transfer.
  const inherited: Transfer = {
    ...t,
    user_data_128: t.user_data_128 === 0n ? p.user_data_128 : t.user_data_128,
    user_data_64: t.user_data_64 === 0n ? p.user_data_64 : t.user_data_64,
    user_data_32: t.user_data_32 === 0 ? p.user_data_32 : t.user_data_32,
    ledger: t.ledger === 0 ? e.ledger : t.ledger,
    code: t.code === 0 ? e.code : t.code,
  };
  return sameUserDataLedgerCode(inherited, e) ?? { status: S.exists, timestampNs: e.timestamp };
}

function sameUserDataLedgerCode(t: Transfer, e: Transfer): TransferOutcome | undefined {
  if (t.user_data_128 !== e.user_data_128) return { status: S.exists_with_different_user_data_128 };
  if (t.user_data_64 !== e.user_data_64) return { status: S.exists_with_different_user_data_64 };
  if (t.user_data_32 !== e.user_data_32) return { status: S.exists_with_different_user_data_32 };
  if (t.ledger !== e.ledger) return { status: S.exists_with_different_ledger };
  if (t.code !== e.code) return { status: S.exists_with_different_code };
  return undefined;
}
