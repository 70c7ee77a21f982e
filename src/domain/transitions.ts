import type { LimitDefinition, LimitState } from './limits.ts';

/** What an admin put does to a limit, decided without side effects. */
export type PutPlan =
  | { outcome: 'created'; next: LimitState }
  /** Capacity at or above the current one: applied at once, any pending decrease cancelled. */
  | { outcome: 'applied'; next: LimitState; previous: LimitState }
  /** Capacity below the current one: the current capacity stays until a tick can apply it. */
  | { outcome: 'decreasing'; next: LimitState; previous: LimitState }
  | { outcome: 'kind_immutable'; previous: LimitState };

export function planPut(current: LimitState | undefined, definition: LimitDefinition): PutPlan {
  if (current === undefined) {
    return {
      outcome: 'created',
      next: { definition, status: 'active', pending_decrease_to: null },
    };
  }
  if (current.definition.kind !== definition.kind) {
    return { outcome: 'kind_immutable', previous: current };
  }

  const capacity = current.definition.capacity;
  if (definition.capacity >= capacity) {
    return {
      outcome: 'applied',
      previous: current,
      next: { definition, status: 'active', pending_decrease_to: null },
    };
  }

  // Every other field applies now; the capacity in force stays until the decrease can apply.
  return {
    outcome: 'decreasing',
    previous: current,
    next: {
      definition: { ...definition, capacity },
      status: 'decreasing',
      pending_decrease_to: definition.capacity,
    },
  };
}

/** The state once a pending decrease has been applied. */
export function applyDecrease(state: LimitState): LimitState {
  if (state.status !== 'decreasing' || state.pending_decrease_to === null) {
    throw new Error(`limit ${state.definition.key} has no pending decrease`);
  }
  return {
    definition: { ...state.definition, capacity: state.pending_decrease_to },
    status: 'active',
    pending_decrease_to: null,
  };
}

/** Can a decreasing key take its new capacity now, given what is available on it? */
export function decreaseFits(state: LimitState, available: number): boolean {
  if (state.pending_decrease_to === null) return false;
  return available >= state.definition.capacity - state.pending_decrease_to;
}
