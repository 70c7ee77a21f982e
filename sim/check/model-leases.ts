import { MinHeap } from '../../src/backends/common/min-heap.ts';
import type { Requirement, ReserveResponse } from '../../src/domain/requests.ts';
import type { ModelHold } from './key-holds.ts';


/**
 * A lease as the model knows it from the answers. `unsure` means a fault left it open what the
 * backend did (a backend_error, a replay after a restart): its holds are bounded, not exact,
 * and later answers about it are checked only for safety.
 */
export interface ModelLease {
  status: 'allowed' | 'denied' | 'completed' | 'unsure';
  requirements: Requirement[];
  reservedAtMs: number;
  firstExpiryMs: number;
  lastExpiryMs: number;
  holds: ModelHold[];
  /** The first answer of a denied lease, given again to every replay. */
  response?: ReserveResponse;
  /** The backend once answered it allowed (a lease that met a fault may never have held). */
  confirmed: boolean;
  /** Restarts of the backend before the lease was made: an older epoch is forgotten there. */
  epoch: number;
  /**
   * A fault touched the lease (its reserve timed out and was replayed): the backend may have
   * learned it back from the ledger without its cache, so later answers about it are checked
   * for safety only, and its complete may free nothing (pessimistic, never early).
   */
  faulted?: boolean;
  /** When a backend may forget the lease (same rule as LeaseBook). */
  forgetAtMs: number;
}

/**
 * The model's lease table. A backend forgets a lease `retentionMs` after it can no longer hold,
 * but may purge lazily (on a tick, on a later request), so between `forgetAtMs` and
 * `forgetAtMs + graceMs` the model accepts either behaviour; after that it forgets too.
 */
export class LeaseTable {
  private readonly leases = new Map<string, ModelLease>();
  private readonly forgetQueue = new MinHeap<{ atMs: number; leaseId: string }>(
    (a, b) => a.atMs < b.atMs,
  );

  constructor(
    readonly retentionMs: number,
    readonly graceMs: number,
  ) {}

  get size(): number {
    return this.leases.size;
  }

  get(leaseId: string): ModelLease | undefined {
    return this.leases.get(leaseId);
  }

  /** Whether a backend may already have forgotten the lease at `nowMs`. */
  mayBeForgotten(lease: ModelLease, nowMs: number): boolean {
    return lease.forgetAtMs <= nowMs;
  }

  set(leaseId: string, lease: ModelLease): void {
    this.leases.set(leaseId, lease);
    this.forgetQueue.push({ atMs: lease.forgetAtMs, leaseId });
  }

  /** Moves the forget time of a lease already in the table. */
  reschedule(leaseId: string, lease: ModelLease, forgetAtMs: number): void {
    lease.forgetAtMs = forgetAtMs;
    this.forgetQueue.push({ atMs: forgetAtMs, leaseId });
  }

  delete(leaseId: string): void {
    this.leases.delete(leaseId);
  }

  /** Forgets the leases every backend must have forgotten by `nowMs`. */
  purge(nowMs: number): void {
    for (;;) {
      const head = this.forgetQueue.peek();
      if (head === undefined || head.atMs + this.graceMs > nowMs) return;
      this.forgetQueue.pop();
      const lease = this.leases.get(head.leaseId);
      if (lease !== undefined && lease.forgetAtMs === head.atMs) this.leases.delete(head.leaseId);
    }
  }
}
