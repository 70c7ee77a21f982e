import {
  AccountFlags,
  CreateTransferStatus,
  TransferFlags,
} from 'tigerbeetle-node/dist/bindings.js';
import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';
import type { LedgerState } from './ledger-state.ts';
import {
  hasFlag,
  NS_PER_S,
  overflowsU128,
  TRANSFER_FLAGS_KNOWN,
  U128_MAX,
  U63_MAX,
} from './numbers.ts';
import { postOrVoidPendingTransfer } from './post-void.ts';
import { transferExists } from './transfer-exists.ts';
import type { TransferOutcome } from './transfer-exists.ts';

const S = CreateTransferStatus;

/**
 * One `create_transfers` event, checked in TigerBeetle's order of precedence (0.17 line,
 * `create_transfer` in the state machine): id checks, then idempotency (`exists*`,
 * `id_already_failed`), then the request's own fields, then the accounts, then balances.
 * Batch-level checks (linked chains, `imported`, `timestamp_must_be_zero`) are the caller's.
 */
export function createTransfer(
  state: LedgerState,
  timestampNs: bigint,
  t: Transfer,
): TransferOutcome {
  if ((t.flags & ~TRANSFER_FLAGS_KNOWN) !== 0) return { status: S.reserved_flag };

  if (t.id === 0n) return { status: S.id_must_not_be_zero };
  if (t.id === U128_MAX) return { status: S.id_must_not_be_int_max };

  const existing = state.transfers.get(t.id);
  if (existing !== undefined) return transferExists(state, t, existing.transfer);
  if (state.failedTransferIds.has(t.id)) return { status: S.id_already_failed };

  const resolves =
    hasFlag(t.flags, TransferFlags.post_pending_transfer) ||
    hasFlag(t.flags, TransferFlags.void_pending_transfer);
  if (resolves) return postOrVoidPendingTransfer(state, timestampNs, t);

  const invalid = checkFields(t);
  if (invalid !== undefined) return { status: invalid };

  const dr = state.accounts.get(t.debit_account_id);
  if (dr === undefined) return { status: S.debit_account_not_found };
  const cr = state.accounts.get(t.credit_account_id);
  if (cr === undefined) return { status: S.credit_account_not_found };
  if (dr.ledger !== cr.ledger) return { status: S.accounts_must_have_the_same_ledger };
  if (t.ledger !== dr.ledger) return { status: S.transfer_must_have_the_same_ledger_as_accounts };

  if (hasFlag(dr.flags, AccountFlags.closed)) return { status: S.debit_account_already_closed };
  if (hasFlag(cr.flags, AccountFlags.closed)) return { status: S.credit_account_already_closed };

  const amount = balancedAmount(t, dr, cr);
  const refused = checkBalances(t, amount, timestampNs, dr, cr);
  if (refused !== undefined) return { status: refused };

  apply(state, timestampNs, t, amount, dr, cr);
  return { status: S.created, timestampNs };
}

/** The transfer's own fields, before any account is read. */
function checkFields(t: Transfer): CreateTransferStatus | undefined {
  if (t.debit_account_id === 0n) return S.debit_account_id_must_not_be_zero;
  if (t.debit_account_id === U128_MAX) return S.debit_account_id_must_not_be_int_max;
  if (t.credit_account_id === 0n) return S.credit_account_id_must_not_be_zero;
  if (t.credit_account_id === U128_MAX) return S.credit_account_id_must_not_be_int_max;
  if (t.credit_account_id === t.debit_account_id) return S.accounts_must_be_different;

  if (t.pending_id !== 0n) return S.pending_id_must_be_zero;
  if (!hasFlag(t.flags, TransferFlags.pending)) {
    if (t.timeout !== 0) return S.timeout_reserved_for_pending_transfer;
    const closing =
      hasFlag(t.flags, TransferFlags.closing_debit) ||
      hasFlag(t.flags, TransferFlags.closing_credit);
    if (closing) return S.closing_transfer_must_be_pending;
  }

  if (t.ledger === 0) return S.ledger_must_not_be_zero;
  if (t.code === 0) return S.code_must_not_be_zero;
  return undefined;
}

/** A balancing transfer moves at most what keeps its account within its limit. */
function balancedAmount(t: Transfer, dr: Account, cr: Account): bigint {
  let amount = t.amount;
  if (hasFlag(t.flags, TransferFlags.balancing_debit)) {
    const room = dr.credits_posted - (dr.debits_posted + dr.debits_pending);
    amount = minBigint(amount, room > 0n ? room : 0n);
  }
  if (hasFlag(t.flags, TransferFlags.balancing_credit)) {
    const room = cr.debits_posted - (cr.credits_posted + cr.credits_pending);
    amount = minBigint(amount, room > 0n ? room : 0n);
  }
  return amount;
}

/** Overflows first, then the accounts' limits (`exceeds_credits` / `exceeds_debits`). */
function checkBalances(
  t: Transfer,
  amount: bigint,
  timestampNs: bigint,
  dr: Account,
  cr: Account,
): CreateTransferStatus | undefined {
  const pending = hasFlag(t.flags, TransferFlags.pending);
  if (pending && overflowsU128(amount, dr.debits_pending)) return S.overflows_debits_pending;
  if (pending && overflowsU128(amount, cr.credits_pending)) return S.overflows_credits_pending;
  if (overflowsU128(amount, dr.debits_posted)) return S.overflows_debits_posted;
  if (overflowsU128(amount, cr.credits_posted)) return S.overflows_credits_posted;
  if (overflowsU128(amount, dr.debits_pending, dr.debits_posted)) return S.overflows_debits;
  if (overflowsU128(amount, cr.credits_pending, cr.credits_posted)) return S.overflows_credits;
  if (t.timeout !== 0 && timestampNs + BigInt(t.timeout) * NS_PER_S > U63_MAX) {
    return S.overflows_timeout;
  }

  const drLimited = hasFlag(dr.flags, AccountFlags.debits_must_not_exceed_credits);
  if (drLimited && dr.debits_pending + dr.debits_posted + amount > dr.credits_posted) {
    return S.exceeds_credits;
  }
  const crLimited = hasFlag(cr.flags, AccountFlags.credits_must_not_exceed_debits);
  if (crLimited && cr.credits_pending + cr.credits_posted + amount > cr.debits_posted) {
    return S.exceeds_debits;
  }
  return undefined;
}

function apply(
  state: LedgerState,
  timestampNs: bigint,
  t: Transfer,
  amount: bigint,
  dr: Account,
  cr: Account,
): void {
  const pending = hasFlag(t.flags, TransferFlags.pending);
  state.insertTransfer({
    transfer: {
      id: t.id,
      debit_account_id: t.debit_account_id,
      credit_account_id: t.credit_account_id,
      amount,
      pending_id: t.pending_id,
      user_data_128: t.user_data_128,
      user_data_64: t.user_data_64,
      user_data_32: t.user_data_32,
      timeout: t.timeout,
      ledger: t.ledger,
      code: t.code,
      flags: t.flags,
      timestamp: timestampNs,
    },
    pendingState: pending ? 'pending' : 'none',
    expiresAtNs: pending && t.timeout > 0 ? timestampNs + BigInt(t.timeout) * NS_PER_S : null,
  });

  const drFlags = hasFlag(t.flags, TransferFlags.closing_debit)
    ? dr.flags | AccountFlags.closed
    : dr.flags;
  const crFlags = hasFlag(t.flags, TransferFlags.closing_credit)
    ? cr.flags | AccountFlags.closed
    : cr.flags;
  if (pending) {
    state.updateAccount(dr, amount, 0n, 0n, 0n, drFlags);
    state.updateAccount(cr, 0n, 0n, amount, 0n, crFlags);
  } else {
    state.updateAccount(dr, 0n, amount, 0n, 0n, drFlags);
    state.updateAccount(cr, 0n, 0n, 0n, amount, crFlags);
  }
}

function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
