import { decreaseFits } from '../../domain/transitions.ts';
import type { Logger } from '../../observability/logger.ts';
import type { LimitRegistry } from '../../registry/registry.ts';
import type { Ledgers } from './ledgers.ts';

/**
 * Applies, at `nowMs`, every pending decrease whose key now has room for it. Called only from
 * tick: a decrease is never applied inside a reserve, so that both backends apply it at the same
 * tick (TigerBeetle would need a read on the hot path).
 */
export function applyFittingDecreases(
  registry: LimitRegistry,
  ledgers: Ledgers,
  nowMs: number,
  logger: Logger,
): void {
  for (const state of registry.decreasing()) {
    const key = state.definition.key;
    const available = state.definition.capacity - ledgers.at(key, nowMs).held;
    if (!decreaseFits(state, available)) continue;

    const next = registry.commitDecrease(key);
    logger.log('info', 'limit_decrease_applied', {
      key,
      capacity: next.definition.capacity,
      at_ms: nowMs,
    });
  }
}
