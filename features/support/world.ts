import { performance } from 'node:perf_hooks';

import { setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import type { IWorldOptions } from '@cucumber/cucumber';

import type { LimitView } from '../../src/domain/limits.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../../src/domain/requests.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { KeyNames } from './key-names.ts';
import { LeaseNames } from './lease-names.ts';
import { createTarget } from './targets/index.ts';
import { isTargetName, type AdminAnswer, type Target, type TargetName } from './targets/target.ts';

/** What a profile hands every scenario (cucumber.mjs). */
export interface FeatureParameters {
  target: TargetName;
}

/** One amount on one key, as a scenario writes it ("2 of \"tpm\""). */
export interface KeyAmount {
  key: string;
  amount: number;
}

/** Simulated time starts on a whole second, so ticks fall on whole seconds after the start. */
const START_MS = 1_700_000_000_000;
const DEFAULT_JITTER_SEED = 1;
const LEASE_ID_SEED = 20_240_601;

/** A scenario that waits on a real cluster may take a few windows of real time. */
setDefaultTimeout(30_000);

/**
 * The state of one scenario: a fresh target, the names it uses for leases and keys, and the
 * last answers, which Then steps inspect. Every call goes through the target's public surface.
 */
export class LimiterWorld extends World<FeatureParameters> {
  readonly targetName: TargetName;
  private built: Target | undefined;
  private building: Promise<Target> | undefined;
  private jitterSeed = DEFAULT_JITTER_SEED;
  private leaseNames: LeaseNames | undefined;
  readonly keys: KeyNames;

  lastReserve: ReserveResponse | undefined;
  lastComplete: CompleteResponse | undefined;
  lastAdmin: AdminAnswer | undefined;
  lastReserveBatch: ReserveResponse[] | undefined;
  lastCompleteBatch: CompleteResponse[] | undefined;
  /** Wall-clock duration of the last call to the target, in milliseconds. */
  lastCallMs = Number.NaN;
  /** Every answer each lease got to a reserve, in order. */
  readonly reserveAnswers = new Map<string, ReserveResponse[]>();
  /** The lease of the last single reserve. */
  lastLease: string | undefined;
  /** The last accepted definition of each key, by the scenario's name for it. */
  readonly definitions = new Map<string, Record<string, unknown>>();
  /** When the scenario's target was built: "the start" in the feature files. */
  startMs = START_MS;

  constructor(options: IWorldOptions<FeatureParameters>) {
    super(options);
    const target = options.parameters.target;
    if (!isTargetName(target)) throw new Error(`world parameter target: unknown "${target}"`);
    this.targetName = target;
    this.keys = new KeyNames(target === 'tigerbeetle-real' ? uniquePrefix() : '');
  }

  /** Sets the retry-jitter seed; only before the scenario's first call builds the target. */
  seedJitter(seed: number): void {
    if (this.building !== undefined) {
      throw new Error('the jitter seed must be set before any call');
    }
    this.jitterSeed = seed;
  }

  /** The scenario's target, built on first use (once, even when asked for concurrently). */
  target(): Promise<Target> {
    this.building ??= this.build();
    return this.building;
  }

  private async build(): Promise<Target> {
    const target = await createTarget(this.targetName, {
      jitterSeed: this.jitterSeed,
      startMs: START_MS,
    });
    this.built = target;
    this.startMs = target.clock.now();
    this.leaseNames = new LeaseNames(target.clock, new SeededRandom(LEASE_ID_SEED));
    return target;
  }

  async elapsedMs(): Promise<number> {
    return (await this.target()).clock.now() - this.startMs;
  }

  async leaseId(alias: string): Promise<string> {
    await this.target();
    return this.leaseNames!.id(alias);
  }

  async fillLeases(text: string): Promise<string> {
    await this.target();
    return this.leaseNames!.fill(text);
  }

  async putLimit(definition: Record<string, unknown>): Promise<AdminAnswer> {
    const target = await this.target();
    const wired = { ...definition, key: this.keys.wire(String(definition.key)) };
    const answer = await this.timed(() => target.putLimit(wired));
    if (answer.ok) this.definitions.set(String(definition.key), definition);
    this.lastAdmin = readAdmin(answer, this.keys);
    return this.lastAdmin;
  }

  async putRawLimit(body: unknown): Promise<AdminAnswer> {
    const target = await this.target();
    const answer = await this.timed(() => target.putLimit(this.keys.wireBody(body)));
    this.lastAdmin = readAdmin(answer, this.keys);
    return this.lastAdmin;
  }

  async getLimit(alias: string): Promise<LimitView | undefined> {
    const target = await this.target();
    return this.timed(() => target.getLimit(this.keys.wire(alias)));
  }

  async reserve(lease: string, requirements: KeyAmount[]): Promise<ReserveResponse> {
    const request = await this.reserveRequest(lease, requirements);
    const target = await this.target();
    const answer = this.readReserve(await this.timed(() => target.limiter.reserve(request)));
    this.remember(lease, answer);
    this.lastReserve = answer;
    this.lastLease = lease;
    return answer;
  }

  /** Sends a body as written (after placeholders), for requests a program should not make. */
  async reserveRaw(body: unknown): Promise<ReserveResponse> {
    const target = await this.target();
    const request = this.keys.wireBody(body) as ReserveRequest;
    this.lastReserve = this.readReserve(await this.timed(() => target.limiter.reserve(request)));
    return this.lastReserve;
  }

  async complete(lease: string, actuals: KeyAmount[]): Promise<CompleteResponse> {
    const request = await this.completeRequest(lease, actuals);
    const target = await this.target();
    this.lastComplete = await this.timed(() => target.limiter.complete(request));
    return this.lastComplete;
  }

  async completeRaw(body: unknown): Promise<CompleteResponse> {
    const target = await this.target();
    const request = this.keys.wireBody(body) as CompleteRequest;
    this.lastComplete = await this.timed(() => target.limiter.complete(request));
    return this.lastComplete;
  }

  async reserveBatch(items: Array<{ lease: string; requirements: KeyAmount[] }>): Promise<void> {
    const requests = await Promise.all(
      items.map((item) => this.reserveRequest(item.lease, item.requirements)),
    );
    await this.reserveRawBatch(requests);
    items.forEach((item, i) => this.remember(item.lease, this.lastReserveBatch![i]!));
  }

  async reserveRawBatch(requests: unknown[]): Promise<void> {
    const target = await this.target();
    const wired = requests.map((r) => this.keys.wireBody(r) as ReserveRequest);
    const answers = await this.timed(() => target.limiter.reserveBatch(wired));
    this.lastReserveBatch = answers.map((answer) => this.readReserve(answer));
  }

  async completeBatch(items: Array<{ lease: string; actuals: KeyAmount[] }>): Promise<void> {
    const requests = await Promise.all(
      items.map((item) => this.completeRequest(item.lease, item.actuals)),
    );
    const target = await this.target();
    this.lastCompleteBatch = await this.timed(() => target.limiter.completeBatch(requests));
  }

  async advance(ms: number): Promise<void> {
    const target = await this.target();
    await target.advance(ms);
  }

  /** The answers lease `alias` got so far, oldest first. */
  answersOf(alias: string): ReserveResponse[] {
    return this.reserveAnswers.get(alias) ?? [];
  }

  async close(): Promise<void> {
    await this.built?.close();
  }

  private async reserveRequest(lease: string, requirements: KeyAmount[]): Promise<ReserveRequest> {
    return {
      lease_id: await this.leaseId(lease),
      requirements: requirements.map((r) => ({ key: this.keys.wire(r.key), amount: r.amount })),
    };
  }

  private async completeRequest(lease: string, actuals: KeyAmount[]): Promise<CompleteRequest> {
    return {
      lease_id: await this.leaseId(lease),
      actuals: actuals.map((a) => ({ key: this.keys.wire(a.key), actual_amount: a.amount })),
    };
  }

  private readReserve(answer: ReserveResponse): ReserveResponse {
    return { ...answer, error: this.keys.read(answer.error) };
  }

  private remember(lease: string, answer: ReserveResponse): void {
    const answers = this.reserveAnswers.get(lease) ?? [];
    answers.push(answer);
    this.reserveAnswers.set(lease, answers);
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.lastCallMs = performance.now() - started;
    }
  }
}

function readAdmin(answer: AdminAnswer, keys: KeyNames): AdminAnswer {
  return answer.ok ? answer : { ...answer, error: keys.read(answer.error) };
}

let scenarioCount = 0;

/** A key prefix no other scenario of any run on the same ledger uses. */
function uniquePrefix(): string {
  scenarioCount += 1;
  return `f${process.pid}-${performance.timeOrigin.toFixed(0)}-${scenarioCount}:`;
}

setWorldConstructor(LimiterWorld);
