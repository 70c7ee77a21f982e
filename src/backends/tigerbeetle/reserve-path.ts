import type { CreateTransferResult } from 'tigerbeetle-node';

import type { ReserveRequest, ReserveResponse } from '../../domain/requests.ts';
import { allowed, denied, reserveBackendError } from '../../domain/responses.ts';
import { precheckReserve } from '../common/prechecks.ts';
import { reserveLabel } from './ids.ts';
import { type LedgerContext, logUnexpected } from './ledger-context.ts';
import { replayFromTransfers, replayLookupIds } from './ledger-replay.ts';
import {
  buildReservation,
  holdsOf,
  type LedgerHold,
  type Reservation,
  timestampMs,
} from './reservation.ts';
import { chainCause, CreateTransferStatus as S, isExists } from './statuses.ts';
import type { SubmitOutcome } from './submitter.ts';

/**
 * A reserve on the ledger (SEMANTICS, Reserve): the lease book answers a known lease, the
 * prechecks answer steps 2 to 4, and steps 5 and 6 are one linked chain of pending transfers
 * that the ledger creates all or nothing. No read on this path, except to replay a lease the
 * ledger knows and the lease book does not.
 */
export class ReservePath {
  constructor(private readonly ctx: LedgerContext) {}

  /** Decides a reserve at `nowMs`; the synchronous part runs before this returns. */
  run(request: ReserveRequest, nowMs: number): Promise<ReserveResponse> {
    const leaseId = request.lease_id;

    // Step 1: a known lease is answered from its record; then, as the memory backend does,
    // forget what has passed its retention.
    const replayed = this.ctx.leases.replay(leaseId, request.requirements, nowMs);
    if (replayed !== undefined) return Promise.resolve(replayed);
    const fromLedger = this.ctx.ledgerLeases.answer(leaseId, request.requirements);
    if (fromLedger !== undefined) return Promise.resolve(fromLedger);
    this.ctx.leases.purge(nowMs);

    // Steps 2 to 4 need only the limit states and never burn the lease.
    const { registry, policy } = this.ctx;
    const refused = precheckReserve((k) => registry.get(k), request.requirements, policy);
    if (refused !== undefined) return Promise.resolve(refused);

    // Steps 5 and 6: the ledger checks capacity and makes the holds, all or nothing.
    const reservation = buildReservation(
      leaseId,
      request.requirements,
      (key) => this.ctx.registry.get(key)!.definition,
      this.ctx.ids,
      nowMs,
    );
    return new Promise((resolve) => {
      this.ctx.submitter.submit(reservation.transfers, (outcome) =>
        resolve(this.settleReserve(request, reservation, outcome, nowMs)),
      );
    });
  }

  /** Runs synchronously when the chain's statuses arrive, in the order the ledger applied it. */
  private settleReserve(
    request: ReserveRequest,
    reservation: Reservation,
    outcome: SubmitOutcome,
    nowMs: number,
  ): ReserveResponse | Promise<ReserveResponse> {
    const leaseId = request.lease_id;
    if (!outcome.ok) {
      // Whatever the ledger did with the chain, its holds expire on their own.
      this.ctx.logger.log('warn', 'tigerbeetle_reserve_unanswered', {
        lease_id: leaseId,
        reason: outcome.reason,
      });
      const longestMs = Math.max(...reservation.transfers.map((t) => t.timeout * 1000));
      this.ctx.unsure.add(leaseId, nowMs + longestMs + this.ctx.leases.retentionMs);
      return reserveBackendError();
    }

    const cause = chainCause(outcome.results);
    if (cause === undefined) return this.recordAllowed(request, reservation, outcome.results);

    const requirement = request.requirements[cause.index]!;
    if (cause.status === S.exceeds_credits || cause.status === S.id_already_failed) {
      // The first requirement without room, as in step 5. `id_already_failed`: the lease was
      // denied before this process knew it (a restart); it stays denied, with a fresh hint.
      const response = denied('', this.ctx.advisor.denied(reservation.definitions[cause.index]!));
      this.ctx.leases.recordDenied(leaseId, response, nowMs);
      return response;
    }
    if (isExists(cause.status)) return this.replayFromLedger(request, nowMs);

    logUnexpected(this.ctx.logger, 'reserve', reserveLabel(leaseId, requirement.key), cause.status);
    return reserveBackendError();
  }

  private recordAllowed(
    request: ReserveRequest,
    reservation: Reservation,
    results: readonly CreateTransferResult[],
  ): ReserveResponse {
    const holds = holdsOf(reservation, request.requirements, results);
    const reservedAtMs = timestampMs(results[0]!.timestamp);
    this.ctx.advisor.allowed(holds.map((h) => h.key));
    this.recordLease(request, reservedAtMs, holds);
    return allowed(reservedAtMs);
  }

  private recordLease(request: ReserveRequest, reservedAtMs: number, holds: LedgerHold[]): void {
    let firstExpiryMs = Infinity;
    let lastExpiryMs = -Infinity;
    for (const hold of holds) {
      firstExpiryMs = Math.min(firstExpiryMs, hold.expiresAtMs);
      lastExpiryMs = Math.max(lastExpiryMs, hold.expiresAtMs);
    }
    this.ctx.leases.recordAllowed(request.lease_id, {
      requirements: request.requirements.map(({ key, amount }) => ({ key, amount })),
      reservedAtMs,
      firstExpiryMs,
      lastExpiryMs,
      holds,
    });
  }

  /**
   * The rare path: the ledger already has this lease's chain but the cache does not know the
   * lease. Only here does a reserve read the ledger.
   */
  private async replayFromLedger(request: ReserveRequest, nowMs: number): Promise<ReserveResponse> {
    const leaseId = request.lease_id;
    const ids = replayLookupIds(leaseId, request.requirements);
    try {
      const found = await this.ctx.ops.lookupTransfers(ids);
      const kindOf = (key: string) => this.ctx.registry.get(key)!.definition.kind;
      const replay = replayFromTransfers(leaseId, request.requirements, found, nowMs, kindOf);

      // A lease this process answered backend_error for: the ledger's word is now its record,
      // so that later replays and its complete are answered as for any lease made here.
      if (replay.lease !== undefined && this.ctx.unsure.has(leaseId)) {
        this.ctx.unsure.delete(leaseId);
        this.recordLease(request, replay.lease.reservedAtMs, replay.lease.holds);
        if (replay.lease.completed) this.ctx.leases.recordCompleted(leaseId, nowMs);
      } else if (replay.lease !== undefined) {
        // From before a restart: the ledger stays its record, but the lease stays one lease.
        const lastExpiryMs = Math.max(nowMs, ...replay.lease.holds.map((h) => h.expiresAtMs));
        const forgetAtMs = lastExpiryMs + this.ctx.leases.retentionMs;
        this.ctx.ledgerLeases.remember(
          leaseId,
          request.requirements,
          replay.lease.completed,
          forgetAtMs,
        );
      }
      return replay.response;
    } catch (error) {
      this.ctx.logger.log('warn', 'tigerbeetle_replay_lookup_failed', {
        lease_id: request.lease_id,
        error: String(error),
      });
      return reserveBackendError();
    }
  }
}
