import type { CompleteRequest, CompleteResponse } from '../../domain/requests.ts';
import { completeBackendError, completed } from '../../domain/responses.ts';
import { type CompletionStep, planCompletion, stepOutcome } from './completion.ts';
import { type LedgerContext, logUnexpected } from './ledger-context.ts';
import type { LabelledTransfer } from './ledger-ops.ts';
import { CreateTransferStatus as S } from './statuses.ts';
import type { SubmitOutcome } from './submitter.ts';

/**
 * A complete on the ledger (SEMANTICS, Complete): voids, new holds and debt postings planned
 * from the lease book's record of the lease, sent as one work item; an extra hold that does not
 * fit falls back to debt in a second round. Only a lease this process holds a record of is
 * changed; anything unexpected answers backend_error and frees nothing more.
 */
export class CompletePath {
  constructor(private readonly ctx: LedgerContext) {}

  /** Completes a lease at `nowMs`; the synchronous part runs before this returns. */
  run(request: CompleteRequest, nowMs: number): Promise<CompleteResponse> {
    const leaseId = request.lease_id;
    const lease = this.ctx.leases.get(leaseId);

    // Unknown (a lease from before a restart included), denied and completed leases: nothing
    // is freed. Holds this process does not know about expire on their own; a lease known from
    // the ledger is remembered as completed, so it gains no hold afterwards.
    if (lease === undefined) this.ctx.ledgerLeases.complete(leaseId);
    if (lease === undefined || lease.state !== 'allowed') return Promise.resolve(completed());

    const steps = planCompletion(
      leaseId,
      lease.holds,
      request.actuals,
      nowMs,
      (key) => this.ctx.registry.get(key)?.definition.overage ?? 'deny',
      this.ctx.ids,
    );
    if (steps.length === 0) return Promise.resolve(this.finishComplete(leaseId, false, nowMs));

    const transfers = steps.flatMap((step) => step.transfers);
    return new Promise((resolve) => {
      this.ctx.submitter.submit(transfers, (outcome) =>
        resolve(this.settleComplete(leaseId, steps, outcome, nowMs)),
      );
    });
  }

  private settleComplete(
    leaseId: string,
    steps: CompletionStep[],
    outcome: SubmitOutcome,
    nowMs: number,
  ): CompleteResponse | Promise<CompleteResponse> {
    if (!outcome.ok) {
      this.ctx.logger.log('warn', 'tigerbeetle_complete_unanswered', {
        lease_id: leaseId,
        reason: outcome.reason,
      });
      return completeBackendError();
    }

    let failed = false;
    const fallbacks: LabelledTransfer[] = [];
    let offset = 0;
    for (const step of steps) {
      const results = outcome.results.slice(offset, offset + step.transfers.length);
      offset += step.transfers.length;

      const verdict = stepOutcome(step, results);
      if (verdict.kind === 'no_room' && step.fallbackDebt !== undefined) {
        fallbacks.push(step.fallbackDebt);
      } else if (verdict.kind === 'unexpected') {
        failed = true;
        logUnexpected(this.ctx.logger, 'complete', verdict.label, verdict.status);
      }
    }
    if (fallbacks.length === 0) return this.finishComplete(leaseId, failed, nowMs);

    // An extra hold did not fit: the overage becomes debt. Only the debt accounts change, and
    // nothing reads them but the usage read-out, which waits for this operation to finish.
    return this.ctx.ops.post(fallbacks).then(
      (statuses) => {
        statuses.forEach((status, i) => {
          if (status === S.created || status === S.exists) return;
          failed = true;
          logUnexpected(this.ctx.logger, 'complete', fallbacks[i]!.label, status);
        });
        return this.finishComplete(leaseId, failed, nowMs);
      },
      (error: unknown) => {
        this.ctx.logger.log('warn', 'tigerbeetle_complete_unanswered', {
          lease_id: leaseId,
          reason: String(error),
        });
        return completeBackendError();
      },
    );
  }

  /**
   * A complete that failed part-way leaves the lease allowed: a retry resends the same ids,
   * which the ledger applies at most once.
   */
  private finishComplete(leaseId: string, failed: boolean, nowMs: number): CompleteResponse {
    if (failed) return completeBackendError();
    this.ctx.leases.recordCompleted(leaseId, nowMs);
    return completed();
  }
}
