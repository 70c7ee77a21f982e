import type { LimitDefinition } from '../../domain/limits.ts';
import type { Actual } from '../../domain/requests.ts';
import type { LeaseBook, LeaseSlot } from '../common/lease-book.ts';
import type { HoldDurations } from './hold-durations.ts';
import type { KeyLedger } from './key-ledger.ts';
import type { Ledgers } from './ledgers.ts';

/**
 * Settles the allowed lease in `slot` at `nowMs` (SEMANTICS, Complete): releases its concurrency
 * holds and turns each rolling actual into a smaller hold, an extra hold, debt, or nothing. Keys
 * are independent, so each requirement is settled in turn. `definitionOf` gives the definition
 * in force now: overage and capacity are read at the time of the complete.
 */
export function settleLease(
  leases: LeaseBook<HoldDurations>,
  slot: LeaseSlot,
  actuals: readonly Actual[],
  nowMs: number,
  ledgers: Ledgers,
  definitionOf: (key: string) => LimitDefinition,
): void {
  const reservedAtMs = leases.reservedAtMs(slot);
  const firstExpiryMs = leases.firstExpiryMs(slot);
  const durations = leases.holds(slot);
  const count = leases.requirementCount(slot);

  for (let i = 0; i < count; i++) {
    const key = leases.requirementKey(slot, i);
    const amount = leases.requirementAmount(slot, i);
    const durationMs =
      durations === undefined ? firstExpiryMs - reservedAtMs : durations[i]!;
    const expiresAtMs = reservedAtMs + durationMs;
    // Purged first, so that a hold whose expiry is at or before now counts as expired below.
    const ledger = ledgers.at(key, nowMs);
    const definition = definitionOf(key);

    if (definition.kind === 'concurrency') {
      if (expiresAtMs > nowMs) ledger.release(amount, expiresAtMs, durationMs);
      continue;
    }
    const actual = actualFor(actuals, key);
    if (actual === undefined) continue;
    settleRolling(ledger, amount, expiresAtMs, durationMs, actual, definition, nowMs);
  }
}

function actualFor(actuals: readonly Actual[], key: string): number | undefined {
  for (const actual of actuals) if (actual.key === key) return actual.actual_amount;
  return undefined;
}

/** One rolling hold of `r`, made for `durationMs` and expiring at `e`, told its actual `a`. */
function settleRolling(
  ledger: KeyLedger,
  r: number,
  e: number,
  durationMs: number,
  a: number,
  definition: LimitDefinition,
  nowMs: number,
): void {
  if (e <= nowMs) {
    // The window is over: nothing is held any more, only an overrun is remembered.
    if (a > r && definition.overage === 'debt') ledger.debt += BigInt(a - r);
    return;
  }
  if (a === r) return;

  // TigerBeetle can only re-reserve for whole seconds; round the same way so both agree.
  const rereservedUntilMs = nowMs + 1000 * Math.ceil((e - nowMs) / 1000);

  if (a < r) {
    ledger.release(r, e, durationMs);
    if (a > 0) ledger.holdLate(a, rereservedUntilMs, nowMs);
    return;
  }

  const extra = a - r;
  if (definition.capacity - ledger.held >= extra) ledger.holdLate(extra, rereservedUntilMs, nowMs);
  else if (definition.overage === 'debt') ledger.debt += BigInt(extra);
}
