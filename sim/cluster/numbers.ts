import { AccountFlags, TransferFlags } from 'tigerbeetle-node/dist/bindings.js';

// The enums come from the client's pure-JS bindings file: importing the package root would
// load the native client library, which a simulation never needs.

/** 2^128 − 1: reserved as an id, and the "post the full pending amount" marker. */
export const U128_MAX = (1n << 128n) - 1n;

/** Timestamps are u63 in TigerBeetle (the top bit of the u64 marks tombstones). */
export const U63_MAX = (1n << 63n) - 1n;

export const NS_PER_MS = 1_000_000n;
export const NS_PER_S = 1_000_000_000n;

/** Account flag bits the 0.17 line defines; anything above is `reserved_flag`. */
export const ACCOUNT_FLAGS_KNOWN =
  AccountFlags.linked |
  AccountFlags.debits_must_not_exceed_credits |
  AccountFlags.credits_must_not_exceed_debits |
  AccountFlags.history |
  AccountFlags.imported |
  AccountFlags.closed;

/** Transfer flag bits the 0.17 line defines; anything above is `reserved_flag`. */
export const TRANSFER_FLAGS_KNOWN =
  TransferFlags.linked |
  TransferFlags.pending |
  TransferFlags.post_pending_transfer |
  TransferFlags.void_pending_transfer |
  TransferFlags.balancing_debit |
  TransferFlags.balancing_credit |
  TransferFlags.closing_debit |
  TransferFlags.closing_credit |
  TransferFlags.imported;

export function hasFlag(flags: number, flag: number): boolean {
  return (flags & flag) !== 0;
}

const U126 = 1n << 126n;

/**
 * True when the sum does not fit in a u128 (TigerBeetle's `sum_overflows(u128, ...)`). Balances
 * are almost always far below 2^126, where comparisons answer without allocating a sum.
 */
export function overflowsU128(a: bigint, b: bigint, c = 0n): boolean {
  if (a < U126 && b < U126 && c < U126) return false;
  return a + b + c > U128_MAX;
}

export function isU128(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= U128_MAX;
}
