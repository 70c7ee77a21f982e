import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { assert } from '../../src/domain/assert.ts';
import type { LedgerClient } from '../../src/backends/tigerbeetle/ledger-client.ts';
import type { Logger } from '../../src/observability/logger.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import type { Clock, TimerHandle } from '../../src/time/clock.ts';
import { SimulatedLedgerClient } from './client.ts';
import { ClusterCounters } from './counters.ts';
import type { ClusterCountersSnapshot, ClusterOperation } from './counters.ts';
import { executeCreate } from './execute-create.ts';
import type { CreateResult } from './execute-create.ts';
import { expireDue } from './expire.ts';
import { LedgerState } from './ledger-state.ts';
import type { PendingState } from './ledger-state.ts';
import { createAccountsOperation, createTransfersOperation } from './operations.ts';

export interface SimulatedClusterOptions {
  logger?: Logger;
}

/** A request on its way through the cluster; settled exactly once. */
export interface ClusterRequest {
  readonly operation: ClusterOperation;
  readonly events: readonly unknown[];
  resolve(results: unknown[]): void;
}

export interface TransferInspection {
  transfer: Transfer;
  pendingState: PendingState;
}

/**
 * A single-replica TigerBeetle cluster simulated in memory on an injected clock (the 0.17 line's
 * state machine: statuses and their precedence, linked chains, two-phase transfers, expiry,
 * burned ids). Hand `cluster.client()` to the TigerBeetle backend as its LedgerClient.
 *
 * Time: each request is applied at one instant, `max(every instant seen so far, clock.now())`, so
 * a clock stepped back makes time stand still. Pending transfers due by then expire first.
 * Without faults a request is applied during the call itself and the returned promise is already
 * settled, so batching never moves time.
 *
 * Faults, for the simulator: latency (a request reaches the cluster later and is applied when it
 * arrives), unavailability (requests wait, never fail, and are applied in arrival order the instant
 * the cluster is back), and restart (state is durable; see `restart`).
 */
export class SimulatedCluster {
  /** The durable state, open for inspection by tests and invariant checks; never mutate it. */
  readonly state = new LedgerState();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly tally = new ClusterCounters();

  private lastNowMs = 0;
  private latencyMs = 0;
  /** false: up; true: down until told otherwise; a number: down until that instant. */
  private unavailable: boolean | number = false;
  private availableTimer: TimerHandle | null = null;
  /** Requests that arrived while the cluster was down, in arrival order. */
  private readonly waiting: ClusterRequest[] = [];
  private inTransit = 0;

  constructor(deps: { clock: Clock }, options: SimulatedClusterOptions = {}) {
    this.clock = deps.clock;
    this.logger = options.logger ?? silentLogger;
    this.lastNowMs = this.clock.now();
  }

  /** A new client with its own one-request-in-flight rule. */
  client(): LedgerClient {
    return new SimulatedLedgerClient(this, this.tally);
  }

  // Faults.

  /** Requests from now on reach the cluster, and are applied and answered, `ms` later. */
  setLatency(ms: number): void {
    assert(Number.isSafeInteger(ms) && ms >= 0, `setLatency: bad ms ${ms}`);
    this.latencyMs = ms;
  }

  /**
   * `true`: down until `setUnavailable(false)`. A number: down until that clock instant (ms).
   * `false`: up again now. Requests that arrive while down wait and are applied, in arrival order,
   * at the instant the cluster is back; they never fail on their own (the backend bounds its wait).
   */
  setUnavailable(until: number | boolean): void {
    this.availableTimer?.cancel();
    this.availableTimer = null;
    this.unavailable = until;
    this.logger.log('info', 'cluster.availability', { unavailable: until });

    if (typeof until === 'number') {
      this.availableTimer = this.clock.schedule(until - this.clock.now(), () => {
        this.availableTimer = null;
        this.drainWaiting();
      });
    }
    this.drainWaiting();
  }

  /**
   * The replica process restarts, down for `downtimeMs`. Accounts, transfers, burned ids and
   * timestamps are durable and survive. A request in flight is not lost: TigerBeetle's client
   * resends it and the cluster's client sessions make sure it is applied exactly once, so it is
   * answered after the restart (applied at the instant the cluster is back, unless it was applied
   * before the crash). No request ever errors because of a restart.
   */
  restart(options: { downtimeMs?: number } = {}): void {
    const downtimeMs = options.downtimeMs ?? 0;
    assert(Number.isSafeInteger(downtimeMs) && downtimeMs >= 0, `restart: bad ${downtimeMs}`);
    this.tally.restarts++;
    this.logger.log('info', 'cluster.restart', { downtime_ms: downtimeMs });
    if (downtimeMs > 0) this.setUnavailable(this.clock.now() + downtimeMs);
  }

  /** Whether a request arriving now would be applied now. */
  isAvailable(): boolean {
    if (typeof this.unavailable === 'number') return this.clock.now() >= this.unavailable;
    return !this.unavailable;
  }

  /** Requests submitted but not yet applied (travelling or waiting for the cluster). */
  requestsInFlight(): number {
    return this.inTransit + this.waiting.length;
  }

  counters(): ClusterCountersSnapshot {
    return this.tally.snapshot();
  }

  // Inspection for tests and the simulator (applies due expiries first, like a lookup).

  inspectAccount(id: bigint): Account | undefined {
    this.expireNow();
    const account = this.state.accounts.get(id);
    return account === undefined ? undefined : { ...account };
  }

  inspectTransfer(id: bigint): TransferInspection | undefined {
    this.expireNow();
    const record = this.state.transfers.get(id);
    if (record === undefined) return undefined;
    return { transfer: { ...record.transfer }, pendingState: record.pendingState };
  }

  isIdFailed(id: bigint): boolean {
    return this.state.failedTransferIds.has(id);
  }

  // The request path, used by SimulatedLedgerClient.

  /** @internal Takes a validated request; applies it now, later, or when the cluster is back. */
  submit(request: ClusterRequest): void {
    if (this.latencyMs === 0) {
      this.arrive(request);
      return;
    }

    this.inTransit++;
    this.clock.schedule(this.latencyMs, () => {
      this.inTransit--;
      this.arrive(request);
    });
  }

  private arrive(request: ClusterRequest): void {
    if (!this.isAvailable()) {
      this.tally.delayedByUnavailability++;
      this.waiting.push(request);
      return;
    }

    // Requests that arrived earlier go first, even if their wake-up has not fired yet.
    this.drainWaiting();
    this.applyAndAnswer(request);
  }

  private drainWaiting(): void {
    while (this.waiting.length > 0 && this.isAvailable()) {
      this.applyAndAnswer(this.waiting.shift()!);
    }
  }

  private applyAndAnswer(request: ClusterRequest): void {
    const nowMs = this.expireNow();
    const events = request.events;
    this.tally.countRequest(request.operation, events.length);

    switch (request.operation) {
      case 'create_accounts':
        return request.resolve(
          this.counted(
            request.operation,
            executeCreate(this.state, nowMs, events as Account[], createAccountsOperation),
          ),
        );
      case 'create_transfers':
        return request.resolve(
          this.counted(
            request.operation,
            executeCreate(this.state, nowMs, events as Transfer[], createTransfersOperation),
          ),
        );
      case 'lookup_accounts':
        return request.resolve(this.lookupAccounts(events as bigint[]));
      case 'lookup_transfers':
        return request.resolve(this.lookupTransfers(events as bigint[]));
    }
  }

  private counted(operation: ClusterOperation, results: CreateResult[]): CreateResult[] {
    for (const result of results) this.tally.countStatus(operation, result.status);
    return results;
  }

  private lookupAccounts(ids: readonly bigint[]): Account[] {
    const found: Account[] = [];
    for (const id of ids) {
      const account = this.state.accounts.get(id);
      if (account !== undefined) found.push({ ...account });
    }
    return found;
  }

  private lookupTransfers(ids: readonly bigint[]): Transfer[] {
    const found: Transfer[] = [];
    for (const id of ids) {
      const record = this.state.transfers.get(id);
      if (record !== undefined) found.push({ ...record.transfer });
    }
    return found;
  }

  /** Moves the cluster's time to now (never back) and expires what is due; returns now. */
  private expireNow(): number {
    this.lastNowMs = Math.max(this.lastNowMs, this.clock.now());
    this.tally.expired += expireDue(this.state, this.lastNowMs);
    return this.lastNowMs;
  }
}
