import type {
  Account,
  CreateAccountResult,
  CreateTransferResult,
  Transfer,
} from 'tigerbeetle-node';

/**
 * Exactly the TigerBeetle calls the backend makes, typed as in tigerbeetle-node 0.17: one
 * `{timestamp, status}` per created event, lookups return only what exists. Implemented by the
 * real client (real-ledger-client.ts) and by the simulated cluster (sim/cluster).
 *
 * Rules every implementation enforces: one request in flight at a time, and at most
 * MAX_EVENTS_PER_REQUEST events in one request.
 */
export interface LedgerClient {
  createAccounts(batch: Account[]): Promise<CreateAccountResult[]>;
  createTransfers(batch: Transfer[]): Promise<CreateTransferResult[]>;
  lookupAccounts(ids: bigint[]): Promise<Account[]>;
  lookupTransfers(ids: bigint[]): Promise<Transfer[]>;
  destroy(): void;
}

/** TigerBeetle's limit on events in one request (0.17 line, default message size). */
export const MAX_EVENTS_PER_REQUEST = 8189;

export const LEDGER = 1;
export const CODE = 1;
