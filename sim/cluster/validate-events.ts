import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { isU128 } from './numbers.ts';

// The real client refuses a field that does not fit its wire type before anything is sent; a
// simulated cluster that accepted it would hide a bug that production would show.

const U64_MAX = (1n << 64n) - 1n;

function isUint(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function isU64(value: unknown): boolean {
  return typeof value === 'bigint' && value >= 0n && value <= U64_MAX;
}

const U32 = 0xffff_ffff;
const U16 = 0xffff;

/** The first malformed field of an account, as `index.field`, or undefined. */
export function malformedAccount(a: Account, index: number): string | undefined {
  if (typeof a !== 'object' || a === null) return `${index}: not an object`;
  if (!isU128(a.id)) return `${index}.id`;
  if (!isU128(a.debits_pending)) return `${index}.debits_pending`;
  if (!isU128(a.debits_posted)) return `${index}.debits_posted`;
  if (!isU128(a.credits_pending)) return `${index}.credits_pending`;
  if (!isU128(a.credits_posted)) return `${index}.credits_posted`;
  if (!isU128(a.user_data_128)) return `${index}.user_data_128`;
  if (!isU64(a.user_data_64)) return `${index}.user_data_64`;
  if (!isUint(a.user_data_32, U32)) return `${index}.user_data_32`;
  if (!isUint(a.reserved, U32)) return `${index}.reserved`;
  if (!isUint(a.ledger, U32)) return `${index}.ledger`;
  if (!isUint(a.code, U16)) return `${index}.code`;
  if (!isUint(a.flags, U16)) return `${index}.flags`;
  if (!isU64(a.timestamp)) return `${index}.timestamp`;
  return undefined;
}

/** The first malformed field of a transfer, as `index.field`, or undefined. */
export function malformedTransfer(t: Transfer, index: number): string | undefined {
  if (typeof t !== 'object' || t === null) return `${index}: not an object`;
  if (!isU128(t.id)) return `${index}.id`;
  if (!isU128(t.debit_account_id)) return `${index}.debit_account_id`;
  if (!isU128(t.credit_account_id)) return `${index}.credit_account_id`;
  if (!isU128(t.amount)) return `${index}.amount`;
  if (!isU128(t.pending_id)) return `${index}.pending_id`;
  if (!isU128(t.user_data_128)) return `${index}.user_data_128`;
  if (!isU64(t.user_data_64)) return `${index}.user_data_64`;
  if (!isUint(t.user_data_32, U32)) return `${index}.user_data_32`;
  if (!isUint(t.timeout, U32)) return `${index}.timeout`;
  if (!isUint(t.ledger, U32)) return `${index}.ledger`;
  if (!isUint(t.code, U16)) return `${index}.code`;
  if (!isUint(t.flags, U16)) return `${index}.flags`;
  if (!isU64(t.timestamp)) return `${index}.timestamp`;
  return undefined;
}

export function malformedId(id: bigint, index: number): string | undefined {
  return isU128(id) ? undefined : `${index}: id`;
}
