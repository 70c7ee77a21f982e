import { BACKEND_ERROR } from '../../src/domain/errors.ts';
import type { CompleteRequest, CompleteResponse } from '../../src/domain/requests.ts';
import type { KeyHolds, ModelHold } from './key-holds.ts';
import type { ModelLease } from './model-leases.ts';
import type { ModelKey, ReferenceModel } from './reference-model.ts';

/**
 * Checks one complete answer and applies the contract's complete rules to the model. Complete
 * is idempotent: an unknown, denied or completed lease changes nothing, which the usage
 * read-outs of the lease's keys then confirm.
 */
export function judgeComplete(
  model: ReferenceModel,
  request: CompleteRequest,
  answer: CompleteResponse,
  nowMs: number,
): void {
  const lease = model.leases.get(request.lease_id);
  if (lease !== undefined && model.leases.mayBeForgotten(lease, nowMs)) {
    // Every hold has expired by now; a backend that still remembers the lease may add debt.
    checkOk(model, request, answer);
    if (lease.status === 'allowed' || lease.status === 'unsure') {
      applyLoosely(model, lease, request, nowMs);
    }
    model.leases.delete(request.lease_id);
    return;
  }

  if (answer.error === BACKEND_ERROR) {
    if (model.healthy) model.report('no_answer', `complete ${request.lease_id}: backend_error`);
    if (lease?.status === 'allowed' || lease?.status === 'unsure') {
      applyLoosely(model, lease, request, nowMs);
      lease.status = 'unsure';
    }
    return;
  }
  checkOk(model, request, answer);
  const waited = nowMs > model.sentAtMs;

  if (lease === undefined || lease.status === 'denied' || lease.status === 'completed') {
    model.blame({ over: 'complete_idempotent', under: 'complete_idempotent' });
    return;
  }
  if (lease.epoch !== model.epoch) {
    // After a restart the contract asks only that a complete of an older lease frees nothing
    // early; a process that learns the lease back from the ledger may settle it properly.
    model.blame({ over: 'complete_idempotent', under: 'no_early_release' });
    applyLoosely(model, lease, request, nowMs);
    lease.status = 'unsure';
    return;
  }
  if (lease.status === 'unsure' || lease.faulted || waited) {
    // Planned when sent, applied by the cluster whenever it came back: judged by bounds.
    applyLoosely(model, lease, request, nowMs);
    if (lease.status === 'allowed') lease.status = 'completed';
    return;
  }

  model.blame({ over: 'debt_exact', under: 'no_early_release' });
  applyExactly(model, lease, request, nowMs);
  lease.status = 'completed';
  // Its holds live on in their keys until they expire; the lease no longer needs them.
  lease.holds = [];
  const forgetAtMs = Math.max(nowMs, lease.lastExpiryMs) + model.leases.retentionMs;
  model.leases.reschedule(request.lease_id, lease, forgetAtMs);
}

function checkOk(model: ReferenceModel, request: CompleteRequest, answer: CompleteResponse): void {
  if (answer.error === BACKEND_ERROR && !model.healthy) return;
  if (!answer.ok || answer.error !== '' || answer.detail !== undefined) {
    model.report('complete_idempotent', `complete ${request.lease_id}: expected ` +
      `{"ok":true,"error":""}, got ${JSON.stringify(answer)}`);
  }
}

/** The complete rules of the contract, on a lease whose holds the model knows exactly. */
function applyExactly(
  model: ReferenceModel,
  lease: ModelLease,
  request: CompleteRequest,
  nowMs: number,
): void {
  for (const hold of lease.holds) {
    if (hold.kind === 'concurrency') model.holdsAt(hold.key, nowMs)?.release(hold);
  }

  for (const actual of request.actuals) {
    // A lease the model knows exactly has one hold per key.
    const hold = lease.holds.find((h) => h.key === actual.key);
    if (hold === undefined || hold.kind === 'concurrency') continue;
    const entry = model.keys.get(actual.key)!;
    const holds = model.holdsAt(actual.key, nowMs)!;
    const reserved = hold.reservedAmount;
    const used = actual.actual_amount;
    const debtAllowed = entry.state.definition.overage === 'debt';

    if (hold.expiresAtMs <= nowMs) {
      if (used > reserved && debtAllowed) addDebt(entry, used - reserved, used - reserved);
      continue;
    }
    if (used === reserved) continue;

    const laterMs = roundedExpiryMs(hold.expiresAtMs, nowMs);
    if (used < reserved) {
      holds.release(hold);
      holds.add(hold.derive(used, laterMs, true));
      continue;
    }

    const need = used - reserved;
    const capacity = entry.state.definition.capacity;
    if (capacity - holds.upper >= need) {
      holds.add(hold.derive(need, laterMs, true));
    } else if (capacity - holds.lower < need) {
      if (debtAllowed) addDebt(entry, need, need);
    } else {
      // Whether it fits depends on holds the model is unsure of: either outcome is right.
      holds.add(hold.derive(need, laterMs, false));
      if (debtAllowed) addDebt(entry, 0, need);
    }
  }
}

/**
 * A complete whose effect is in doubt (a fault, or a lease the model is unsure of): what it may
 * release is no longer certain, what it may add is possible, and debt may grow.
 */
function applyLoosely(
  model: ReferenceModel,
  lease: ModelLease,
  request: CompleteRequest,
  nowMs: number,
): void {
  const actuals = new Map(request.actuals.map((a) => [a.key, a.actual_amount]));
  // What this complete may add joins the lease's holds after the walk over them.
  const added: ModelHold[] = [];
  for (const hold of lease.holds) {
    const holds: KeyHolds | undefined = model.holdsAt(hold.key, nowMs);
    const entry = model.keys.get(hold.key);
    if (holds === undefined || entry === undefined) continue;
    if (hold.kind === 'concurrency') {
      holds.loosen(hold);
      continue;
    }

    const used = actuals.get(hold.key);
    if (used === undefined) continue;
    const reserved = hold.reservedAmount;
    if (used > reserved && entry.state.definition.overage === 'debt') {
      addDebt(entry, 0, used - reserved);
    }
    // Planned at the send instant, a new pending transfer may start as late as the cluster
    // answers (or comes back): its whole-second timeout counts from then.
    const plannedMs = Math.min(model.sentAtMs, nowMs);
    if (hold.expiresAtMs <= plannedMs || used === reserved) continue;
    const appliedByMs = Math.max(nowMs, model.unreachableUntilMs);
    const laterMs = appliedByMs + (roundedExpiryMs(hold.expiresAtMs, plannedMs) - plannedMs);
    if (used < reserved) holds.loosen(hold);
    const possible = used < reserved ? used : used - reserved;
    const extra = hold.derive(possible, laterMs, false);
    holds.add(extra);
    if (possible > 0) {
      added.push(extra);
      model.mayStillBeApplied(extra, laterMs - appliedByMs, lease);
    }
  }
  lease.holds.push(...added);
}

/** e' = t + 1000·⌈(e − t) / 1000⌉: TigerBeetle's timeouts are whole seconds. */
export function roundedExpiryMs(expiresAtMs: number, nowMs: number): number {
  return nowMs + 1000 * Math.ceil((expiresAtMs - nowMs) / 1000);
}


function addDebt(entry: ModelKey, lower: number, upper: number): void {
  entry.debtLower += BigInt(lower);
  entry.debtUpper += BigInt(upper);
}
