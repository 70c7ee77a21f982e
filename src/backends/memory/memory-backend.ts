import { assert, AssertionError } from '../../domain/assert.ts';
import { KIND_IMMUTABLE } from '../../domain/errors.ts';
import { holdDurationMs } from '../../domain/limits.ts';
import type { LimitDefinition, LimitState, LimitView } from '../../domain/limits.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  PutLimitResponse,
  Requirement,
  ReserveRequest,
  ReserveResponse,
} from '../../domain/requests.ts';
import { allowed, completed, denied } from '../../domain/responses.ts';
import { RetryAdvisor } from '../../domain/retry-advisor.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../domain/retry-policy.ts';
import { silentLogger, type Logger } from '../../observability/logger.ts';
import type { LimitRegistry } from '../../registry/registry.ts';
import type { Clock } from '../../time/clock.ts';
import type { Backend } from '../backend.ts';
import { LeaseBook, NO_LEASE } from '../common/lease-book.ts';
import { precheckReserve } from '../common/prechecks.ts';
import type { BackendOptions } from '../options.ts';
import { settleLease } from './complete.ts';
import { applyFittingDecreases } from './decreases.ts';
import { DurationLists, type HoldDurations } from './hold-durations.ts';
import type { KeyLedger } from './key-ledger.ts';
import { Ledgers } from './ledgers.ts';

/** What the memory backend keeps, for tests that check memory stays bounded. */
export interface MemoryStats {
  /** Lease records still remembered (allowed, completed or denied). */
  leases: number;
  /**
   * Entries in every key's expiry queues: holds of one key expiring at the same instant share
   * one entry; entries emptied by early releases and not yet dropped are included.
   */
  holds: number;
}

/**
 * The contract of SEMANTICS.md in process memory. The work is synchronous (`reserveNow`,
 * `completeNow`, `tickNow`); the async Backend methods are thin wrappers over it.
 *
 * Retention: a lease is remembered for `leaseRetentionMs` (default 1 h) after it can no longer
 * hold anything (after its last hold's expiry, after its completion if later, or after its
 * denial), so that a late duplicate is answered by the replay rules. Records are purged on every
 * tick and, cheaply, on every new reserve. A hold lives in its key's expiry queue until it expires
 * (see KeyLedger for holds released early). Nothing else grows with traffic.
 *
 * Performance: a reserve keeps no object alive beyond the caller's lease id (and, for a lease
 * of several requirements, the book's copy of them). Lease records live in the book's typed
 * arrays (LeaseTable), found through its own hash index (LeaseIndex); holds are sums per expiry
 * instant in their keys' queues (KeyLedger); durations that differ within a lease are a shared
 * list (DurationLists). Nothing per lease is boxed, so the garbage collector has little to do.
 */
export class MemoryBackend implements Backend {
  readonly name = 'memory';

  private readonly clock: Clock;
  private readonly registry: LimitRegistry;
  private readonly policy: RetryPolicy;
  private readonly advisor: RetryAdvisor;
  private readonly leases: LeaseBook<HoldDurations>;
  private readonly ledgers = new Ledgers();
  private readonly logger: Logger;
  private readonly lookup: (key: string) => LimitState | undefined;
  private readonly definitionOf: (key: string) => LimitDefinition;

  /** Time as this backend sees it: never decreases, even if the clock steps back. */
  private lastNowMs = 0;

  /**
   * Scratch space reused by every reserve, to spare allocations on the hot path: each
   * requirement's definition and ledger as the checks found them (the holds are made from the
   * same ones), and the durations of the holds made.
   */
  private readonly checkedDefinitions: LimitDefinition[] = [];
  private readonly checkedLedgers: KeyLedger[] = [];
  private readonly durationsMs: number[] = [];
  /** Scratch by request length, so that none is ever resized (a runtime call). */
  private readonly allowedByLength: AllowedScratch[] = [];
  private readonly durationLists = new DurationLists();

  constructor(options: BackendOptions) {
    this.clock = options.clock;
    this.registry = options.registry;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.advisor = new RetryAdvisor(this.policy, options.random);
    this.leases = new LeaseBook(options.leaseRetentionMs);
    this.logger = options.logger ?? silentLogger;
    this.lookup = (key) => this.registry.get(key);
    this.definitionOf = (key) => this.state(key).definition;
  }

  /** The backend's current instant: the clock, held still while the clock is behind. */
  now(): number {
    const clockMs = this.clock.now();
    if (clockMs > this.lastNowMs) this.lastNowMs = clockMs;
    return this.lastNowMs;
  }

  reserveNow(request: ReserveRequest): ReserveResponse {
    const nowMs = this.now();
    const leaseId = request.lease_id;
    const requirements = request.requirements;

    // Step 1: a known lease is answered from its record.
    const replayed = this.leases.replay(leaseId, requirements, nowMs);
    if (replayed !== undefined) return replayed;
    this.leases.purge(nowMs);

    // Steps 2 to 4 need only the limit states and never burn the lease. One look at each state
    // tells whether any of them refuses; precheckReserve then gives the exact answer.
    if (!this.checkStates(requirements)) {
      const refused = precheckReserve(this.lookup, requirements, this.policy);
      assert(refused !== undefined, 'prechecks: a refused reserve got no answer');
      return refused;
    }

    // Step 5: the first requirement without room denies the whole request and burns the lease.
    for (let i = 0; i < requirements.length; i++) {
      const requirement = requirements[i]!;
      const definition = this.checkedDefinitions[i]!;
      const ledger = this.ledgers.at(requirement.key, nowMs);
      if (definition.capacity - ledger.held < requirement.amount) {
        const response = denied('', this.advisor.denied(definition));
        this.leases.recordDenied(leaseId, response, nowMs);
        return response;
      }
      this.checkedLedgers[i] = ledger;
    }

    // Step 6: every requirement becomes a hold.
    this.hold(leaseId, requirements, nowMs);
    return allowed(nowMs);
  }

  completeNow(request: CompleteRequest): CompleteResponse {
    const nowMs = this.now();
    const slot = this.leases.allowedSlot(request.lease_id);

    // Unknown, denied and completed leases: complete is idempotent and changes nothing.
    if (slot === NO_LEASE) return completed();

    settleLease(this.leases, slot, request.actuals, nowMs, this.ledgers, this.definitionOf);
    this.leases.completeSlot(slot, nowMs);
    return completed();
  }

  putLimitNow(definition: LimitDefinition): PutLimitResponse {
    // A copy: the registry keeps what it is given, and the caller may reuse its object.
    const plan = this.registry.plan({ ...definition });
    if (plan.outcome === 'kind_immutable') return { ok: false, error: KIND_IMMUTABLE };

    // A put is an instant this backend has seen, as it is for the ledger a TigerBeetle put
    // reaches: a clock stepped back after it must not move time backwards past it.
    this.now();

    // The memory backend reads capacity from the registry, so committing is the whole change.
    this.registry.commit(plan);
    return { ok: true, status: plan.next.status };
  }

  getLimitNow(key: string): LimitView | undefined {
    const state = this.registry.get(key);
    if (state === undefined) return undefined;

    const ledger = this.ledgers.at(key, this.now());
    const capacity = state.definition.capacity;
    const available = capacity - ledger.held;
    assert(available >= 0, `${key}: held ${ledger.held} over capacity ${capacity}`);
    return {
      definition: { ...state.definition },
      status: state.status,
      pending_decrease_to: state.pending_decrease_to,
      usage: { held: ledger.held, available, debt: ledger.debt },
    };
  }

  tickNow(): void {
    const nowMs = this.now();
    applyFittingDecreases(this.registry, this.ledgers, nowMs, this.logger);
    this.ledgers.purgeAll(nowMs);
    this.leases.purge(nowMs);
  }

  stats(): MemoryStats {
    return { leases: this.leases.size, holds: this.ledgers.queuedHolds() };
  }

  async putLimit(definition: LimitDefinition): Promise<PutLimitResponse> {
    return this.putLimitNow(definition);
  }

  async getLimit(key: string): Promise<LimitView | undefined> {
    return this.getLimitNow(key);
  }

  async listLimits(): Promise<LimitState[]> {
    return this.registry.list().map((state) => ({ ...state, definition: { ...state.definition } }));
  }

  async reserve(request: ReserveRequest): Promise<ReserveResponse> {
    return this.reserveNow(request);
  }

  async complete(request: CompleteRequest): Promise<CompleteResponse> {
    return this.completeNow(request);
  }

  async reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]> {
    return requests.map((request) => this.reserveNow(request));
  }

  async completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]> {
    return requests.map((request) => this.completeNow(request));
  }

  async tick(): Promise<void> {
    this.tickNow();
  }

  async close(): Promise<void> {
    // Nothing to release: the backend owns no timers, files or sockets.
  }

  /**
   * True when no requirement would be refused by steps 2 to 4 (unknown key, decreasing key,
   * amount over capacity); each requirement's definition is then in `checkedDefinitions`.
   */
  private checkStates(requirements: readonly Requirement[]): boolean {
    for (let i = 0; i < requirements.length; i++) {
      const requirement = requirements[i]!;
      const state = this.registry.get(requirement.key);
      if (state === undefined || state.status === 'decreasing') return false;
      if (requirement.amount > state.definition.capacity) return false;
      this.checkedDefinitions[i] = state.definition;
    }
    return true;
  }

  /** Step 6, right after step 5 checked every requirement (see the scratch arrays). */
  private hold(leaseId: string, requirements: readonly Requirement[], nowMs: number): void {
    const count = requirements.length;
    const scratch = (this.allowedByLength[count] ??= allowedScratch(count));
    const durationsMs = this.durationsMs;
    let firstExpiryMs = Infinity;
    let lastExpiryMs = -Infinity;

    for (let i = 0; i < count; i++) {
      const ledger = this.checkedLedgers[i]!;
      const amount = requirements[i]!.amount;
      const durationMs = holdDurationMs(this.checkedDefinitions[i]!);
      const expiresAtMs = ledger.hold(amount, durationMs, nowMs);
      if (expiresAtMs < firstExpiryMs) firstExpiryMs = expiresAtMs;
      if (expiresAtMs > lastExpiryMs) lastExpiryMs = expiresAtMs;
      durationsMs[i] = durationMs;

      // The ledger's own key string: the lease must not keep the request's strings alive.
      const recorded = scratch.requirements[i]!;
      recorded.key = ledger.key;
      recorded.amount = amount;
      scratch.keys[i] = ledger.key;
    }
    this.advisor.allowed(scratch.keys);

    // The book copies the requirements; durations are kept only when they differ.
    const durations =
      firstExpiryMs === lastExpiryMs ? undefined : this.durationLists.share(durationsMs, count);
    this.leases.recordAllowed(leaseId, {
      requirements: scratch.requirements,
      reservedAtMs: nowMs,
      firstExpiryMs,
      lastExpiryMs,
      holds: durations,
    });
  }

  private state(key: string): LimitState {
    const state = this.registry.get(key);
    // Not assert(): its message would be built on every call of this hot path.
    if (state === undefined) throw new AssertionError(`no limit state for ${key} after prechecks`);
    return state;
  }
}

/** What step 6 hands on for a request of one length: its keys, its requirements. */
interface AllowedScratch {
  keys: string[];
  requirements: Requirement[];
}

function allowedScratch(count: number): AllowedScratch {
  return {
    keys: Array.from({ length: count }, () => ''),
    requirements: Array.from({ length: count }, () => ({ key: '', amount: 0 })),
  };
}

export function createMemoryBackend(options: BackendOptions): MemoryBackend {
  return new MemoryBackend(options);
}
