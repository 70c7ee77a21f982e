import type { LimitDefinition } from '../../domain/limits.ts';
import type { Actual } from '../../domain/requests.ts';
import type { AllowedLease } from '../common/lease-book.ts';
import type { Hold } from './hold.ts';

/**
 * Settles an allowed lease at `nowMs` (SEMANTICS, Complete): releases its concurrency holds and
 * turns each rolling actual into a smaller hold, an extra hold, debt, or nothing. `definitionOf`
 * gives the definition in force now: overage and capacity are read at the time of the complete.
 */
export function settleLease(
  lease: AllowedLease<Hold[]>,
  actuals: readonly Actual[],
  nowMs: number,
  definitionOf: (key: string) => LimitDefinition,
): void {
  // Purge first, so that a hold whose expiry is at or before now counts as expired below.
  for (const hold of lease.holds) hold.ledger.purge(nowMs);

  for (const hold of lease.holds) {
    if (definitionOf(hold.key).kind === 'concurrency') hold.ledger.release(hold);
  }

  for (const actual of actuals) {
    const hold = lease.holds.find((h) => h.key === actual.key);
    if (hold === undefined) continue;
    const definition = definitionOf(actual.key);
    if (definition.kind !== 'rolling') continue;
    settleRolling(hold, actual.actual_amount, definition, nowMs);
  }
}

/** One rolling hold of `r` told its actual `a`. */
function settleRolling(hold: Hold, a: number, definition: LimitDefinition, nowMs: number): void {
  const ledger = hold.ledger;
  const r = hold.amount;
  const e = hold.expiresAtMs;

  if (e <= nowMs) {
    // The window is over: nothing is held any more, only an overrun is remembered.
    if (a > r && definition.overage === 'debt') ledger.debt += BigInt(a - r);
    return;
  }
  if (a === r) return;

  // TigerBeetle can only re-reserve for whole seconds; round the same way so both agree.
  const rereservedUntilMs = nowMs + 1000 * Math.ceil((e - nowMs) / 1000);

  if (a < r) {
    ledger.release(hold);
    if (a > 0) ledger.add(a, rereservedUntilMs);
    return;
  }

  const extra = a - r;
  if (definition.capacity - ledger.held >= extra) ledger.add(extra, rereservedUntilMs);
  else if (definition.overage === 'debt') ledger.debt += BigInt(extra);
}
