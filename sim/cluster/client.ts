import type {
  Account,
  CreateAccountResult,
  CreateTransferResult,
  Transfer,
} from 'tigerbeetle-node/dist/bindings.js';
import { AccountFlags, TransferFlags } from 'tigerbeetle-node/dist/bindings.js';
import type { LedgerClient } from '../../src/backends/tigerbeetle/ledger-client.ts';
import { MAX_EVENTS_PER_REQUEST } from '../../src/backends/tigerbeetle/ledger-client.ts';
import type { ClusterRequest, SimulatedCluster } from './cluster.ts';
import type { ClusterCounters, ClusterOperation } from './counters.ts';
import { hasFlag } from './numbers.ts';
import { malformedAccount, malformedId, malformedTransfer } from './validate-events.ts';

/** Why the client refused a request before sending it (a programming error of the caller). */
export type ClientErrorCode =
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_TOO_MUCH_DATA'
  | 'ERR_REQUEST_IN_FLIGHT'
  | 'ERR_INVALID_EVENT'
  | 'ERR_NOT_MODELLED';

export class SimulatedClientError extends Error {
  override name = 'SimulatedClientError';

  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * A LedgerClient on a SimulatedCluster, with the client rules this project holds every
 * TigerBeetle client to: one request in flight at a time (a second call before the first is
 * answered is refused), at most MAX_EVENTS_PER_REQUEST events a request, every field in its wire
 * range. An empty request is answered with an empty list.
 *
 * The request stays in flight until its answer is delivered: the flag is cleared by the first
 * reaction registered on the returned promise, so a caller that awaits the answer may send the
 * next request at once, and `Promise.all` of two calls fails whether or not faults delay them.
 */
export class SimulatedLedgerClient implements LedgerClient {
  private inFlight = false;
  private closed = false;

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly counters: ClusterCounters,
  ) {}

  createAccounts(batch: Account[]): Promise<CreateAccountResult[]> {
    const malformed = firstMalformed(batch, malformedAccount);
    const imported = batch.length > 0 && hasFlag(batch[0]!.flags, AccountFlags.imported);
    return this.send('create_accounts', batch, malformed, imported);
  }

  createTransfers(batch: Transfer[]): Promise<CreateTransferResult[]> {
    const malformed = firstMalformed(batch, malformedTransfer);
    const imported = batch.length > 0 && hasFlag(batch[0]!.flags, TransferFlags.imported);
    return this.send('create_transfers', batch, malformed, imported);
  }

  lookupAccounts(ids: bigint[]): Promise<Account[]> {
    return this.send('lookup_accounts', ids, firstMalformed(ids, malformedId), false);
  }

  lookupTransfers(ids: bigint[]): Promise<Transfer[]> {
    return this.send('lookup_transfers', ids, firstMalformed(ids, malformedId), false);
  }

  /**
   * Closes the client: later calls are refused with ERR_CLIENT_CLOSED, and so is the answer of a
   * request in flight. That request is still on the wire, so the cluster still applies it.
   */
  destroy(): void {
    this.closed = true;
  }

  private send<R>(
    operation: ClusterOperation,
    events: readonly unknown[],
    malformed: string | undefined,
    imported: boolean,
  ): Promise<R[]> {
    const refusal = this.refusal(operation, events, malformed, imported);
    if (refusal !== undefined) {
      this.counters.refused++;
      return Promise.reject(refusal);
    }
    if (events.length === 0) return Promise.resolve([]);

    this.inFlight = true;
    let settle!: (results: R[]) => void;
    let fail!: (error: Error) => void;
    const answer = new Promise<R[]>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    // Registered first, so it runs before any reaction of the caller.
    const clear = (): void => void (this.inFlight = false);
    answer.then(clear, clear);

    const request: ClusterRequest = {
      operation,
      // Copied as the real client serializes them: later changes by the caller do not travel.
      events: events.map((event) => (typeof event === 'object' ? { ...event } : event)),
      resolve: (results) => {
        if (this.closed) fail(new SimulatedClientError('ERR_CLIENT_CLOSED', 'client closed'));
        else settle(results as R[]);
      },
    };
    this.cluster.submit(request);
    return answer;
  }

  private refusal(
    operation: ClusterOperation,
    events: readonly unknown[],
    malformed: string | undefined,
    imported: boolean,
  ): SimulatedClientError | undefined {
    if (this.closed) return new SimulatedClientError('ERR_CLIENT_CLOSED', 'client closed');
    if (this.inFlight) {
      return new SimulatedClientError(
        'ERR_REQUEST_IN_FLIGHT',
        `${operation} sent while another request of this client is in flight; ` +
          'a TigerBeetle client has one request in flight at a time',
      );
    }
    if (events.length > MAX_EVENTS_PER_REQUEST) {
      return new SimulatedClientError(
        'ERR_TOO_MUCH_DATA',
        `${operation} with ${events.length} events; at most ${MAX_EVENTS_PER_REQUEST}`,
      );
    }
    if (malformed !== undefined) {
      return new SimulatedClientError('ERR_INVALID_EVENT', `${operation}: bad field ${malformed}`);
    }
    if (imported) {
      return new SimulatedClientError('ERR_NOT_MODELLED', `${operation}: imported events`);
    }
    return undefined;
  }
}

function firstMalformed<E>(
  events: readonly E[],
  check: (event: E, index: number) => string | undefined,
): string | undefined {
  for (let i = 0; i < events.length; i++) {
    const problem = check(events[i]!, i);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
