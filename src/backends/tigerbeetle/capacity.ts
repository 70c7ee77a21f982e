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
import { type LabelledTransfer, type LedgerOps, LedgerStatusError } from './ledger-ops.ts';
import { CreateTransferStatus as S, transferStatusName } from './statuses.ts';
import { postedTransfer } from './transfers.ts';

/** Capacity lives in the resource account's posted balance; these transfers change it. */

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

/** The transfer of a capacity increase carried by registry revision `revision`. */
export function increase(
  ids: AccountIds,
  key: string,
  revision: number,
  amount: number,
): LabelledTransfer {
  return raise(ids, key, capacityLabel(key, revision), BigInt(amount));
}

/**
 * Commits a registry change whose ledger side is already applied. If the registry cannot persist
 * it, the ledger side is undone (`undo`, which always fits: the change ran alone, so nothing has
 * used it) before the error goes on to the caller.
 */
export async function commitOrUndo(
  commit: () => void,
  undo: LabelledTransfer | undefined,
  ops: LedgerOps,
  logger: Logger,
): Promise<void> {
  try {
    commit();
  } catch (error) {
    if (undo !== undefined) {
      try {
        await ops.postAll([undo]);
      } catch (undoError) {
        // Start-up reconciliation puts the ledger back in line with the registry.
        logger.log('error', 'tigerbeetle_capacity_undo_failed', {
          label: undo.label,
          error: String(undoError),
        });
      }
    }
    throw error;
  }
}

/**
 * Applies at `tickMs` every pending decrease that fits: one posting resource → operator per
 * decreasing key, all in one request. `exceeds_credits` means it does not fit yet, which is the
 * decrease rule itself (available < capacity − target). A failed attempt burns its id, so each
 * attempt is named by the tick instant and a number; an id burned by an earlier process at this
 * very instant is retried under the next number.
 */
export async function applyDecreases(
  registry: LimitRegistry,
  ops: LedgerOps,
  ids: AccountIds,
  logger: Logger,
  tickMs: number,
  nextAttempt: () => number,
): Promise<void> {
  let candidates = registry.decreasing();
  for (let round = 0; round < 3 && candidates.length > 0; round++) {
    const attempts = candidates.map((state) =>
      decreaseAttempt(registry, ids, state, tickMs, nextAttempt()),
    );
    const statuses = await ops.post(attempts.map((a) => a.posting));

    const retry: LimitState[] = [];
    for (let i = 0; i < attempts.length; i++) {
      const { state, posting, revision } = attempts[i]!;
      const key = state.definition.key;
      const status = statuses[i]!;
      if (status === S.created || status === S.exists) {
        const undo = raise(ids, key, rollbackLabel(key, revision, tickMs), posting.transfer.amount);
        await commitOrUndo(() => registry.commitDecrease(key), undo, ops, logger);
        logger.log('info', 'limit_decrease_applied', {
          key,
          capacity: registry.get(key)!.definition.capacity,
          at_ms: tickMs,
        });
      } else if (status === S.id_already_failed) {
        retry.push(state);
      } else if (status !== S.exceeds_credits) {
        logger.log('error', 'tigerbeetle_unexpected_status', {
          operation: 'decrease',
          label: posting.label,
          status: transferStatusName(status),
        });
      }
    }
    candidates = retry;
  }
}

function decreaseAttempt(
  registry: LimitRegistry,
  ids: AccountIds,
  state: LimitState,
  tickMs: number,
  attempt: number,
): { state: LimitState; posting: LabelledTransfer; revision: number } {
  const key = state.definition.key;
  const revision = registry.entry(key)!.revision;
  const amount = BigInt(state.definition.capacity - state.pending_decrease_to!);
  const posting = lower(ids, key, decreaseLabel(key, revision, tickMs, attempt), amount);
  return { state, posting, revision };
}

/**
 * Start-up: makes each key's ledger capacity match the registry. They differ only after a crash
 * between the ledger change and the registry commit (or over a fresh cluster): a decrease posted
 * but not committed is committed; any other difference is corrected on the ledger. A correction
 * down always fits, because no hold was made while the uncommitted change was in force.
 */
export async function reconcileCapacities(
  registry: LimitRegistry,
  ops: LedgerOps,
  ids: AccountIds,
  logger: Logger,
  nowMs: number,
): Promise<void> {
  const states = registry.list();
  const accounts = await ops.lookupAccounts(states.map((s) => ids.resource(s.definition.key)));

  const corrections: LabelledTransfer[] = [];
  for (const state of states) {
    const key = state.definition.key;
    const account = accounts.get(ids.resource(key));
    const onLedger = account === undefined ? 0n : ledgerCapacity(account);
    const wanted = BigInt(state.definition.capacity);
    if (onLedger === wanted) continue;

    if (state.status === 'decreasing' && onLedger === BigInt(state.pending_decrease_to!)) {
      registry.commitDecrease(key);
      logger.log('warn', 'tigerbeetle_decrease_recovered', { key, capacity: Number(onLedger) });
      continue;
    }

    const label = reconcileLabel(key, registry.entry(key)!.revision, nowMs, 0);
    logger.log('warn', 'tigerbeetle_capacity_reconciled', {
      key,
      ledger: onLedger,
      registry: wanted,
    });
    corrections.push(
      onLedger < wanted
        ? raise(ids, key, label, wanted - onLedger)
        : lower(ids, key, label, onLedger - wanted),
    );
  }

  try {
    await ops.postAll(corrections);
  } catch (error) {
    if (error instanceof LedgerStatusError) {
      logger.log('error', 'tigerbeetle_reconcile_failed', {
        label: error.label,
        status: error.status,
      });
    }
    throw error;
  }
}
