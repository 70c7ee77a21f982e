/**
 * What a run can find: a difference between backends' answers, or a broken invariant on one
 * backend. Each finding names the operation (its index in the run's list) so that the list can
 * be cut there and replayed.
 */

/** The invariants of spec/simulator.md, by the name reports use. */
export type Rule =
  /** Memory and TigerBeetle gave different answers to the same operation at the same instant. */
  | 'equality'
  /** held never above the capacity in force; an allowed reserve must fit. */
  | 'held_within_capacity'
  /** A reserve holds all of its requirements or none. */
  | 'all_or_nothing'
  /** A replayed lease never holds twice, or after it ended. */
  | 'replay_holds_once'
  /** Complete of an unknown, denied or completed lease changes nothing. */
  | 'complete_idempotent'
  /** Debt equals the overage that could not be absorbed. */
  | 'debt_exact'
  /** Nothing is released before its expiry (or an acknowledged complete). */
  | 'no_early_release'
  /** A decrease is applied on a tick where it fits, and only then. */
  | 'decrease_rule'
  /** An answer the contract fixes exactly (errors, replays, timestamps) was not given. */
  | 'contract_answer'
  /** The backend never answered, or threw. */
  | 'no_answer';

export interface Finding {
  kind: 'difference' | 'violation';
  rule: Rule;
  /** Index of the operation in the run's list. */
  opIndex: number;
  atMs: number;
  /** The backend that broke the invariant (violations only). */
  target?: string;
  message: string;
}

export function violation(
  rule: Rule,
  target: string,
  opIndex: number,
  atMs: number,
  message: string,
): Finding {
  return { kind: 'violation', rule, target, opIndex, atMs, message };
}
