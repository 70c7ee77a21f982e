import { CreateAccountStatus, CreateTransferStatus } from 'tigerbeetle-node/dist/bindings.js';

export type ClusterOperation =
  | 'create_accounts'
  | 'create_transfers'
  | 'lookup_accounts'
  | 'lookup_transfers';

/** A snapshot of what the cluster has done, for benchmarks, metrics and tests. */
export interface ClusterCountersSnapshot {
  /** Requests applied (refused ones are not counted here). */
  requests: number;
  requestsByOperation: Record<ClusterOperation, number>;
  /** Events applied: accounts and transfers created or refused, ids looked up. */
  events: number;
  /** Per status name, over every create_accounts event. */
  accountStatuses: Record<string, number>;
  /** Per status name, over every create_transfers event. */
  transferStatuses: Record<string, number>;
  /** Pending transfers released by expiry. */
  expired: number;
  /** Requests refused by the client rules (in flight, too many events, closed, malformed). */
  refused: number;
  restarts: number;
  /** Requests that had to wait for the cluster to become available. */
  delayedByUnavailability: number;
}

export class ClusterCounters {
  requests = 0;
  events = 0;
  expired = 0;
  refused = 0;
  restarts = 0;
  delayedByUnavailability = 0;
  private readonly byOperation: Record<ClusterOperation, number> = {
    create_accounts: 0,
    create_transfers: 0,
    lookup_accounts: 0,
    lookup_transfers: 0,
  };
  private readonly accountStatuses = new Map<number, number>();
  private readonly transferStatuses = new Map<number, number>();

  countRequest(operation: ClusterOperation, events: number): void {
    this.requests++;
    this.byOperation[operation]++;
    this.events += events;
  }

  countStatus(operation: ClusterOperation, status: number): void {
    const counts = operation === 'create_accounts' ? this.accountStatuses : this.transferStatuses;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }

  snapshot(): ClusterCountersSnapshot {
    return {
      requests: this.requests,
      requestsByOperation: { ...this.byOperation },
      events: this.events,
      accountStatuses: named(this.accountStatuses, CreateAccountStatus),
      transferStatuses: named(this.transferStatuses, CreateTransferStatus),
      expired: this.expired,
      refused: this.refused,
      restarts: this.restarts,
      delayedByUnavailability: this.delayedByUnavailability,
    };
  }
}

function named(counts: Map<number, number>, names: Record<number, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [status, count] of counts) out[names[status] ?? `status_${status}`] = count;
  return out;
}
