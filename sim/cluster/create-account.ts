import { AccountFlags, CreateAccountStatus } from 'tigerbeetle-node/dist/bindings.js';
import type { Account } from 'tigerbeetle-node/dist/bindings.js';
import type { LedgerState } from './ledger-state.ts';
import { ACCOUNT_FLAGS_KNOWN, hasFlag, U128_MAX } from './numbers.ts';

/** A create status and, for `created` and `exists`, the object's timestamp. */
export interface AccountOutcome {
  status: CreateAccountStatus;
  timestampNs?: bigint;
}

/**
 * One `create_accounts` event, checked in TigerBeetle's order of precedence (0.17 line,
 * `create_account` in the state machine). Batch-level checks (linked chains, `imported`,
 * `timestamp_must_be_zero`) are made by the caller.
 */
export function createAccount(state: LedgerState, timestampNs: bigint, a: Account): AccountOutcome {
  if (a.reserved !== 0) return { status: CreateAccountStatus.reserved_field };
  if ((a.flags & ~ACCOUNT_FLAGS_KNOWN) !== 0) return { status: CreateAccountStatus.reserved_flag };

  if (a.id === 0n) return { status: CreateAccountStatus.id_must_not_be_zero };
  if (a.id === U128_MAX) return { status: CreateAccountStatus.id_must_not_be_int_max };

  const existing = state.accounts.get(a.id);
  if (existing !== undefined) return accountExists(a, existing);

  const dmnec = hasFlag(a.flags, AccountFlags.debits_must_not_exceed_credits);
  const cmned = hasFlag(a.flags, AccountFlags.credits_must_not_exceed_debits);
  if (dmnec && cmned) return { status: CreateAccountStatus.flags_are_mutually_exclusive };

  if (a.debits_pending !== 0n) return { status: CreateAccountStatus.debits_pending_must_be_zero };
  if (a.debits_posted !== 0n) return { status: CreateAccountStatus.debits_posted_must_be_zero };
  if (a.credits_pending !== 0n) return { status: CreateAccountStatus.credits_pending_must_be_zero };
  if (a.credits_posted !== 0n) return { status: CreateAccountStatus.credits_posted_must_be_zero };
  if (a.ledger === 0) return { status: CreateAccountStatus.ledger_must_not_be_zero };
  if (a.code === 0) return { status: CreateAccountStatus.code_must_not_be_zero };

  state.insertAccount({
    id: a.id,
    debits_pending: 0n,
    debits_posted: 0n,
    credits_pending: 0n,
    credits_posted: 0n,
    user_data_128: a.user_data_128,
    user_data_64: a.user_data_64,
    user_data_32: a.user_data_32,
    reserved: 0,
    ledger: a.ledger,
    code: a.code,
    flags: a.flags,
    timestamp: timestampNs,
  });
  return { status: CreateAccountStatus.created, timestampNs };
}

/** Flags first, then user data, ledger and code; balances are never compared. */
function accountExists(a: Account, e: Account): AccountOutcome {
  if (a.flags !== e.flags) return { status: CreateAccountStatus.exists_with_different_flags };
  if (a.user_data_128 !== e.user_data_128) {
    return { status: CreateAccountStatus.exists_with_different_user_data_128 };
  }
  if (a.user_data_64 !== e.user_data_64) {
    return { status: CreateAccountStatus.exists_with_different_user_data_64 };
  }
  if (a.user_data_32 !== e.user_data_32) {
    return { status: CreateAccountStatus.exists_with_different_user_data_32 };
  }
  if (a.ledger !== e.ledger) return { status: CreateAccountStatus.exists_with_different_ledger };
  if (a.code !== e.code) return { status: CreateAccountStatus.exists_with_different_code };
  return { status: CreateAccountStatus.exists, timestampNs: e.timestamp };
}
