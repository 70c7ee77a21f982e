import type { CreateTransferResult, Transfer } from 'tigerbeetle-node';

import type { LimitDefinition, LimitKind } from '../../domain/limits.ts';
import { holdDurationSeconds } from '../../domain/limits.ts';
import type { Requirement } from '../../domain/requests.ts';
import { type AccountIds, OPERATOR_ID } from './accounts.ts';
import { idFromLabel, reserveLabel } from './ids.ts';
import { linkChain, pendingTransfer } from './transfers.ts';

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
/** TigerBeetle timestamps are u63 nanoseconds; a pending transfer must expire within them. */
const U63_MAX = (1n << 63n) - 1n;
/** Allowance for the cluster's clock running ahead of ours. */
const CLOCK_MARGIN_NS = 60n * NS_PER_S;

/** One hold of an allowed lease, as the lease book keeps it: enough to release or resize it. */
export interface LedgerHold {
  key: string;
  kind: LimitKind;
  amount: number;
  /** The pending transfer that holds it. */
  transferId: bigint;
  /** When the cluster releases it: the first instant at which it no longer counts. */
  expiresAtMs: number;
}

/** The chain a reserve sends, with what each event will hold if the chain is created. */
export interface Reservation {
  transfers: Transfer[];
  /** The definition of each requirement's key when the chain was built, in request order. */
  definitions: LimitDefinition[];
}

/**
 * One linked chain of pending transfers resource → operator, one per requirement in request
 * order, each lasting the key's window (rolling) or timeout (concurrency) as defined now.
 */
export function buildReservation(
  leaseId: string,
  requirements: readonly Requirement[],
  definitionOf: (key: string) => LimitDefinition,
  ids: AccountIds,
  nowMs: number,
): Reservation {
  const definitions = requirements.map((r) => definitionOf(r.key));
  const longest = longestTimeoutSeconds(nowMs);
  const transfers = requirements.map((r, i) =>
    pendingTransfer(
      idFromLabel(reserveLabel(leaseId, r.key)),
      ids.resource(r.key),
      OPERATOR_ID,
      BigInt(r.amount),
      Math.min(holdDurationSeconds(definitions[i]!), longest),
      false,
    ),
  );
  return { transfers: linkChain(transfers), definitions };
}

/**
 * The longest timeout a pending transfer made now can have: its expiry must fit in a u63
 * timestamp, or TigerBeetle refuses it (`overflows_timeout`) before looking at capacity. This
 * bites only after the year 2126 (a 2^32 − 1 s window then reaches past 2262); such a hold
 * lasts until the end of TigerBeetle's time instead.
 */
export function longestTimeoutSeconds(nowMs: number): number {
  const room = (U63_MAX - BigInt(nowMs) * NS_PER_MS - CLOCK_MARGIN_NS) / NS_PER_S;
  return room > 0n ? Number(room < 0xffff_ffffn ? room : 0xffff_ffffn) : 1;
}

/** The instant a pending transfer created at `timestampNs` stops counting. */
export function expiryMs(timestampNs: bigint, timeoutSeconds: number): number {
  return Number((timestampNs + BigInt(timeoutSeconds) * NS_PER_S) / NS_PER_MS);
}

/** The millisecond a ledger timestamp falls in. */
export function timestampMs(timestampNs: bigint): number {
  return Number(timestampNs / NS_PER_MS);
}

/** The holds a created chain made, with expiries as the cluster computes them. */
export function holdsOf(
  reservation: Reservation,
  requirements: readonly Requirement[],
  results: readonly CreateTransferResult[],
): LedgerHold[] {
  return requirements.map((r, i) => {
    const transfer = reservation.transfers[i]!;
    return {
      key: r.key,
      kind: reservation.definitions[i]!.kind,
      amount: r.amount,
      transferId: transfer.id,
      expiresAtMs: expiryMs(results[i]!.timestamp, transfer.timeout),
    };
  });
}
