import type { Transfer } from 'tigerbeetle-node';

import { LEASE_COMPLETED, LEASE_CONFLICT, LEASE_EXPIRED } from '../../domain/errors.ts';
import type { LimitKind } from '../../domain/limits.ts';
import type { Requirement, ReserveResponse } from '../../domain/requests.ts';
import { allowed, denied } from '../../domain/responses.ts';
import { idFromLabel, rereserveLabel, reserveLabel, voidLabel } from './ids.ts';
import { expiryMs, type LedgerHold, timestampMs } from './reservation.ts';

/**
 * The ids to look up when a resent reserve chain answers `exists` and the lease cache does not
 * know the lease (after a restart, or once it was forgotten): each requirement's reserve, void
 * and re-reserve transfer.
 */
export function replayLookupIds(leaseId: string, requirements: readonly Requirement[]): bigint[] {
  const ids: bigint[] = [];
  for (const r of requirements) {
    ids.push(
      idFromLabel(reserveLabel(leaseId, r.key)),
      idFromLabel(voidLabel(leaseId, r.key)),
      idFromLabel(rereserveLabel(leaseId, r.key)),
    );
  }
  return ids;
}

/** What the ledger says of a lease the cache does not know. */
export interface LedgerReplay {
  response: ReserveResponse;
  /**
   * The lease as the lease book should now remember it, when the ledger shows it was allowed
   * with these requirements: its holds (live or not), and whether it was completed.
   */
  lease?: {
    reservedAtMs: number;
    holds: LedgerHold[];
    completed: boolean;
  };
}

/**
 * The replay answer from what the ledger holds, in the lease book's order of checks: conflict,
 * completed, expired, same. The ledger cannot tell everything the cache could: a lease whose
 * requirements were a superset of these, or completed without changing anything, looks allowed.
 * Faults relax equality to the invariants, and this answer never holds anything twice.
 */
export function replayFromTransfers(
  leaseId: string,
  requirements: readonly Requirement[],
  found: ReadonlyMap<bigint, Transfer>,
  nowMs: number,
  kindOf: (key: string) => LimitKind,
): LedgerReplay {
  const reserves: Transfer[] = [];
  for (const r of requirements) {
    const transfer = found.get(idFromLabel(reserveLabel(leaseId, r.key)));
    if (transfer === undefined || transfer.amount !== BigInt(r.amount)) {
      return { response: denied(LEASE_CONFLICT, 0) };
    }
    reserves.push(transfer);
  }

  // The chain's events take consecutive timestamps; the first is the reserve instant.
  let firstNs = reserves[0]!.timestamp;
  for (const t of reserves) if (t.timestamp < firstNs) firstNs = t.timestamp;
  const holds: LedgerHold[] = requirements.map((r, i) => ({
    key: r.key,
    kind: kindOf(r.key),
    amount: r.amount,
    transferId: reserves[i]!.id,
    expiresAtMs: expiryMs(reserves[i]!.timestamp, reserves[i]!.timeout),
  }));
  const lease = { reservedAtMs: timestampMs(firstNs), holds, completed: false };

  for (const r of requirements) {
    const ended =
      found.has(idFromLabel(voidLabel(leaseId, r.key))) ||
      found.has(idFromLabel(rereserveLabel(leaseId, r.key)));
    if (ended) {
      return { response: denied(LEASE_COMPLETED, 0), lease: { ...lease, completed: true } };
    }
  }

  if (holds.some((h) => h.expiresAtMs <= nowMs)) {
    return { response: denied(LEASE_EXPIRED, 0), lease };
  }
  return { response: allowed(lease.reservedAtMs), lease };
}
