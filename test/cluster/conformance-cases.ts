import { readFileSync } from 'node:fs';
import {
  AccountFlags,
  CreateAccountStatus,
  CreateTransferStatus,
  TransferFlags,
} from 'tigerbeetle-node/dist/bindings.js';
import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';

import { newAccount } from '../../src/backends/tigerbeetle/accounts.ts';

/**
 * Reads test/fixtures/tigerbeetle/conformance.jsonl (what a real TigerBeetle server answered; see
 * the README beside it) into cases of typed steps.
 */

type RecordedId = number | '0' | 'max';

export interface RecordedLine {
  case: string;
  step: number;
  op:
    | 'create_accounts'
    | 'create_transfers'
    | 'lookup_accounts'
    | 'lookup_transfers'
    | 'advance_clock';
  events?: Array<Record<string, unknown>>;
  ids?: RecordedId[];
  ms?: number;
  expect?: unknown[];
}

export interface RecordedCase {
  name: string;
  steps: RecordedLine[];
}

const FIXTURE = new URL('../fixtures/tigerbeetle/conformance.jsonl', import.meta.url);

export function loadCases(): RecordedCase[] {
  const byName = new Map<string, RecordedLine[]>();
  for (const text of readFileSync(FIXTURE, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as RecordedLine;
    const steps = byName.get(line.case) ?? [];
    steps.push(line);
    byName.set(line.case, steps);
  }
  return [...byName].map(([name, steps]) => ({
    name,
    steps: steps.sort((a, b) => a.step - b.step),
  }));
}

export function recordedId(id: unknown): bigint {
  if (id === undefined) return 0n;
  if (id === 'max') return (1n << 128n) - 1n;
  if (id === '0') return 0n;
  if (typeof id === 'number' || typeof id === 'string') return BigInt(id);
  throw new Error(`conformance: bad id ${String(id)}`);
}

const ACCOUNT_FLAG_NAMES: Record<string, number> = {
  linked: AccountFlags.linked,
  dmnec: AccountFlags.debits_must_not_exceed_credits,
};

const TRANSFER_FLAG_NAMES: Record<string, number> = {
  linked: TransferFlags.linked,
  pending: TransferFlags.pending,
  post: TransferFlags.post_pending_transfer,
  void: TransferFlags.void_pending_transfer,
};

function flagBits(names: unknown, table: Record<string, number>): number {
  let bits = 0;
  for (const name of (names as string[] | undefined) ?? []) {
    const bit = table[name];
    if (bit === undefined) throw new Error(`conformance: unknown flag ${name}`);
    bits |= bit;
  }
  return bits;
}

export function recordedAccount(event: Record<string, unknown>): Account {
  return newAccount(recordedId(event['id']), flagBits(event['flags'], ACCOUNT_FLAG_NAMES));
}

export function recordedTransfer(event: Record<string, unknown>): Transfer {
  return {
    id: recordedId(event['id']),
    debit_account_id: recordedId(event['debit']),
    credit_account_id: recordedId(event['credit']),
    amount: BigInt((event['amount'] as number | undefined) ?? 0),
    pending_id: recordedId(event['pending_id']),
    user_data_128: 0n,
    user_data_64: 0n,
    user_data_32: 0,
    timeout: (event['timeout'] as number | undefined) ?? 0,
    ledger: 1,
    code: 1,
    flags: flagBits(event['flags'], TRANSFER_FLAG_NAMES),
    timestamp: 0n,
  };
}

export function accountStatusName(status: number): string {
  return CreateAccountStatus[status] ?? `unknown_${status}`;
}

export function transferStatusName(status: number): string {
  return CreateTransferStatus[status] ?? `unknown_${status}`;
}

/** An object found by a lookup, written as the recording writes it (bigints as strings). */
export function asRecorded(found: Account | Transfer, expected: Record<string, unknown>): object {
  const out: Record<string, unknown> = {};
  for (const [field, want] of Object.entries(expected)) {
    const have = (found as Record<string, unknown>)[field];
    if (typeof have === 'bigint') {
      out[field] = typeof want === 'string' ? have.toString() : Number(have);
    } else {
      out[field] = have;
    }
  }
  return out;
}
