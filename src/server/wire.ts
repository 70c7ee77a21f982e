/** Shapes that only the HTTP layer writes: the usage read-out with its exact debt. */
import type { LimitView } from '../domain/limits.ts';
import { MAX_AMOUNT } from '../domain/numbers.ts';

export interface WireUsage {
  held: number;
  available: number;
  /** A JSON number up to 2^53 − 1, a decimal string beyond, so it is never rounded. */
  debt: number | string;
}

export interface WireLimitView {
  definition: LimitView['definition'];
  status: LimitView['status'];
  pending_decrease_to: number | null;
  usage: WireUsage;
}

export function wireDebt(debt: bigint): number | string {
  return debt <= BigInt(MAX_AMOUNT) ? Number(debt) : debt.toString();
}

export function wireLimitView(view: LimitView): WireLimitView {
  return {
    definition: view.definition,
    status: view.status,
    pending_decrease_to: view.pending_decrease_to,
    usage: {
      held: view.usage.held,
      available: view.usage.available,
      debt: wireDebt(view.usage.debt),
    },
  };
}
