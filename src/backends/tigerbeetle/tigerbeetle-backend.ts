import type { Account } from 'tigerbeetle-node';

import { assert } from '../../domain/assert.ts';
import { BACKEND_ERROR, KIND_IMMUTABLE } from '../../domain/errors.ts';
import type { LimitDefinition, LimitState, LimitView } from '../../domain/limits.ts';
import { MAX_REQUIREMENTS } from '../../domain/numbers.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  PutLimitResponse,
  ReserveRequest,
  ReserveResponse,
} from '../../domain/requests.ts';
import { RetryAdvisor } from '../../domain/retry-advisor.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../domain/retry-policy.ts';
import type { LedgerMetrics } from '../../observability/ledger-metrics.ts';
import { silentLogger, type Logger } from '../../observability/logger.ts';
import type { LimitRegistry } from '../../registry/registry.ts';
import type { Clock } from '../../time/clock.ts';
import type { Backend } from '../backend.ts';
import { LeaseBook } from '../common/lease-book.ts';
import type { BackendOptions } from '../options.ts';
import {
  AccountIds,
  debtAccount,
  OPERATOR_ID,
  operatorAccount,
  resourceAccount,
  usageFromAccounts,
} from './accounts.ts';
import { CapacityKeeper, reconcileCapacities } from './capacity.ts';
import { CompletePath } from './complete-path.ts';
import type { LedgerClient } from './ledger-client.ts';
import type { LedgerContext } from './ledger-context.ts';
import { LedgerOps, LedgerStatusError, LedgerUnavailableError } from './ledger-ops.ts';
import { measuredLedger } from './measured-ledger.ts';
import type { LedgerHold } from './reservation.ts';
import { ReservePath } from './reserve-path.ts';
import { Sequencer } from './sequencer.ts';
import { LedgerTimeoutError, Submitter, type SubmitterSettings } from './submitter.ts';
import { UnsureLeases } from './unsure-leases.ts';
import { LedgerLeases } from './ledger-leases.ts';

export interface TigerBeetleBackendOptions extends BackendOptions, SubmitterSettings {
  /**
   * A pool of clients of one cluster (at least one); each carries one request at a time. The
   * backend owns them from now on and destroys them on close.
   */
  ledgers: LedgerClient[];
  /** Where to report ledger requests and their statuses (the server's /metrics). */
  metrics?: LedgerMetrics;
}

export interface TigerBeetleBackend extends Backend {
  readonly name: 'tigerbeetle';
  /** Operations started or waiting, for tests and drains. */
  readonly pendingOperations: number;
  /**
   * Read-outs of several keys at one instant, each as `getLimit` gives it, from one
   * `lookup_accounts` (the simulator reads every key an operation touched).
   */
  getLimits(keys: readonly string[]): Promise<Array<LimitView | undefined>>;
}

/**
 * Builds the backend and prepares the ledger: the operator account, the accounts of every limit
 * already in the registry (the restart path: `exists` is fine), and capacities brought in line
 * with the registry.
 */
export async function createTigerBeetleBackend(
  options: TigerBeetleBackendOptions,
): Promise<TigerBeetleBackend> {
  const backend = new LedgerBackend(options);
  try {
    await backend.start();
  } catch (error) {
    await backend.close();
    throw error;
  }
  return backend;
}

/**
 * The contract of SEMANTICS.md on a TigerBeetle ledger (see spec/tigerbeetle.md for the model).
 *
 * Hot path: a reserve is one linked chain of pending transfers and a complete a few voids, new
 * pending transfers and debt postings; neither reads the ledger. Operations start in call order
 * (Sequencer) and their transfers share requests (Submitter); each operation applies its
 * statuses to the lease book and the retry advisor synchronously, in the order the ledger
 * applied them, which is the order the memory backend would have run them.
 *
 * Admin work (limits, ticks, read-outs) runs alone, between the operations before and after it.
 */
class LedgerBackend implements TigerBeetleBackend {
  readonly name = 'tigerbeetle' as const;

  private readonly clock: Clock;
  private readonly registry: LimitRegistry;
  private readonly policy: RetryPolicy;
  private readonly advisor: RetryAdvisor;
  private readonly leases: LeaseBook<LedgerHold[]>;
  private readonly logger: Logger;
  private readonly ledgers: LedgerClient[];
  private readonly submitter: Submitter;
  private readonly sequencer = new Sequencer();
  private readonly ops: LedgerOps;
  private readonly ids = new AccountIds();
  private readonly capacities: CapacityKeeper;
  private readonly unsure = new UnsureLeases();
  private readonly ledgerLeases = new LedgerLeases();
  private readonly reservePath: ReservePath;
  private readonly completePath: CompletePath;

  /** Time as this backend sees it: never decreases, even if the clock steps back. */
  private lastNowMs = 0;
  private closed = false;

  constructor(options: TigerBeetleBackendOptions) {
    assert(options.ledgers.length > 0, 'createTigerBeetleBackend: ledgers must not be empty');
    this.clock = options.clock;
    this.registry = options.registry;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.advisor = new RetryAdvisor(this.policy, options.random);
    this.leases = new LeaseBook(options.leaseRetentionMs);
    this.logger = options.logger ?? silentLogger;
    const metrics = options.metrics;
    this.ledgers = options.ledgers.map((ledger) =>
      metrics === undefined ? ledger : measuredLedger(ledger, metrics, options.clock),
    );
    this.submitter = new Submitter({
      clock: options.clock,
      ledgers: this.ledgers,
      logger: this.logger,
      lingerMs: options.lingerMs,
      maxEventsPerRequest: options.maxEventsPerRequest,
      requestTimeoutMs: options.requestTimeoutMs,
      touch: (ledger) => ledger.lookupAccounts([OPERATOR_ID]),
    });
    this.ops = new LedgerOps(this.submitter);
    this.capacities = new CapacityKeeper(this.registry, this.ops, this.ids, this.logger);
    const context: LedgerContext = {
      registry: this.registry,
      policy: this.policy,
      advisor: this.advisor,
      leases: this.leases,
      unsure: this.unsure,
      ledgerLeases: this.ledgerLeases,
      submitter: this.submitter,
      ops: this.ops,
      ids: this.ids,
      logger: this.logger,
    };
    this.reservePath = new ReservePath(context);
    this.completePath = new CompletePath(context);
    // The largest work item: a complete of 32 keys, each a void linked to a new hold.
    assert(
      this.submitter.maxEventsPerRequest >= 2 * MAX_REQUIREMENTS,
      `maxEventsPerRequest: must be at least ${2 * MAX_REQUIREMENTS}`,
    );
  }

  get pendingOperations(): number {
    return this.sequencer.size;
  }

  async start(): Promise<void> {
    const states = this.registry.list();
    const accounts = [operatorAccount(), ...states.flatMap((s) => this.accountsOf(s.definition))];
    await this.ops.ensureAccounts(accounts);
    await reconcileCapacities(this.registry, this.ops, this.ids, this.logger, this.now());
  }

  // The Backend interface: every operation goes through the sequencer.

  putLimit(definition: LimitDefinition): Promise<PutLimitResponse> {
    return this.sequencer.run({ exclusive: true }, () => this.putLimitNow(definition));
  }

  getLimit(key: string): Promise<LimitView | undefined> {
    return this.sequencer.run({ exclusive: true }, () => this.getLimitNow(key));
  }

  getLimits(keys: readonly string[]): Promise<Array<LimitView | undefined>> {
    return this.sequencer.run({ exclusive: true }, () => this.getLimitsNow(keys));
  }

  listLimits(): Promise<LimitState[]> {
    return this.sequencer.run({ exclusive: true }, async () => this.registry.list());
  }

  reserve(request: ReserveRequest): Promise<ReserveResponse> {
    const work = (): Promise<ReserveResponse> => this.reservePath.run(request, this.now());
    return this.sequencer.run({ leaseId: request.lease_id }, work);
  }

  complete(request: CompleteRequest): Promise<CompleteResponse> {
    const work = (): Promise<CompleteResponse> => this.completePath.run(request, this.now());
    return this.sequencer.run({ leaseId: request.lease_id }, work);
  }

  /**
   * Items are queued in order, so they run exactly as one after another would: items of
   * different leases share requests, an item waits for an earlier item of its own lease.
   */
  reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]> {
    return Promise.all(requests.map((request) => this.reserve(request)));
  }

  completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]> {
    return Promise.all(requests.map((request) => this.complete(request)));
  }

  tick(): Promise<void> {
    return this.sequencer.run({ exclusive: true }, () => this.tickNow());
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.sequencer.run({ exclusive: true }, async () => {
      if (this.closed) return;
      this.closed = true;
      this.submitter.close();
      for (const ledger of this.ledgers) ledger.destroy();
    });
  }

  // Limits.

  private async putLimitNow(definition: LimitDefinition): Promise<PutLimitResponse> {
    // The ledger sees this instant (account creation, capacity posting): so does the backend.
    const nowMs = this.now();
    // A copy: the registry keeps what it is given, and the caller may reuse its object.
    const plan = this.registry.plan({ ...definition });
    if (plan.outcome === 'kind_immutable') return { ok: false, error: KIND_IMMUTABLE };

    // The accounts exist before any reserve can name them.
    try {
      await this.ops.ensureAccounts(this.accountsOf(plan.next.definition));
    } catch (error) {
      this.logLedgerFailure('put_limit', error);
      return { ok: false, error: BACKEND_ERROR };
    }

    // An increase is committed first and raised on the ledger after, so that the ledger never
    // holds more capacity than the registry, even if the raise is applied late. While decreasing,
    // `next` keeps the capacity in force: nothing moves until a tick.
    const key = definition.key;
    const before = plan.outcome === 'created' ? 0 : plan.previous.definition.capacity;
    const after = plan.next.definition.capacity;
    this.registry.commit(plan);
    if (after > before) {
      await this.capacities.raise(key, this.registry.entry(key)!.revision, after - before, nowMs);
    }
    return { ok: true, status: plan.next.status };
  }

  private async getLimitNow(key: string): Promise<LimitView | undefined> {
    const [view] = await this.getLimitsNow([key]);
    return view;
  }

  private async getLimitsNow(keys: readonly string[]): Promise<Array<LimitView | undefined>> {
    const known = keys.filter((key) => this.registry.get(key) !== undefined);
    if (known.length === 0) return keys.map(() => undefined);
    // Observed like every other operation that reads at an instant (see Submitter.observe).
    const nowMs = this.now();
    // A capacity change in doubt is settled first, so that the read-out and the registry agree
    // (a decrease found applied is committed now). Settling one key touches only its accounts.
    for (const key of known) await this.capacities.settle(nowMs, key);

    // A key whose overage went from debt to deny keeps its debt account, so always look.
    const ids: bigint[] = [];
    for (const key of known) ids.push(this.ids.resource(key), this.ids.debt(key));
    const found = await this.ops.lookupAccounts(ids);
    return keys.map((key) => {
      const state = this.registry.get(key);
      if (state === undefined) return undefined;
      const resource = found.get(this.ids.resource(key));
      if (resource === undefined) {
        throw new LedgerStatusError(`account of ${key}`, 'not found by lookup_accounts');
      }
      return {
        definition: { ...state.definition },
        status: state.status,
        pending_decrease_to: state.pending_decrease_to,
        usage: usageFromAccounts(resource, found.get(this.ids.debt(key))),
      };
    });
  }

  private async tickNow(): Promise<void> {
    const nowMs = this.now();
    try {
      await this.capacities.tick(nowMs);
    } catch (error) {
      // Not applied now; the next tick tries again. A registry that cannot persist throws.
      if (!isLedgerFailure(error)) throw error;
      this.logLedgerFailure('tick', error);
    }
    this.leases.purge(nowMs);
    this.unsure.purge(nowMs);
    this.ledgerLeases.purge(nowMs);
  }

  // Helpers.

  private now(): number {
    const clockMs = this.clock.now();
    if (clockMs > this.lastNowMs) {
      this.lastNowMs = clockMs;
      this.submitter.observe(clockMs);
    }
    return this.lastNowMs;
  }

  private accountsOf(definition: LimitDefinition): Account[] {
    const accounts = [resourceAccount(this.ids, definition.key)];
    if (definition.overage === 'debt') accounts.push(debtAccount(this.ids, definition.key));
    return accounts;
  }

  private logLedgerFailure(operation: string, error: unknown): void {
    if (error instanceof LedgerStatusError) {
      this.logger.log('error', 'tigerbeetle_unexpected_status', {
        operation,
        label: error.label,
        status: error.status,
      });
    } else {
      this.logger.log('warn', 'tigerbeetle_unavailable', { operation, error: String(error) });
    }
  }
}

function isLedgerFailure(error: unknown): boolean {
  return (
    error instanceof LedgerStatusError ||
    error instanceof LedgerUnavailableError ||
    error instanceof LedgerTimeoutError
  );
}
