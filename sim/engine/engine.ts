import { DEFAULT_LEASE_RETENTION_MS } from '../../src/backends/common/lease-book.ts';
import { DEFAULT_DECREASE_POLL_MS } from '../../src/backends/options.ts';
import { assert } from '../../src/domain/assert.ts';
import type { LimitView } from '../../src/domain/limits.ts';
import type { ReserveResponse } from '../../src/domain/requests.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/domain/retry-policy.ts';
import { nextTickAtMs } from '../../src/time/ticks.ts';
import type { Finding } from '../check/findings.ts';
import { judgeAnswer } from '../check/judge.ts';
import { ReferenceModel } from '../check/reference-model.ts';
import { jsonDifferences, sameJson } from '../check/same-json.ts';
import { isRequestOp, type RequestOp, type SimOp } from './operations.ts';
import {
  describeDifference,
  directly,
  sameOutcome,
  showOutcome,
  type Outcome,
} from './outcome.ts';
import { prepareRequest, type PreparedRequest } from './prepare.ts';
import { emptyStats, type RunObserver, type RunStats } from './run-stats.ts';
import { microtaskQuiet, NoAnswerError, settleOnClock, type WaitForQuiet } from './settle.ts';
import { recordedDifference } from './recorded.ts';
import { sendRequest } from './send-request.ts';
import type { SimTarget } from './target.ts';
import { targetFactory, targetNames } from './targets/index.ts';
import { touchedKeys } from './touched-keys.ts';

/** Findings kept in full; beyond them only counted, so memory stays bounded. */
export const MAX_KEPT_FINDINGS = 1000;

export interface EngineOptions {
  /** Target kinds, e.g. ['memory', 'tigerbeetle']. */
  backends: readonly string[];
  /** Seed of every backend's jitter source. */
  seed: number;
  /** Where every clock starts (the first operation's instant, usually). */
  startMs: number;
  decreasePollMs?: number;
  leaseRetentionMs?: number;
  retryPolicy?: RetryPolicy;
  /** 'touched' (default): after each operation, read out every key it touched; 'none'. */
  usageChecks?: 'touched' | 'none';
  /** A macrotask turn, supplied by the entry point (setImmediate); see settle.ts. */
  waitForQuiet?: WaitForQuiet;
  observer?: RunObserver;
  /**
   * Single reserves and completes are valid by construction (an imported trace): skip checking
   * them. A recorded trace is never trusted: what a server received may be anything.
   */
  trustedRequests?: boolean;
  /** Told every answer and read-out, one line each (`replay --verbose`). */
  trace?: (line: string) => void;
}

/**
 * Runs one operation list against several backends at the same simulated instants. Before an
 * operation at instant t, every target's clock moves to t, ticking at each multiple of
 * decrease_poll_ms on the way; then the operation is applied to each target in turn (awaited),
 * the answers are compared field by field, each target's reference model judges its answers, and
 * the keys the operation touched are read out and checked against the model.
 */
export class Engine {
  /** The first MAX_KEPT_FINDINGS findings; `counts` has them all. */
  readonly findings: Finding[] = [];
  readonly counts = { differences: 0, violations: 0 };
  readonly stats: RunStats = emptyStats();
  /** True once a fault only one side can suffer has happened: answers are no longer compared. */
  relaxed = false;

  private readonly pollMs: number;
  private readonly waitForQuiet: WaitForQuiet;
  private readonly checkUsage: boolean;
  private opIndex = 0;
  private nowMs: number;
  /** Per target: was its cluster reachable when the current request was sent? */
  private readonly reachableAtStart: boolean[] = [];

  private constructor(
    readonly targets: SimTarget[],
    readonly models: ReferenceModel[],
    private readonly options: EngineOptions,
  ) {
    this.pollMs = options.decreasePollMs ?? DEFAULT_DECREASE_POLL_MS;
    this.waitForQuiet = options.waitForQuiet ?? microtaskQuiet;
    this.checkUsage = (options.usageChecks ?? 'touched') === 'touched';
    this.nowMs = options.startMs;
    this.stats.firstAtMs = options.startMs;
    this.stats.lastAtMs = options.startMs;
  }

  static async create(options: EngineOptions): Promise<Engine> {
    assert(options.backends.length > 0, 'the engine needs at least one backend');
    const context = {
      startMs: options.startMs,
      seed: options.seed,
      retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      leaseRetentionMs: options.leaseRetentionMs ?? DEFAULT_LEASE_RETENTION_MS,
    };
    const names = targetNames(options.backends);
    const targets: SimTarget[] = [];
    for (let i = 0; i < names.length; i++) {
      targets.push(await targetFactory(options.backends[i]!).create(names[i]!, context));
    }
    const pollMs = options.decreasePollMs ?? DEFAULT_DECREASE_POLL_MS;
    const models = targets.map(
      (target) =>
        new ReferenceModel({
          target: target.name,
          retryPolicy: context.retryPolicy,
          leaseRetentionMs: context.leaseRetentionMs,
          forgetGraceMs: Math.max(60_000, 2 * pollMs),
        }),
    );
    return new Engine(targets, models, options);
  }

  /**
   * Runs `ops` in order; `onStep` is told after each one (progress lines). With
   * `stopAtFirstFinding`, stops after the operation that found something (fuzzing, shrinking).
   */
  async run(
    ops: readonly SimOp[],
    onStep?: (done: number) => void,
    stopAtFirstFinding = false,
  ): Promise<void> {
    for (let i = 0; i < ops.length; i++) {
      await this.step(ops[i]!, i);
      onStep?.(i + 1);
      if (stopAtFirstFinding && this.findings.length > 0) return;
    }
  }

  async step(op: SimOp, index: number): Promise<void> {
    assert(op.at_ms >= this.nowMs, `operation ${index}: at_ms ${op.at_ms} is before ${this.nowMs}`);
    this.opIndex = index;
    this.nowMs = op.at_ms;
    this.stats.operations++;
    this.stats.lastAtMs = op.at_ms;
    if (this.relaxed) this.stats.relaxedOperations++;
    for (const model of this.models) model.begin(index, op.at_ms);

    if (this.tickDue(op.at_ms)) await this.advanceAll(op.at_ms);
    else for (const t of this.targets) if (t.clock.now() < op.at_ms) t.clock.set(op.at_ms);
    for (let i = 0; i < this.targets.length; i++) {
      const target = this.targets[i]!;
      if (target.reachable()) this.models[i]!.reachable(target.clock.now());
    }
    if (isRequestOp(op)) await this.request(op);
    else if (op.op === 'tick') await this.tickAll();
    else if (op.op === 'restart') await this.restart();
    else if (op.op === 'unavailable') this.cutOff(op.for_ms);
    this.collectFindings();
  }

  /** Reads out every key of the first target, sums the debt; closes nothing. */
  async finish(): Promise<void> {
    for (const model of this.models) model.begin(this.opIndex, this.nowMs);
    const views = await this.readAll(0);
    let debt = 0n;
    for (const view of views.values()) debt += view.usage.debt;
    this.stats.debt = debt;
    this.collectFindings();
  }

  async close(): Promise<void> {
    for (const target of this.targets) await this.call(target, () => target.close());
  }

  // Time.

  /** Whether moving to `toMs` crosses a tick on some target (most operations do not). */
  private tickDue(toMs: number): boolean {
    for (const target of this.targets) {
      if (nextTickAtMs(target.clock.now(), this.pollMs) <= toMs) return true;
    }
    return false;
  }

  private async advanceAll(toMs: number): Promise<void> {
    for (let i = 0; i < this.targets.length; i++) {
      const clock = this.targets[i]!.clock;
      for (;;) {
        const tickAtMs = nextTickAtMs(clock.now(), this.pollMs);
        if (tickAtMs > toMs) break;
        clock.set(tickAtMs);
        await this.tickTarget(i);
      }
      // A target whose clock ran ahead (a bounded wait during a fault) stays where it is.
      if (clock.now() < toMs) clock.set(toMs);
    }
  }

  private async tickAll(): Promise<void> {
    for (let i = 0; i < this.targets.length; i++) await this.tickTarget(i);
  }

  private async tickTarget(i: number): Promise<void> {
    const target = this.targets[i]!;
    const model = this.models[i]!;
    const outcome = await this.call(target, () => target.backend.tick());
    if ('thrown' in outcome && target.reachable()) {
      model.report('no_answer', `tick threw: ${outcome.thrown}`);
    }

    const atMs = target.clock.now();
    const doubtful = model.tick(atMs);
    if (doubtful.length > 0 && target.reachable()) {
      for (const key of doubtful) await this.readOut(i, key);
    }

    const observer = this.options.observer;
    const every = observer?.sampleEveryMs;
    if (i === 0 && every !== undefined && atMs % every === 0) {
      observer!.sampled?.(atMs, await this.readAll(0));
    }
  }

  // Faults.

  private async restart(): Promise<void> {
    for (let i = 0; i < this.targets.length; i++) {
      const target = this.targets[i]!;
      if (target.restart === undefined) continue;
      // Starting the new process talks to the cluster, which may be down: wait on its clock.
      const outcome = await this.call(target, () => target.restart!());
      if ('thrown' in outcome) {
        this.models[i]!.report('no_answer', `restart threw: ${outcome.thrown}`);
      }
      this.models[i]!.restarted();
      this.relaxed = true;
    }
  }

  private cutOff(forMs: number): void {
    for (let i = 0; i < this.targets.length; i++) {
      const target = this.targets[i]!;
      if (target.cutOff === undefined) continue;
      const untilMs = target.clock.now() + forMs;
      target.cutOff(untilMs);
      this.models[i]!.cutOff(untilMs);
      this.relaxed = true;
    }
  }

  // Requests.

  private async request(op: RequestOp): Promise<void> {
    const { prepared, batch } = prepareRequest(op, this.options.trustedRequests ?? false);
    const rounds = op.fault === 'duplicate' ? 2 : 1;

    for (let round = 0; round < rounds; round++) {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < this.targets.length; i++) {
        const target = this.targets[i]!;
        this.reachableAtStart[i] = target.reachable();
        this.models[i]!.sentAtMs = target.clock.now();
        outcomes.push(await this.apply(target, prepared, batch));
        this.options.trace?.(`#${this.opIndex} ${op.op} @${target.clock.now()} ${target.name}: ` +
          showOutcome(outcomes[i]!));
      }
      this.compare(op, outcomes);
      for (let i = 0; i < this.targets.length; i++) {
        this.judge(i, prepared, batch, outcomes[i]!);
      }
      if (round === 0) this.count(prepared, batch, outcomes[0]!);
      if (op.response !== undefined || op.status !== undefined) {
        this.compareRecorded(op, outcomes[0]!);
      }
    }

    if (this.checkUsage) await this.checkTouched(prepared);
  }

  private apply(target: SimTarget, prepared: PreparedRequest, batch: boolean): Promise<Outcome> {
    if (prepared.op === 'invalid') return Promise.resolve({ answer: prepared.answer });
    return this.call(target, sendRequest(target.backend, prepared, batch));
  }

  private async call(target: SimTarget, work: () => Promise<unknown>): Promise<Outcome> {
    try {
      const answer = target.waitsOnClock
        ? await settleOnClock(target.clock, work(), this.waitForQuiet)
        : await work();
      return { answer };
    } catch (error) {
      const text = error instanceof NoAnswerError ? 'no answer (hang)' : String(error);
      return { thrown: text };
    }
  }

  private judge(i: number, prepared: PreparedRequest, batch: boolean, outcome: Outcome): void {
    const model = this.models[i]!;
    if ('thrown' in outcome) {
      // A backend cut off from its cluster may fail (after a bounded wait); otherwise it is a bug.
      if (this.reachableAtStart[i] && this.targets[i]!.reachable()) {
        model.report('no_answer', `${prepared.op} threw: ${outcome.thrown}`);
      }
      return;
    }
    judgeAnswer(model, prepared, batch, outcome.answer, this.targets[i]!.clock.now());
  }

  /** Answers of every target must be the same, field by field, until a one-sided fault. */
  private compare(op: RequestOp, outcomes: Outcome[]): void {
    if (this.relaxed || outcomes.length < 2) return;
    const first = outcomes[0]!;
    for (let i = 1; i < outcomes.length; i++) {
      if (sameJson(first, outcomes[i])) continue;
      const paths = jsonDifferences(first, outcomes[i]);
      const names = [this.targets[0]!.name, this.targets[i]!.name];
      this.keep({
        kind: 'difference',
        rule: 'equality',
        opIndex: this.opIndex,
        atMs: this.nowMs,
        message: `${op.op}: ${describeDifference(paths, [first, outcomes[i]!], names)}`,
      });
    }
  }

  private compareRecorded(op: RequestOp, outcome: Outcome): void {
    if ('thrown' in outcome) return;
    const difference = recordedDifference(op, outcome.answer);
    if (difference === undefined) return;
    this.keep({
      kind: 'difference',
      rule: 'equality',
      opIndex: this.opIndex,
      atMs: this.nowMs,
      target: 'recording',
      message: `${op.op}: ${this.targets[0]!.name} answered differently from the recording: ` +
        difference,
    });
  }

  private count(prepared: PreparedRequest, batch: boolean, outcome: Outcome): void {
    if ('thrown' in outcome) return;
    if (prepared.op === 'complete') {
      this.stats.completes += prepared.items.length;
      return;
    }
    if (prepared.op !== 'reserve') return;

    const answer = outcome.answer as ReserveResponse | ReserveResponse[];
    const answers = Array.isArray(answer) ? answer : [answer];
    const observer = this.options.observer;
    for (const answer of answers) {
      this.stats.reserves++;
      if (answer.allowed) this.stats.allowed++;
      else if (answer.error === '') this.stats.denied++;
      else this.stats.refused++;
      observer?.reserveAnswered?.(this.nowMs, answer);
    }
  }

  // Usage read-outs.

  /** Reads out the keys the operation touched on every target, and compares them. */
  private async checkTouched(prepared: PreparedRequest): Promise<void> {
    const keys = touchedKeys(prepared, this.models);
    const compare = !this.relaxed && this.targets.length > 1;
    const views: Outcome[][] = [];
    for (let i = 0; i < this.targets.length; i++) {
      const model = this.models[i]!;
      const read = await this.readOutKeys(i, keys);
      if (model.unknown.size > 0) {
        for (const key of [...model.unknown]) if (!keys.includes(key)) await this.readOut(i, key);
      }
      views.push(read);
    }

    if (!compare) return;
    const first = views[0]!;
    for (let k = 0; k < keys.length; k++) {
      let same = true;
      for (let i = 1; i < views.length && same; i++) same = sameOutcome(first[k]!, views[i]![k]!);
      if (same) continue;
      const column = views.map((read) => read[k]!);
      this.compare({ op: 'get_limit', at_ms: this.nowMs, key: keys[k]! }, column);
    }
  }

  /**
   * Read-outs of `keys` on target `i`, in order, each checked by its model. A target that can
   * read several keys at one instant does so in one call (a TigerBeetle target: one
   * `lookup_accounts` instead of one a key); the views and the checks are those of one
   * `getLimit` a key, since time stands still between them. After a one-sided fault, or if
   * that call fails, each key is read on its own, so that a failure names its key.
   */
  private async readOutKeys(i: number, keys: readonly string[]): Promise<Outcome[]> {
    const target = this.targets[i]!;
    const read: Outcome[] = new Array<Outcome>(keys.length);
    if (target.readMany !== undefined && keys.length > 1 && !this.relaxed && target.reachable()) {
      const outcome = await this.call(target, () => target.readMany!(keys));
      if ('answer' in outcome) {
        const views = outcome.answer as Array<LimitView | undefined>;
        for (let k = 0; k < keys.length; k++) {
          read[k] = this.judgeRead(i, keys[k]!, { answer: views[k] });
        }
        return read;
      }
    }
    for (let k = 0; k < keys.length; k++) read[k] = await this.readOut(i, keys[k]!);
    return read;
  }

  /** One read-out on target `i`, checked by its model (skipped while its cluster is down). */
  private async readOut(i: number, key: string): Promise<Outcome> {
    const target = this.targets[i]!;
    if (!target.reachable()) return { thrown: 'unreachable' };
    const outcome = target.waitsOnClock
      ? await this.call(target, () => target.backend.getLimit(key))
      : await directly(target.backend.getLimit(key));
    return this.judgeRead(i, key, outcome);
  }

  private judgeRead(i: number, key: string, outcome: Outcome): Outcome {
    const target = this.targets[i]!;
    this.options.trace?.(`#${this.opIndex}   read ${key} @${target.clock.now()} ${target.name}: ` +
      showOutcome(outcome));
    const model = this.models[i]!;
    if ('thrown' in outcome) {
      // Reachable when asked (checked above): a failure now is a bug, unless it was cut off since.
      if (target.reachable()) {
        model.report('no_answer', `get_limit ${key} threw: ${outcome.thrown}`);
      }
      return outcome;
    }
    model.checkView(key, outcome.answer as LimitView | undefined, target.clock.now());
    return outcome;
  }

  private async readAll(i: number): Promise<Map<string, LimitView>> {
    const views = new Map<string, LimitView>();
    const target = this.targets[i]!;
    if (!target.reachable()) return views;
    const keys = [...this.models[i]!.keys.keys()].sort();
    for (const key of keys) {
      const outcome = await this.readOut(i, key);
      if ('answer' in outcome && outcome.answer !== undefined) {
        views.set(key, outcome.answer as LimitView);
      }
    }
    return views;
  }

  private collectFindings(): void {
    for (const model of this.models) {
      if (model.findings.length === 0) continue;
      for (const finding of model.findings) this.keep(finding);
      model.findings.length = 0;
    }
  }

  /** Counts every finding; keeps the first ones (a broken backend may find one per step). */
  private keep(finding: Finding): void {
    if (finding.kind === 'difference') this.counts.differences++;
    else this.counts.violations++;
    if (this.findings.length < MAX_KEPT_FINDINGS) this.findings.push(finding);
  }
}

