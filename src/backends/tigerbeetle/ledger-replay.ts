import type { Transfer } from 'tigerbeetle-node';

import { LEASE_COMPLETED, LEASE_CONFLICT, LEASE_EXPIRED } from '../../domain/errors.ts';
import type { Requirement, ReserveResponse } from '../../domain/requests.ts';
import { allowed, denied } from '../../domain/responses.ts';
import { idFromLabel, rereserveLabel, reserveLabel, voidLabel } from './ids.ts';
import { expiryMs, timestampMs } from './reservation.ts';

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
): ReserveResponse {
  const reserves: Transfer[] = [];
  for (const r of requirements) {
    const transfer = found.get(idFromLabel(reserveLabel(leaseId, r.key)));
    if (transfer === undefined || transfer.amount !== BigInt(r.amount)) {
      return denied(LEASE_CONFLICT, 0);
    }
    reserves.push(transfer);
  }

  for (const r of requirements) {
    const ended =
      found.has(idFromLabel(voidLabel(leaseId, r.key))) ||
      found.has(idFromLabel(rereserveLabel(leaseId, r.key)));
    if (ended) return denied(LEASE_COMPLETED, 0);
  }

  if (reserves.some((t) => expiryMs(t.timestamp, t.timeout) <= nowMs)) {
    return denied(LEASE_EXPIRED, 0);
  }

  // The chain's events take consecutive timestamps; the first is the reserve instant.
  let firstNs = reserves[0]!.timestamp;
  for (const t of reserves) if (t.timestamp < firstNs) firstNs = t.timestamp;
  return allowed(timestampMs(firstNs));
}
