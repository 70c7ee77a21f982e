import type { CreateTransferResult, Transfer } from 'tigerbeetle-node';

import type { Overage } from '../../domain/limits.ts';
import type { Actual } from '../../domain/requests.ts';
import { type AccountIds, OPERATOR_ID } from './accounts.ts';
import { debtPostingLabel, idFromLabel, rereserveLabel, voidLabel } from './ids.ts';
import type { LedgerHold } from './reservation.ts';
import { chainCause, CreateTransferStatus as S, isExists } from './statuses.ts';
import { linkChain, pendingTransfer, postedTransfer, voidTransfer } from './transfers.ts';

/**
 * What completing an allowed lease does on the ledger, one step per hold that changes. Each
 * step is one chain (or one transfer); steps touch different keys, so their order does not
 * matter and they travel in one request.
 */
export interface CompletionStep {
  kind: 'release' | 'shrink' | 'grow' | 'debt';
  key: string;
  transfers: Transfer[];
  /** Labels of `transfers`, for logs. */
  labels: string[];
  /** For `grow` on a key with overage `debt`: posted if the extra hold does not fit. */
  fallbackDebt?: { transfer: Transfer; label: string };
}

export type StepOutcome =
  | { kind: 'done' }
  /** The extra hold did not fit: post the fallback debt, if any. */
  | { kind: 'no_room' }
  | { kind: 'unexpected'; label: string; status: number };

/**
 * The steps of a complete at `nowMs`:
 * - a concurrency hold still counting is voided;
 * - an actual `a` on a rolling hold `r` expiring at `e`:
 *   - `e <= now`: debt of `a − r` when `a > r` and overage is `debt`;
 *   - `a < r`: void, and a new hold of `a` (if `a > 0`) for `⌈(e − now)/1000⌉` s, linked;
 *   - `a > r`: an extra hold of `a − r` for the same time; debt if it does not fit.
 */
export function planCompletion(
  leaseId: string,
  holds: readonly LedgerHold[],
  actuals: readonly Actual[],
  nowMs: number,
  overageOf: (key: string) => Overage,
  ids: AccountIds,
): CompletionStep[] {
  const steps: CompletionStep[] = [];
  const byKey = new Map<string, LedgerHold>();
  for (const hold of holds) {
    byKey.set(hold.key, hold);
    if (hold.kind === 'concurrency' && hold.expiresAtMs > nowMs) {
      steps.push(release(leaseId, hold));
    }
  }

  for (const actual of actuals) {
    const hold = byKey.get(actual.key);
    if (hold === undefined || hold.kind !== 'rolling') continue;
    const step = resize(leaseId, hold, actual.actual_amount, nowMs, overageOf(hold.key), ids);
    if (step !== undefined) steps.push(step);
  }
  return steps;
}

function release(leaseId: string, hold: LedgerHold): CompletionStep {
  const label = voidLabel(leaseId, hold.key);
  return {
    kind: 'release',
    key: hold.key,
    transfers: [voidTransfer(idFromLabel(label), hold.transferId, false)],
    labels: [label],
  };
}

function resize(
  leaseId: string,
  hold: LedgerHold,
  actual: number,
  nowMs: number,
  overage: Overage,
  ids: AccountIds,
): CompletionStep | undefined {
  const key = hold.key;
  const debt = (): { transfer: Transfer; label: string } => {
    const label = debtPostingLabel(leaseId, key);
    const amount = BigInt(actual - hold.amount);
    const id = idFromLabel(label);
    return { transfer: postedTransfer(id, ids.debt(key), OPERATOR_ID, amount), label };
  };

  if (hold.expiresAtMs <= nowMs) {
    if (actual <= hold.amount || overage !== 'debt') return undefined;
    const posting = debt();
    return { kind: 'debt', key, transfers: [posting.transfer], labels: [posting.label] };
  }
  if (actual === hold.amount) return undefined;

  // A pending transfer cannot be resized: the new one lasts whole seconds from now.
  const timeoutSeconds = Math.ceil((hold.expiresAtMs - nowMs) / 1000);
  const rereserve = rereserveLabel(leaseId, key);
  const pending = (amount: number): Transfer =>
    pendingTransfer(
      idFromLabel(rereserve),
      ids.resource(key),
      OPERATOR_ID,
      BigInt(amount),
      timeoutSeconds,
      false,
    );

  if (actual < hold.amount) {
    const voidName = voidLabel(leaseId, key);
    const release = voidTransfer(idFromLabel(voidName), hold.transferId, false);
    if (actual === 0) return { kind: 'shrink', key, transfers: [release], labels: [voidName] };
    return {
      kind: 'shrink',
      key,
      transfers: linkChain([release, pending(actual)]),
      labels: [voidName, rereserve],
    };
  }

  const step: CompletionStep = {
    kind: 'grow',
    key,
    transfers: [pending(actual - hold.amount)],
    labels: [rereserve],
  };
  if (overage === 'debt') step.fallbackDebt = debt();
  return step;
}

/**
 * What a step's statuses mean. Answers that show the work was already done by an earlier
 * attempt of the same complete (`exists`), or that there was nothing left to free
 * (`pending_transfer_expired`), count as done.
 */
export function stepOutcome(
  step: CompletionStep,
  results: readonly CreateTransferResult[],
): StepOutcome {
  const cause = chainCause(results);
  if (cause === undefined) return { kind: 'done' };

  const status = cause.status;
  const label = step.labels[cause.index] ?? step.labels[0]!;
  switch (step.kind) {
    case 'release':
    case 'shrink':
      // Only the void can fail this way; its linked new hold was made with it, or not at all.
      if (cause.index === 0 && (status === S.exists || status === S.pending_transfer_expired)) {
        return { kind: 'done' };
      }
      break;
    case 'grow':
      if (isExists(status)) return { kind: 'done' };
      if (status === S.exceeds_credits || status === S.id_already_failed) {
        return { kind: 'no_room' };
      }
      break;
    case 'debt':
      if (status === S.exists) return { kind: 'done' };
      break;
  }
  return { kind: 'unexpected', label, status };
}
