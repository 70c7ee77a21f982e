import { sameRequirements } from '../../src/backends/common/lease-book.ts';
import {
  BACKEND_ERROR,
  LEASE_COMPLETED,
  LEASE_CONFLICT,
  LEASE_EXPIRED,
} from '../../src/domain/errors.ts';
import { holdDurationMs } from '../../src/domain/limits.ts';
import type { Requirement, ReserveRequest, ReserveResponse } from '../../src/domain/requests.ts';
import { allowed, denied } from '../../src/domain/responses.ts';
import { ModelHold } from './key-holds.ts';
import type { ModelLease } from './model-leases.ts';
import type { ReferenceModel } from './reference-model.ts';
import { sameReserveAnswer } from './same-json.ts';

/**
 * Checks one reserve answer against the model and records what it did. Without faults every
 * answer is predicted except the retry hint of a capacity denial (compared across backends
 * instead) and which requests are denied for capacity, which must have a cause.
 */
export function judgeReserve(
  model: ReferenceModel,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  let lease = model.leases.get(request.lease_id);
  if (lease !== undefined && model.leases.mayBeForgotten(lease, nowMs)) {
    // A lazy purge may or may not have run: take the answer of a remembered lease if given.
    const remembered = expectedReplay(lease, request, nowMs);
    if (lease.epoch === model.epoch && sameReserveAnswer(answer, remembered)) {
      return;
    }
    model.leases.delete(request.lease_id);
    lease = undefined;
  }

  if (lease === undefined) judgeNewLease(model, request, answer, nowMs);
  else if (lease.epoch !== model.epoch) judgeAfterRestart(model, lease, request, answer, nowMs);
  else if (lease.status === 'unsure' || lease.faulted) {
    judgeUnsure(model, lease, request, answer, nowMs);
  }
  else judgeReplay(model, lease, request, answer, nowMs);
}

/** The answer the contract gives to a replay of a lease the backend remembers. */
export function expectedReplay(
  lease: ModelLease,
  request: ReserveRequest,
  nowMs: number,
): ReserveResponse {
  if (lease.status === 'denied') return { ...lease.response! };
  if (!sameRequirements(lease.requirements, request.requirements)) return denied(LEASE_CONFLICT, 0);
  if (lease.status === 'completed') return denied(LEASE_COMPLETED, 0);
  if (lease.firstExpiryMs <= nowMs) return denied(LEASE_EXPIRED, 0);
  return allowed(lease.reservedAtMs);
}

function judgeReplay(
  model: ReferenceModel,
  lease: ModelLease,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  model.blame({ over: 'replay_holds_once', under: 'no_early_release' });
  if (answer.error === BACKEND_ERROR && !model.healthy) return;

  const expected = expectedReplay(lease, request, nowMs);
  // A request that waited for its cluster may have been decided when it was sent.
  const decidedWhenSent = model.sentAtMs < nowMs &&
    sameReserveAnswer(answer, expectedReplay(lease, request, model.sentAtMs));
  if (!sameReserveAnswer(answer, expected) && !decidedWhenSent) {
    const rule = answer.allowed && !expected.allowed ? 'replay_holds_once' : 'contract_answer';
    model.report(rule, `replay of ${request.lease_id} (${lease.status}): expected ` +
      `${JSON.stringify(expected)}, got ${JSON.stringify(answer)}`);
  }
}

function judgeNewLease(
  model: ReferenceModel,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  const requirements = request.requirements;
  if (model.unknown.size > 0 && model.anyStateUnknown(requirements.map((r) => r.key))) {
    // The state of a key is in doubt: only safety can be checked, and the outcome recorded.
    if (answer.allowed) recordAllowed(model, request, answer.reserved_at_unix_ms, nowMs, true);
    else if (answer.error === '') recordDenied(model, request, answer, nowMs);
    // Unanswered, it may still be applied when the cluster is back: it may hold, as below.
    else if (answer.error === BACKEND_ERROR) recordUnsure(model, request, nowMs);
    return;
  }

  if (answer.error === BACKEND_ERROR) {
    if (model.healthy) model.report('no_answer', `reserve ${request.lease_id}: backend_error`);
    recordUnsure(model, request, nowMs);
    return;
  }

  const precheck = model.precheck(requirements);
  if (precheck !== undefined) {
    if (!sameReserveAnswer(answer, precheck)) {
      model.report('contract_answer', `reserve ${request.lease_id}: expected ` +
        `${JSON.stringify(precheck)}, got ${JSON.stringify(answer)}`);
    }
    return;
  }

  if (answer.allowed) {
    judgeAllowed(model, request, answer, nowMs);
    return;
  }
  if (answer.error !== '') {
    model.report('contract_answer', `reserve ${request.lease_id}: unexpected error ` +
      `${JSON.stringify(answer.error)}`);
    return;
  }
  judgeCapacityDenial(model, request, answer, nowMs);
}

function judgeAllowed(
  model: ReferenceModel,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  // A request that waited for its cluster took effect at some instant while it waited.
  const madeAtMs = answer.reserved_at_unix_ms;
  const plausible = madeAtMs >= model.sentAtMs && madeAtMs <= nowMs;
  const wellFormed = answer.retry_after_ms === 0 && answer.error === '' &&
    answer.detail === undefined;
  if (!plausible || !wellFormed) {
    model.report('contract_answer', `reserve ${request.lease_id}: allowed as ` +
      `${JSON.stringify(answer)}, expected ${JSON.stringify(allowed(nowMs))}`);
  }

  for (const requirement of request.requirements) {
    const entry = model.keys.get(requirement.key)!;
    entry.holds.expire(nowMs);
    const holds = entry.holds;
    const capacity = entry.state.definition.capacity;
    if (holds.lower + requirement.amount > capacity) {
      model.report('held_within_capacity', `reserve ${request.lease_id} allowed ` +
        `${requirement.amount} on ${requirement.key} with at least ${holds.lower} of ` +
        `${capacity} already held`);
    }
  }
  const atMs = plausible ? madeAtMs : nowMs;
  recordAllowed(model, request, atMs, atMs, true);
}

function judgeCapacityDenial(
  model: ReferenceModel,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  const fitsSurely = request.requirements.every((r) => {
    const holds = model.holdsAt(r.key, nowMs)!;
    return holds.upper + r.amount <= model.lookup(r.key)!.definition.capacity;
  });
  if (fitsSurely && model.healthy) {
    model.report('contract_answer', `reserve ${request.lease_id} denied for capacity, but ` +
      `every requirement fits: ${describeRoom(model, request, nowMs)}`);
  }
  if (answer.reserved_at_unix_ms !== 0 || !Number.isSafeInteger(answer.retry_after_ms)) {
    model.report('contract_answer', `reserve ${request.lease_id}: malformed denial ` +
      `${JSON.stringify(answer)}`);
  }

  recordDenied(model, request, answer, nowMs);
}

/** A capacity denial burns the lease: every replay gets this answer again. */
function recordDenied(
  model: ReferenceModel,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  const lease: ModelLease = {
    status: 'denied',
    requirements: request.requirements,
    reservedAtMs: 0,
    firstExpiryMs: nowMs,
    lastExpiryMs: nowMs,
    holds: [],
    response: { ...answer },
    confirmed: false,
    epoch: model.epoch,
    forgetAtMs: nowMs + model.leases.retentionMs,
  };
  model.leases.set(request.lease_id, lease);
}

/**
 * A lease the backend forgot in a restart. Whatever it answers, it must not hold a key of the
 * lease twice: an allowed answer adds nothing on the keys the lease already held, so a second
 * hold there shows in the next read-out. A key the lease never held may be held now: without
 * its cache the process cannot tell a conflicting replay from a new lease.
 */
function judgeAfterRestart(
  model: ReferenceModel,
  lease: ModelLease,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  if (lease.status === 'unsure') {
    // Unsure before the restart too: the same doubts, now about the new process.
    lease.epoch = model.epoch;
    judgeUnsure(model, lease, request, answer, nowMs);
    return;
  }
  model.blame({ over: 'replay_holds_once', under: 'no_early_release' });
  if (answer.error === BACKEND_ERROR) {
    holdPossibly(model, lease, request, nowMs, lease.status === 'denied');
    return;
  }
  if (!answer.allowed) return;
  if (lease.status === 'denied') {
    // The contract: a faithful replay of a denied lease is still denied after a restart.
    if (sameRequirements(lease.requirements, request.requirements)) {
      model.report('replay_holds_once', `a lease denied before the restart was allowed`);
    }
    // It held nothing, so allowing it now holds once, as a new lease would.
    model.leases.delete(request.lease_id);
    recordAllowed(model, request, answer.reserved_at_unix_ms, answer.reserved_at_unix_ms, true);
    return;
  }

  // The new process may now treat the lease as its own: what a complete frees is in doubt.
  holdNewKeys(model, lease, request, answer, nowMs);
  lease.status = 'unsure';
  lease.epoch = model.epoch;
}

/**
 * A lease whose reserve met a fault (or a restart): it may hold or not; it never holds a key
 * twice. Once a faithful replay is allowed, its `reserved_at_unix_ms` says when the holds were
 * made (perhaps by the first attempt, applied when the cluster came back), and the model knows
 * them exactly again.
 */
function judgeUnsure(
  model: ReferenceModel,
  lease: ModelLease,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  model.blame({ over: 'replay_holds_once', under: 'no_early_release' });
  const neverHeld = !lease.confirmed;
  if (answer.error === BACKEND_ERROR) {
    holdPossibly(model, lease, request, nowMs, neverHeld);
    return;
  }
  if (!answer.allowed) return;
  if (!sameRequirements(lease.requirements, request.requirements)) {
    // If the first attempt never reached the ledger, this is a new lease to the backend: its
    // holds are made now. What the first attempt may hold stays possible until it expires.
    if (neverHeld) {
      model.leases.delete(request.lease_id);
      const madeAtMs = Math.min(nowMs, Math.max(model.sentAtMs, answer.reserved_at_unix_ms));
      recordAllowed(model, request, madeAtMs, madeAtMs, true);
      model.leases.get(request.lease_id)!.faulted = true;
    } else {
      holdNewKeys(model, lease, request, answer, nowMs);
    }
    return;
  }
  if (!neverHeld) return;

  const madeAtMs = answer.reserved_at_unix_ms;
  if (madeAtMs < lease.reservedAtMs || madeAtMs > nowMs) {
    model.report('contract_answer', `replay of ${request.lease_id}: reserved_at_unix_ms ` +
      `${madeAtMs} is outside [${lease.reservedAtMs}, ${nowMs}]`);
    return;
  }
  // The holds were planned when the lease was first sent: they last as defined then.
  for (const hold of lease.holds) model.holdsAt(hold.key, nowMs)?.release(hold);
  model.leases.delete(request.lease_id);
  const plannedMs = new Map(lease.holds.map((hold) => [hold.key, hold.durationMs]));
  recordAllowed(model, request, madeAtMs, madeAtMs, true, plannedMs);
  model.leases.get(request.lease_id)!.faulted = true;
}

/**
 * A replay that met a fault may still be applied by the cluster: it may hold the keys the lease
 * never held (every key, if the lease may never have held anything), until it would expire.
 */
function holdPossibly(
  model: ReferenceModel,
  lease: ModelLease,
  request: ReserveRequest,
  nowMs: number,
  everyKey: boolean,
): void {
  if (model.precheck(request.requirements) !== undefined) return;
  const heldKeys = new Set(lease.requirements.map((r) => r.key));
  const keys = request.requirements.filter((r) => everyKey || !heldKeys.has(r.key));
  if (keys.length === 0) return;
  const appliedByMs = Math.max(nowMs, model.unreachableUntilMs);
  const made = recordHolds(model, keys, appliedByMs, false);
  for (const hold of made.holds) {
    lease.holds.push(hold);
    model.mayStillBeApplied(hold, hold.expiresAtMs - appliedByMs, lease);
  }
  extendLease(model, request.lease_id, lease, made.lastExpiryMs);
}

/** An allowed answer may hold the keys the lease never held, made at its reserved_at. */
function holdNewKeys(
  model: ReferenceModel,
  lease: ModelLease,
  request: ReserveRequest,
  answer: ReserveResponse,
  nowMs: number,
): void {
  const heldKeys = new Set(lease.requirements.map((r) => r.key));
  const added = request.requirements.filter((r) => !heldKeys.has(r.key));
  if (added.length === 0) return;
  const madeAtMs = Math.min(nowMs, Math.max(model.sentAtMs, answer.reserved_at_unix_ms));
  const made = recordHolds(model, added, madeAtMs, true);
  lease.holds.push(...made.holds);
  lease.requirements = [...lease.requirements, ...added];
  extendLease(model, request.lease_id, lease, made.lastExpiryMs);
}

function recordAllowed(
  model: ReferenceModel,
  request: ReserveRequest,
  reservedAtMs: number,
  madeAtMs: number,
  certain: boolean,
  durationsMs?: ReadonlyMap<string, number>,
): void {
  const made = recordHolds(model, request.requirements, madeAtMs, certain, durationsMs);
  const lease: ModelLease = {
    status: certain ? 'allowed' : 'unsure',
    requirements: request.requirements,
    reservedAtMs,
    firstExpiryMs: made.firstExpiryMs,
    lastExpiryMs: made.lastExpiryMs,
    holds: made.holds,
    confirmed: certain,
    epoch: model.epoch,
    forgetAtMs: made.lastExpiryMs + model.leases.retentionMs,
  };
  model.leases.set(request.lease_id, lease);
}

interface MadeHolds {
  holds: ModelHold[];
  firstExpiryMs: number;
  lastExpiryMs: number;
}

/**
 * One hold per requirement, made at `madeAtMs`, lasting as defined now (or as `plannedMs`
 * says, for holds planned earlier).
 */
function recordHolds(
  model: ReferenceModel,
  requirements: readonly Requirement[],
  madeAtMs: number,
  certain: boolean,
  plannedMs?: ReadonlyMap<string, number>,
): MadeHolds {
  const holds: ModelHold[] = [];
  let firstExpiryMs = Number.MAX_SAFE_INTEGER;
  let lastExpiryMs = 0;
  for (const requirement of requirements) {
    const definition = model.lookup(requirement.key)?.definition;
    if (definition === undefined) continue;
    const durationMs = plannedMs?.get(requirement.key) ?? holdDurationMs(definition);
    const expiresAtMs = madeAtMs + durationMs;
    const amount = requirement.amount;
    const key = requirement.key;
    const kind = definition.kind;
    const hold = new ModelHold(key, kind, amount, durationMs, amount, expiresAtMs, certain);
    model.holdsAt(requirement.key, madeAtMs)!.add(hold);
    holds.push(hold);
    firstExpiryMs = Math.min(firstExpiryMs, expiresAtMs);
    lastExpiryMs = Math.max(lastExpiryMs, expiresAtMs);
  }
  return { holds, firstExpiryMs, lastExpiryMs };
}

/**
 * A reserve that met a fault: each hold may exist. The request may still be applied when the
 * cluster comes back, so a hold may last until then plus its duration.
 */
function recordUnsure(model: ReferenceModel, request: ReserveRequest, nowMs: number): void {
  if (model.precheck(request.requirements) !== undefined) return;
  const appliedByMs = Math.max(nowMs, model.unreachableUntilMs);
  recordAllowed(model, request, nowMs, appliedByMs, false);
  const lease = model.leases.get(request.lease_id)!;
  // Sent at the operation's instant: it may have been applied at any time since.
  lease.reservedAtMs = model.opAtMs;
  for (const hold of lease.holds) {
    model.mayStillBeApplied(hold, hold.expiresAtMs - appliedByMs, lease);
  }
}

function describeRoom(model: ReferenceModel, request: ReserveRequest, nowMs: number): string {
  return request.requirements
    .map((r) => {
      const holds = model.holdsAt(r.key, nowMs)!;
      const capacity = model.lookup(r.key)!.definition.capacity;
      return `${r.key} needs ${r.amount}, held ≤ ${holds.upper} of ${capacity}`;
    })
    .join('; ');
}

/** A lease that gained holds is remembered until its latest hold ends, plus retention. */
function extendLease(
  model: ReferenceModel,
  leaseId: string,
  lease: ModelLease,
  lastExpiryMs: number,
): void {
  lease.lastExpiryMs = Math.max(lease.lastExpiryMs, lastExpiryMs);
  model.leases.reschedule(leaseId, lease, lease.lastExpiryMs + model.leases.retentionMs);
}
