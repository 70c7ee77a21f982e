import { ExpiringMap } from '../common/expiring-map.ts';

/**
 * Leases whose reserve this process answered `backend_error`: the ledger may have applied their
 * chain all the same (late). If a replay later finds the chain on the ledger, this process
 * takes the ledger's word and remembers the lease as allowed, as the answer it then gives.
 * Leases from before a restart are not here: see ledger-leases.ts.
 *
 * Bounded like the lease book: an entry is forgotten at the instant given when it was added.
 */
export class UnsureLeases {
  private readonly leases = new ExpiringMap<true>();

  get size(): number {
    return this.leases.size;
  }

  add(leaseId: string, forgetAtMs: number): void {
    this.leases.set(leaseId, true, forgetAtMs);
  }

  has(leaseId: string): boolean {
    return this.leases.has(leaseId);
  }

  delete(leaseId: string): void {
    this.leases.delete(leaseId);
  }

  purge(nowMs: number): void {
    this.leases.purge(nowMs);
  }
}
