import type { LimitState } from '../../domain/limits.ts';
import type { Logger } from '../../observability/logger.ts';
import type { LimitRegistry } from '../../registry/registry.ts';
import { type AccountIds, ledgerCapacity, OPERATOR_ID } from './accounts.ts';
import {
  capacityLabel,
  decreaseLabel,
  idFromLabel,
  reconcileLabel,
  rollbackLabel,
} from './ids.ts';
import type { LabelledTransfer, LedgerOps } from './ledger-ops.ts';
import { CreateTransferStatus as S, transferStatusName } from './statuses.ts';
import { postedTransfer } from './transfers.ts';

/**
 * Capacity lives in the resource account's posted balance. The rule that keeps the ledger safe
 * whatever fails: the ledger's capacity is never above the registry's. So an increase is
 * committed to the registry first and raised on the ledger after; a decrease is lowered on the
 * ledger first and committed after.
 *
 * A change whose request went unanswered may still be applied, late. It is kept "in doubt" and
 * sent again, under the same id, before anything else is done with its key: TigerBeetle applies
 * an id at most once, so the resend tells whether it was applied, and never applies it twice.
 */

/** Operator → resource: the capacity grows by `amount`. */
export function raise(
  ids: AccountIds,
  key: string,
  label: string,
  amount: bigint,
): LabelledTransfer {
  const id = idFromLabel(label);
  return { label, transfer: postedTransfer(id, OPERATOR_ID, ids.resource(key), amount) };
}

/** Resource → operator: the capacity shrinks by `amount`; refused while holds are in the way. */
export function lower(
  ids: AccountIds,
  key: string,
  label: string,
  amount: bigint,
): LabelledTransfer {
  const id = idFromLabel(label);
  return { label, transfer: postedTransfer(id, ids.resource(key), OPERATOR_ID, amount) };
}

interface Change {
  kind: 'raise' | 'decrease';
  key: string;
  /** The registry revision the change belongs to. */
  revision: number;
  posting: LabelledTransfer;
}

/** Keeps each key's ledger capacity in line with the registry (see above). */
export class CapacityKeeper {
  private readonly inDoubt = new Map<string, Change>();
  /** Numbers attempts whose ids must differ even at one instant. */
  private attempts = 0;

  constructor(
    private readonly registry: LimitRegistry,
    private readonly ops: LedgerOps,
    private readonly ids: AccountIds,
    private readonly logger: Logger,
  ) {}

  /**
   * The ledger side of an increase the registry has committed as `revision`. Named by the
   * revision: sent twice, applied once.
   */
  async raise(key: string, revision: number, amount: number, nowMs: number): Promise<void> {
    const posting = raise(this.ids, key, capacityLabel(key, revision), BigInt(amount));
    await this.send([{ kind: 'raise', key, revision, posting }], nowMs);
  }

  /** Sends again the changes of `key` (or of every key) whose outcome is unknown. */
  async settle(nowMs: number, key?: string): Promise<void> {
    // The common case, on every read-out: nothing is in doubt, so nothing is sent or awaited.
    if (this.inDoubt.size === 0) return;
    const changes = [...this.inDoubt.values()].filter((c) => key === undefined || c.key === key);
    if (changes.length > 0) await this.send(changes, nowMs);
  }

  /**
   * Applies at `tickMs` every pending decrease that fits: one posting resource → operator per
   * decreasing key, in one request. `exceeds_credits` means it does not fit yet, which is the
   * decrease rule itself (available < capacity − target). A failed attempt burns its id, so
   * each attempt is named by the tick instant and a number; an id burned by an earlier process
   * at this very instant is retried under the next number.
   */
  async tick(tickMs: number): Promise<void> {
    await this.settle(tickMs);

    const doubtful = new Set([...this.inDoubt.values()].map((c) => c.key));
    let candidates = this.registry.decreasing().filter((s) => !doubtful.has(s.definition.key));
    for (let round = 0; round < 3 && candidates.length > 0; round++) {
      const changes = candidates.map((state) => this.decreaseAttempt(state, tickMs));
      const burned = await this.send(changes, tickMs);
      candidates = candidates.filter((s) => burned.has(s.definition.key));
    }
  }

  private decreaseAttempt(state: LimitState, tickMs: number): Change {
    const key = state.definition.key;
    const revision = this.registry.entry(key)!.revision;
    const amount = BigInt(state.definition.capacity - state.pending_decrease_to!);
    const label = decreaseLabel(key, revision, tickMs, this.attempts++);
    return { kind: 'decrease', key, revision, posting: lower(this.ids, key, label, amount) };
  }

  /** Sends changes and acts on what the ledger says; returns the keys whose id was burned. */
  private async send(changes: Change[], nowMs: number): Promise<Set<string>> {
    const statuses = await this.ops.tryPost(changes.map((c) => c.posting));
    const burned = new Set<string>();

    for (let i = 0; i < changes.length; i++) {
      const change = changes[i]!;
      const status = statuses[i];
      const id = change.posting.transfer.id.toString();
      if (status === undefined) {
        if (!this.inDoubt.has(id)) {
          this.logger.log('warn', 'tigerbeetle_capacity_in_doubt', { label: change.posting.label });
        }
        this.inDoubt.set(id, change);
        continue;
      }
      this.inDoubt.delete(id);

      if (status === S.created || status === S.exists) {
        if (change.kind === 'decrease') await this.decreased(change, nowMs);
      } else if (change.kind === 'decrease' && status === S.id_already_failed) {
        burned.add(change.key);
      } else if (change.kind === 'decrease' && status === S.exceeds_credits) {
        // Does not fit yet: the key stays decreasing.
      } else {
        this.logger.log('error', 'tigerbeetle_unexpected_status', {
          operation: change.kind === 'raise' ? 'capacity_increase' : 'decrease',
          label: change.posting.label,
          status: transferStatusName(status),
        });
      }
    }
    return burned;
  }

  /**
   * A decrease is on the ledger: commit it, if the registry still waits for it. If a put has
   * changed the key since (the decrease was in doubt meanwhile), give the capacity back.
   */
  private async decreased(change: Change, nowMs: number): Promise<void> {
    const { key, revision, posting } = change;
    const entry = this.registry.entry(key);
    const undo = raise(
      this.ids,
      key,
      rollbackLabel(key, revision, nowMs, this.attempts++),
      posting.transfer.amount,
    );
    if (entry === undefined || entry.revision !== revision || entry.state.status !== 'decreasing') {
      this.logger.log('warn', 'tigerbeetle_decrease_given_back', { label: posting.label });
      await this.send([{ kind: 'raise', key, revision, posting: undo }], nowMs);
      return;
    }

    try {
      this.registry.commitDecrease(key);
    } catch (error) {
      // Not persisted, so not applied: the ledger goes back to the capacity in force.
      await this.send([{ kind: 'raise', key, revision, posting: undo }], nowMs);
      throw error;
    }
    this.logger.log('info', 'limit_decrease_applied', {
      key,
      capacity: this.registry.get(key)!.definition.capacity,
      at_ms: nowMs,
    });
  }
}

/**
 * Start-up: makes each key's ledger capacity match the registry (they differ over a fresh
 * cluster, or after a crash between the two sides of a change). A decrease on the ledger but not
 * in the registry is committed. A missing increase is raised under the current revision's id
 * first, so that a raise of the previous process still on its way is applied once, not twice.
 * Anything else is corrected under an id named by the instant.
 */
export async function reconcileCapacities(
  registry: LimitRegistry,
  ops: LedgerOps,
  ids: AccountIds,
  logger: Logger,
  nowMs: number,
): Promise<void> {
  const read = async (): Promise<Map<string, bigint>> => {
    const keys = registry.list().map((s) => s.definition.key);
    const accounts = await ops.lookupAccounts(keys.map((k) => ids.resource(k)));
    const capacities = new Map<string, bigint>();
    for (const key of keys) {
      const account = accounts.get(ids.resource(key));
      capacities.set(key, account === undefined ? 0n : ledgerCapacity(account));
    }
    return capacities;
  };

  let onLedger = await read();
  const raises: LabelledTransfer[] = [];
  for (const state of registry.list()) {
    const key = state.definition.key;
    const capacity = onLedger.get(key)!;
    const wanted = BigInt(state.definition.capacity);
    if (state.status === 'decreasing' && capacity === BigInt(state.pending_decrease_to!)) {
      registry.commitDecrease(key);
      logger.log('warn', 'tigerbeetle_decrease_recovered', { key, capacity: Number(capacity) });
    } else if (capacity < wanted) {
      logger.log('warn', 'tigerbeetle_capacity_reconciled', {
        key,
        ledger: capacity,
        registry: wanted,
      });
      const label = capacityLabel(key, registry.entry(key)!.revision);
      raises.push(raise(ids, key, label, wanted - capacity));
    }
  }
  if (raises.length > 0) {
    const statuses = await ops.tryPost(raises);
    if (statuses.some((s) => s === undefined)) throw new Error('TigerBeetle did not answer');
    onLedger = await read();
  }

  const corrections: LabelledTransfer[] = [];
  for (const state of registry.list()) {
    const key = state.definition.key;
    const capacity = onLedger.get(key)!;
    const wanted = BigInt(state.definition.capacity);
    if (capacity === wanted) continue;

    logger.log('warn', 'tigerbeetle_capacity_corrected', {
      key,
      ledger: capacity,
      registry: wanted,
    });
    const label = reconcileLabel(key, registry.entry(key)!.revision, nowMs, 0);
    corrections.push(
      capacity < wanted
        ? raise(ids, key, label, wanted - capacity)
        : lower(ids, key, label, capacity - wanted),
    );
  }
  await ops.postAll(corrections);
}
