import {
  AccountFlags,
  CreateAccountStatus,
  CreateTransferStatus,
  TransferFlags,
} from 'tigerbeetle-node/dist/bindings.js';
import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { SimulatedCluster } from '../../sim/cluster/index.ts';
import type { LedgerClient } from '../../src/backends/tigerbeetle/ledger-client.ts';
import { newAccount } from '../../src/backends/tigerbeetle/accounts.ts';
import { newTransfer } from '../../src/backends/tigerbeetle/transfers.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';

export const START_MS = 1_700_000_000_000;
export const OPERATOR = 1n;
/** A limited account (`debits_must_not_exceed_credits`) credited with CAPACITY. */
export const RESOURCE = 2n;
/** A second limited account, credited with CAPACITY. */
export const RESOURCE_B = 3n;
export const CAPACITY = 10n;

export function account(id: bigint, flags = 0): Account {
  return newAccount(id, flags);
}

export function transfer(fields: Partial<Transfer> & { id: bigint }): Transfer {
  return newTransfer(fields);
}

/** A hold: a pending transfer from a limited account (RESOURCE by default) to the operator. */
export function hold(id: bigint, amount: bigint, timeoutS: number, flags = 0, debit = RESOURCE) {
  return transfer({
    id,
    debit_account_id: debit,
    credit_account_id: OPERATOR,
    amount,
    timeout: timeoutS,
    flags: TransferFlags.pending | flags,
  });
}

export function voidOf(id: bigint, pendingId: bigint, amount = 0n, flags = 0): Transfer {
  return transfer({
    id,
    pending_id: pendingId,
    amount,
    flags: TransferFlags.void_pending_transfer | flags,
  });
}

export function postOf(id: bigint, pendingId: bigint, amount: bigint, flags = 0): Transfer {
  return transfer({
    id,
    pending_id: pendingId,
    amount,
    flags: TransferFlags.post_pending_transfer | flags,
  });
}

export const LINKED = TransferFlags.linked;

export interface Ledger {
  clock: FakeClock;
  cluster: SimulatedCluster;
  client: LedgerClient;
}

/** A fresh cluster with the operator and two limited accounts holding CAPACITY each. */
export async function ledger(startMs = START_MS): Promise<Ledger> {
  const clock = new FakeClock(startMs);
  const cluster = new SimulatedCluster({ clock });
  const client = cluster.client();
  const dmnec = AccountFlags.debits_must_not_exceed_credits;
  await client.createAccounts([
    account(OPERATOR),
    account(RESOURCE, dmnec),
    account(RESOURCE_B, dmnec),
  ]);
  await client.createTransfers([
    transfer({
      id: 900n,
      debit_account_id: OPERATOR,
      credit_account_id: RESOURCE,
      amount: CAPACITY,
    }),
    transfer({
      id: 901n,
      debit_account_id: OPERATOR,
      credit_account_id: RESOURCE_B,
      amount: CAPACITY,
    }),
  ]);
  return { clock, cluster, client };
}

export async function statuses(client: LedgerClient, batch: Transfer[]): Promise<string[]> {
  const results = await client.createTransfers(batch);
  return results.map((r) => CreateTransferStatus[r.status] ?? String(r.status));
}

export async function accountStatuses(client: LedgerClient, batch: Account[]): Promise<string[]> {
  const results = await client.createAccounts(batch);
  return results.map((r) => CreateAccountStatus[r.status] ?? String(r.status));
}

/** Pending debits of RESOURCE (what it holds) as the cluster answers a lookup now. */
export async function heldOn(client: LedgerClient, id = RESOURCE): Promise<bigint> {
  const [found] = await client.lookupAccounts([id]);
  if (found === undefined) throw new Error(`account ${id} not found`);
  return found.debits_pending;
}
