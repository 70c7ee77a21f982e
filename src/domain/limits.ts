/** Limit definitions and states, shaped exactly as the HTTP API writes them (snake_case). */

export type LimitKind = 'rolling' | 'concurrency';
export type Overage = 'deny' | 'debt';
export type LimitStatus = 'active' | 'decreasing';

export interface LimitDefinition {
  key: string;
  kind: LimitKind;
  capacity: number;
  /** Rolling limits only: how long a hold lasts. */
  window_seconds?: number;
  /** Concurrency limits only: how long a hold lasts if its lease is never completed. */
  timeout_seconds?: number;
  unit?: string;
  description?: string;
  overage: Overage;
}

export interface LimitState {
  definition: LimitDefinition;
  status: LimitStatus;
  /** Set only while `status` is `decreasing`; null otherwise. */
  pending_decrease_to: number | null;
}

export interface Usage {
  held: number;
  available: number;
  /** Exact; may outgrow 2^53 − 1, so it is kept as a bigint. */
  debt: bigint;
}

export interface LimitView extends LimitState {
  usage: Usage;
}

/** How long a hold on this limit lasts, in milliseconds. */
export function holdDurationMs(definition: LimitDefinition): number {
  const seconds =
    definition.kind === 'rolling' ? definition.window_seconds : definition.timeout_seconds;
  if (seconds === undefined) throw new Error(`limit ${definition.key} has no duration`);
  return seconds * 1000;
}

export function holdDurationSeconds(definition: LimitDefinition): number {
  return holdDurationMs(definition) / 1000;
}
