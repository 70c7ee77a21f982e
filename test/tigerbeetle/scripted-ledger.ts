import type {
  Account,
  CreateAccountResult,
  CreateTransferResult,
  Transfer,
} from 'tigerbeetle-node/dist/bindings.js';
import { CreateAccountStatus, CreateTransferStatus } from 'tigerbeetle-node/dist/bindings.js';

import type { LedgerClient } from '../../src/backends/tigerbeetle/ledger-client.ts';

/** One create_transfers request the scripted ledger received, answered when the test says. */
export interface ScriptedRequest {
  client: number;
  transfers: Transfer[];
  answer(results?: CreateTransferResult[]): void;
  fail(error: Error): void;
  answered: boolean;
}

/**
 * A LedgerClient whose answers the test scripts. By default every event is `created` with the
 * timestamp `id · 1000` (so a test can tell which event an answer belongs to); `statusOf` picks
 * another status per transfer. With `manual`, requests wait until the test answers them.
 * Breaks the test loudly if a client is sent a second request while one is in flight.
 */
export class ScriptedLedger {
  readonly requests: ScriptedRequest[] = [];
  manual = false;
  statusOf: (transfer: Transfer) => CreateTransferStatus = () => CreateTransferStatus.created;
  readonly violations: string[] = [];

  client(index: number): LedgerClient {
    let inFlight = false;
    return {
      createTransfers: (transfers: Transfer[]): Promise<CreateTransferResult[]> => {
        if (inFlight) this.violations.push(`client ${index}: second request in flight`);
        inFlight = true;
        return new Promise((resolve, reject) => {
          const request: ScriptedRequest = {
            client: index,
            transfers: [...transfers],
            answered: false,
            answer: (results) => {
              request.answered = true;
              inFlight = false;
              resolve(results ?? transfers.map((t) => this.result(t)));
            },
            fail: (error) => {
              request.answered = true;
              inFlight = false;
              reject(error);
            },
          };
          this.requests.push(request);
          if (!this.manual) request.answer();
        });
      },
      createAccounts: async (batch: Account[]): Promise<CreateAccountResult[]> =>
        batch.map(() => ({ timestamp: 1n, status: CreateAccountStatus.created })),
      lookupAccounts: async (): Promise<Account[]> => [],
      lookupTransfers: async (): Promise<Transfer[]> => [],
      destroy: () => undefined,
    };
  }

  clients(count: number): LedgerClient[] {
    return Array.from({ length: count }, (_, i) => this.client(i));
  }

  pending(): ScriptedRequest[] {
    return this.requests.filter((r) => !r.answered);
  }

  private result(transfer: Transfer): CreateTransferResult {
    return { timestamp: transfer.id * 1000n, status: this.statusOf(transfer) };
  }
}

/** Lets every queued microtask (and the promise reactions they queue) run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
