import { LEASE_COMPLETED, LEASE_CONFLICT } from '../../domain/errors.ts';
import type { Requirement, ReserveResponse } from '../../domain/requests.ts';
import { denied } from '../../domain/responses.ts';
import { sameRequirements } from '../common/lease-book.ts';
import { ExpiringMap } from '../common/expiring-map.ts';

interface LedgerLease {
  requirements: Requirement[];
  completed: boolean;
}

/**
 * Leases this process knows only from the ledger: made before a restart (or forgotten by the
 * lease book) and found again when a reserve of them answered `exists`. Their complete frees
 * nothing (their holds expire on their own: SEMANTICS.md, Faults), but each is still one lease:
 * a reserve with other requirements is a conflict, and once completed it stays completed. So a
 * lease never gains a hold on a key it did not hold, nor one after its complete.
 *
 * Bounded like the lease book: an entry is forgotten at the instant given when it was added.
 */
export class LedgerLeases {
  private readonly leases = new ExpiringMap<LedgerLease>();

  get size(): number {
    return this.leases.size;
  }

  remember(
    leaseId: string,
    requirements: readonly Requirement[],
    completed: boolean,
    forgetAtMs: number,
  ): void {
    const known = this.leases.get(leaseId);
    const lease: LedgerLease = {
      requirements: requirements.map(({ key, amount }) => ({ key, amount })),
      completed: completed || known?.completed === true,
    };
    this.leases.set(leaseId, lease, forgetAtMs);
  }

  /** Marks a known lease completed; false for a lease this process never found on the ledger. */
  complete(leaseId: string): boolean {
    const lease = this.leases.get(leaseId);
    if (lease === undefined) return false;
    lease.completed = true;
    return true;
  }

  /**
   * The answer to a reserve of a known lease when the ledger alone cannot give it (other
   * requirements, or completed); undefined when the ledger's replay answers as it should.
   */
  answer(leaseId: string, requirements: readonly Requirement[]): ReserveResponse | undefined {
    const lease = this.leases.get(leaseId);
    if (lease === undefined) return undefined;
    if (!sameRequirements(lease.requirements, requirements)) return denied(LEASE_CONFLICT, 0);
    if (lease.completed) return denied(LEASE_COMPLETED, 0);
    return undefined;
  }

  purge(nowMs: number): void {
    this.leases.purge(nowMs);
  }
}
