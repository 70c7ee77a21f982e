import { precheckReserve } from '../../src/backends/common/prechecks.ts';
import type { LimitDefinition, LimitState, LimitView } from '../../src/domain/limits.ts';
import type { PutLimitResponse, Requirement, ReserveResponse } from '../../src/domain/requests.ts';
import type { RetryPolicy } from '../../src/domain/retry-policy.ts';
import { planPut } from '../../src/domain/transitions.ts';
import { violation, type Finding, type Rule } from './findings.ts';
import { KeyHolds, type ModelHold } from './key-holds.ts';
import { LeaseTable, type ModelLease } from './model-leases.ts';
import { sameDefinition, sameJson } from './same-json.ts';

export interface ModelKey {
  state: LimitState;
  holds: KeyHolds;
  debtLower: bigint;
  debtUpper: bigint;
  /** A fault left the state unknown (a failed put, a tick that could not run): read it out. */
  stateUnknown: boolean;
}

export interface ModelOptions {
  target: string;
  retryPolicy: RetryPolicy;
  leaseRetentionMs: number;
  /** How long after its forget time a lease may still be remembered by a lazy purge. */
  forgetGraceMs: number;
}

/** Which rule a usage bound broken after the current operation points at. */
interface UsageRules {
  over: Rule;
  under: Rule;
}

const DEFAULT_RULES: UsageRules = { over: 'all_or_nothing', under: 'no_early_release' };

/**
 * The reference model of one backend, kept from that backend's answers: limit states, holds as
 * bounds, debt as bounds, leases. It predicts every answer the contract fixes exactly, checks the
 * invariants of spec/simulator.md, and checks usage read-outs against its own holds. It never
 * looks inside a backend; the only state it reads is the public usage read-out.
 */
export class ReferenceModel {
  readonly keys = new Map<string, ModelKey>();
  readonly leases: LeaseTable;
  readonly decreasing = new Set<string>();
  /** Keys whose state must be read out before the model can predict answers about them. */
  readonly unknown = new Set<string>();
  readonly findings: Finding[] = [];

  /** Restarts of the backend so far; leases of older epochs are forgotten by it. */
  epoch = 0;
  /**
   * False once the backend has been cut off from its cluster: from then on, checks that need the
   * backend to be able to act (a denial must have a cause, a fitting decrease must apply) are off.
   */
  healthy = true;
  /**
   * Until when the backend's cluster is cut off. A request that timed out may still be waiting
   * there and be applied when it comes back, so what it may hold lasts from then.
   */
  unreachableUntilMs = 0;
  /**
   * Holds a request may still make, waiting in a cluster that is down: each lasts from when the
   * cluster comes back, so a later cut-off pushes them out (see `cutOff`).
   */
  private waiting: Array<{ hold: ModelHold; durationMs: number; lease: ModelLease }> = [];

  private opIndex = 0;
  /** The instant of the operation being judged (a target's clock may run ahead of it). */
  opAtMs = 0;
  /**
   * This target's clock when the request being judged was sent. If its clock is later when the
   * answer is judged, the request waited (for a cluster that was down) and took effect at some
   * instant in between: the model then judges it loosely.
   */
  sentAtMs = 0;
  private rules: UsageRules = DEFAULT_RULES;

  constructor(readonly options: ModelOptions) {
    this.leases = new LeaseTable(options.leaseRetentionMs, options.forgetGraceMs);
  }

  /** Names the operation that findings from now on belong to. */
  begin(opIndex: number, atMs: number): void {
    this.opIndex = opIndex;
    this.opAtMs = atMs;
    this.sentAtMs = atMs;
    this.rules = DEFAULT_RULES;
    this.leases.purge(atMs);
  }

  report(rule: Rule, message: string): void {
    this.findings.push(violation(rule, this.options.target, this.opIndex, this.opAtMs, message));
  }

  /** Usage bounds broken after this operation point at these rules (the first setter wins). */
  blame(rules: UsageRules): void {
    if (this.rules === DEFAULT_RULES) this.rules = rules;
  }

  lookup = (key: string): LimitState | undefined => this.keys.get(key)?.state;

  /**
   * The backend's process restarted: leases it made before are forgotten there, and its start
   * may apply a pending decrease that fits (read out before predicting anything about it).
   */
  restarted(): void {
    this.epoch++;
    for (const key of this.decreasing) this.markUnknown(this.keys.get(key)!, true);
  }

  /** The cluster is cut off until `untilMs`: whatever waits there is applied from then. */
  cutOff(untilMs: number): void {
    this.healthy = false;
    if (untilMs <= this.unreachableUntilMs) return;
    this.unreachableUntilMs = untilMs;
    for (const entry of this.waiting) {
      const { hold, lease } = entry;
      const holds = this.keys.get(hold.key)?.holds;
      if (holds === undefined || !hold.live) continue;
      const later = hold.derive(hold.amount, untilMs + entry.durationMs, false);
      holds.release(hold);
      holds.add(later);
      const at = lease.holds.indexOf(hold);
      if (at >= 0) lease.holds[at] = later;
      lease.lastExpiryMs = Math.max(lease.lastExpiryMs, later.expiresAtMs);
      entry.hold = later;
    }
  }

  /** A possible hold of a request that may still be waiting in the cluster. */
  mayStillBeApplied(hold: ModelHold, durationMs: number, lease: ModelLease): void {
    this.waiting.push({ hold, durationMs, lease });
  }

  /** The cluster answers again: every request that waited there has been applied by now. */
  reachable(nowMs: number): void {
    if (this.waiting.length > 0 && nowMs >= this.unreachableUntilMs) this.waiting = [];
  }

  /** Current held bounds of a key at `nowMs`. */
  holdsAt(key: string, nowMs: number): KeyHolds | undefined {
    const entry = this.keys.get(key);
    entry?.holds.expire(nowMs);
    return entry?.holds;
  }

  /** Steps 2 to 4, when every key's state is known; undefined also when it is not. */
  precheck(requirements: readonly Requirement[]): ReserveResponse | undefined {
    return precheckReserve(this.lookup, requirements, this.options.retryPolicy);
  }

  anyStateUnknown(keys: Iterable<string>): boolean {
    for (const key of keys) if (this.keys.get(key)?.stateUnknown) return true;
    return false;
  }

  put(definition: LimitDefinition, answer: PutLimitResponse): void {
    const entry = this.keys.get(definition.key);
    // Nothing can be predicted from an unknown state; the next read-out settles it.
    if (entry?.stateUnknown) return;

    const plan = planPut(entry?.state, definition);
    const expected: PutLimitResponse =
      plan.outcome === 'kind_immutable'
        ? { ok: false, error: 'kind_immutable' }
        : { ok: true, status: plan.outcome === 'decreasing' ? 'decreasing' : 'active' };
    const matches = answer.ok === expected.ok && sameJson(putCore(answer), putCore(expected));
    if (!matches) {
      if (!this.healthy && !answer.ok) {
        // A put cut off from the cluster may or may not have been applied: read it out.
        if (entry !== undefined) this.markUnknown(entry, true);
        else this.adopt({ definition, status: 'active', pending_decrease_to: null }, true);
        return;
      }
      this.report('contract_answer', `put_limit ${definition.key}: expected ` +
        `${JSON.stringify(expected)}, got ${JSON.stringify(answer)}`);
    }
    if (plan.outcome !== 'kind_immutable' && answer.ok) this.adopt(plan.next, false);
  }

  /** A tick at `nowMs`: decreases that must apply do; keys left in doubt are returned. */
  tick(nowMs: number): string[] {
    const doubtful: string[] = [];
    for (const key of this.decreasing) {
      const entry = this.keys.get(key)!;
      if (entry.stateUnknown) {
        doubtful.push(key);
        continue;
      }
      entry.holds.expire(nowMs);
      const pending = entry.state.pending_decrease_to!;
      if (entry.holds.upper <= pending && this.healthy) {
        this.applyDecrease(entry);
      } else if (entry.holds.lower <= pending) {
        // It may or may not fit (bounds straddle it), or the backend may be unable to act.
        this.markUnknown(entry, true);
        doubtful.push(key);
      }
    }
    return doubtful;
  }

  /** Checks a usage read-out of `key` at `nowMs` against the model, and learns unknown state. */
  checkView(key: string, view: LimitView | undefined, nowMs: number): void {
    const entry = this.keys.get(key);
    if (entry === undefined) {
      if (view !== undefined) {
        this.report('contract_answer', `get_limit ${key}: unknown key answered`);
      }
      return;
    }
    if (view === undefined) {
      // A put that met a fault may never have been applied: the key does not exist after all.
      if (entry.stateUnknown && entry.holds.upper === 0) {
        this.forget(entry);
        return;
      }
      this.report('contract_answer', `get_limit ${key}: a defined key answered as unknown`);
      return;
    }

    entry.holds.expire(nowMs);
    if (entry.stateUnknown || this.lateDecrease(entry, view)) this.learnState(entry, view);
    else this.checkState(entry, view);
    this.checkUsage(entry, view);
  }

  /**
   * Cut off from its cluster, a backend may finish a decrease that a tick started after that
   * tick, once the cluster answers: accepted (if it fitted) when nothing else changed.
   */
  private lateDecrease(entry: ModelKey, view: LimitView): boolean {
    const state = entry.state;
    if (this.healthy || state.status !== 'decreasing' || view.status !== 'active') return false;
    const applied = { ...state.definition, capacity: state.pending_decrease_to! };
    return sameDefinition(view.definition, applied);
  }

  private checkState(entry: ModelKey, view: LimitView): void {
    const state = entry.state;
    const key = state.definition.key;
    if (view.status !== state.status || view.pending_decrease_to !== state.pending_decrease_to) {
      this.report('decrease_rule', `${key}: status ${view.status} ` +
        `(pending ${view.pending_decrease_to}), the model has ${state.status} ` +
        `(pending ${state.pending_decrease_to}) with held in [${entry.holds.lower}, ` +
        `${entry.holds.upper}]`);
    }
    if (!sameDefinition(view.definition, state.definition)) {
      this.report('contract_answer', `${key}: definition ${JSON.stringify(view.definition)}, ` +
        `the model has ${JSON.stringify(state.definition)}`);
    }
  }

  private checkUsage(entry: ModelKey, view: LimitView): void {
    const key = entry.state.definition.key;
    const { held, available, debt } = view.usage;
    const capacity = view.definition.capacity;
    if (held > capacity) {
      this.report('held_within_capacity', `${key}: held ${held} above capacity ${capacity}`);
    }
    // Cut off from its cluster, a backend may show less room while a capacity change is still in
    // flight between its registry and its ledger (safe); never more.
    const pessimistic = !this.healthy && available < capacity - held;
    if (available !== capacity - held && !pessimistic) {
      this.report('contract_answer',
        `${key}: available ${available} is not ${capacity} − ${held}`);
    }
    if (held < entry.holds.lower) {
      this.report(this.rules.under, `${key}: held ${held}, but the model holds at least ` +
        `${entry.holds.lower} (released before expiry)`);
    }
    if (held > entry.holds.upper) {
      this.report(this.rules.over, `${key}: held ${held}, but the model holds at most ` +
        `${entry.holds.upper}`);
    }
    if (debt < entry.debtLower || debt > entry.debtUpper) {
      const bounds = entry.debtLower === entry.debtUpper
        ? `${entry.debtLower}`
        : `[${entry.debtLower}, ${entry.debtUpper}]`;
      this.report('debt_exact', `${key}: debt ${debt}, the model has ${bounds}`);
    }
  }

  /** Takes a state the model had lost track of from a read-out, checking what it can. */
  private learnState(entry: ModelKey, view: LimitView): void {
    const before = entry.state;
    const state: LimitState = {
      definition: view.definition,
      status: view.status,
      pending_decrease_to: view.pending_decrease_to,
    };
    const applied =
      before.status === 'decreasing' &&
      state.status === 'active' &&
      state.definition.capacity === before.pending_decrease_to;
    if (applied && entry.holds.lower > before.pending_decrease_to!) {
      this.report('decrease_rule', `${before.definition.key}: decrease to ` +
        `${before.pending_decrease_to} applied while at least ${entry.holds.lower} was held`);
    }
    this.adopt(state, false);
  }

  private adopt(state: LimitState, unknown: boolean): void {
    const key = state.definition.key;
    let entry = this.keys.get(key);
    if (entry === undefined) {
      entry = {
        state,
        holds: new KeyHolds(),
        debtLower: 0n,
        debtUpper: 0n,
        stateUnknown: unknown,
      };
      this.keys.set(key, entry);
    }
    entry.state = state;
    this.markUnknown(entry, unknown);
    if (state.status === 'decreasing') this.decreasing.add(key);
    else this.decreasing.delete(key);
  }

  private forget(entry: ModelKey): void {
    const key = entry.state.definition.key;
    this.keys.delete(key);
    this.unknown.delete(key);
    this.decreasing.delete(key);
  }

  markUnknown(entry: ModelKey, unknown: boolean): void {
    entry.stateUnknown = unknown;
    if (unknown) this.unknown.add(entry.state.definition.key);
    else this.unknown.delete(entry.state.definition.key);
  }

  private applyDecrease(entry: ModelKey): void {
    const state = entry.state;
    this.adopt({
      definition: { ...state.definition, capacity: state.pending_decrease_to! },
      status: 'active',
      pending_decrease_to: null,
    }, false);
  }
}

function putCore(answer: PutLimitResponse): unknown {
  return answer.ok ? { ok: true, status: answer.status } : { ok: false, error: answer.error };
}
