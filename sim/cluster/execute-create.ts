import { assert } from '../../src/domain/assert.ts';
import type { LedgerState } from './ledger-state.ts';
import { hasFlag, NS_PER_MS } from './numbers.ts';

/** The statuses every create operation shares, by their numeric values in tigerbeetle-node. */
export interface ChainStatuses {
  created: number;
  linked_event_failed: number;
  linked_event_chain_open: number;
  imported_event_expected: number;
  imported_event_not_expected: number;
  timestamp_must_be_zero: number;
}

/** What differs between `create_accounts` and `create_transfers`. */
export interface CreateOperation<E extends CreateEvent> {
  statuses: ChainStatuses;
  linkedFlag: number;
  importedFlag: number;
  /** Applies one event; returns its status and, for created/exists, the object's timestamp. */
  create(state: LedgerState, timestampNs: bigint, event: E): CreateOutcome;
  /** Statuses that burn the id (`id_already_failed` afterwards). */
  transient(status: number): boolean;
}

export interface CreateOutcome {
  status: number;
  timestampNs?: bigint;
}

export interface CreateEvent {
  id: bigint;
  flags: number;
  timestamp: bigint;
}

export interface CreateResult {
  timestamp: bigint;
  status: number;
}

/**
 * Runs one create request the way TigerBeetle's `execute_create` does (0.17 line).
 *
 * - Every event takes the next timestamp, failed or not.
 * - A chain starts at the first `linked` event and ends at the next event without `linked`. The
 *   first event of a chain to fail keeps its status; the events of the chain before it are rolled
 *   back and answer `linked_event_failed`, and so do the events after it.
 * - A `linked` last event answers `linked_event_chain_open` (whatever happened before it), and
 *   the earlier events of its chain `linked_event_failed`.
 * - An event that fails for a transient reason burns its id, even inside a chain: the id is
 *   recorded after the chain is rolled back.
 * - The result timestamp is the object's for `created` and `exists`, else the event's own slot.
 */
export function executeCreate<E extends CreateEvent>(
  state: LedgerState,
  nowMs: number,
  events: readonly E[],
  op: CreateOperation<E>,
): CreateResult[] {
  const s = op.statuses;
  const results: CreateResult[] = new Array(events.length);
  const batchImported = events.length > 0 && hasFlag(events[0]!.flags, op.importedFlag);
  // The client refuses these: user-defined timestamps are not modelled.
  assert(!batchImported, 'executeCreate: imported batches are not modelled');

  const wallNs = BigInt(nowMs) * NS_PER_MS;
  let chainStart: number | null = null;
  let chainBroken = false;

  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const timestampNs = state.nextTimestampNs(wallNs);
    const linked = hasFlag(event.flags, op.linkedFlag);
    let status: number;
    let resultTimestampNs = timestampNs;

    if (linked && chainStart === null) {
      chainStart = index;
      state.openScope();
    }

    if (linked && index === events.length - 1) {
      status = s.linked_event_chain_open;
    } else if (chainBroken) {
      status = s.linked_event_failed;
    } else if (batchImported !== hasFlag(event.flags, op.importedFlag)) {
      status = batchImported ? s.imported_event_expected : s.imported_event_not_expected;
    } else if (event.timestamp !== 0n) {
      status = s.timestamp_must_be_zero;
    } else {
      const outcome = op.create(state, timestampNs, event);
      status = outcome.status;
      resultTimestampNs = outcome.timestampNs ?? timestampNs;
    }

    if (status !== s.created) {
      if (chainStart !== null && !chainBroken) {
        chainBroken = true;
        state.discardScope();
        for (let j = chainStart; j < index; j++) results[j]!.status = s.linked_event_failed;
      }
      if (op.transient(status)) state.markFailed(event.id);
    }
    results[index] = { timestamp: resultTimestampNs, status };

    if (chainStart !== null && (!linked || status === s.linked_event_chain_open)) {
      if (!chainBroken) state.persistScope();
      chainStart = null;
      chainBroken = false;
    }
  }
  return results;
}
