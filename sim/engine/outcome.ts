import type { LimitView } from '../../src/domain/limits.ts';
import { sameDefinition, sameJson } from '../check/same-json.ts';

/** A backend's answer, or what it threw instead. */
export type Outcome = { answer: unknown } | { thrown: string };

/** Awaits an answer that needs no clock (the hot path of read-outs on a memory target). */
export async function directly(work: Promise<unknown>): Promise<Outcome> {
  try {
    return { answer: await work };
  } catch (error) {
    return { thrown: String(error) };
  }
}

/** Two read-outs agree (the common case, checked without building paths). */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if ('thrown' in a || 'thrown' in b) return sameJson(a, b);
  const x = a.answer as LimitView | undefined;
  const y = b.answer as LimitView | undefined;
  if (x === undefined || y === undefined) return x === y;
  return (
    x.usage.held === y.usage.held &&
    x.usage.available === y.usage.available &&
    x.usage.debt === y.usage.debt &&
    x.status === y.status &&
    x.pending_decrease_to === y.pending_decrease_to &&
    sameDefinition(x.definition, y.definition)
  );
}

/** The first few paths where outcomes differ, with each target's value. */
export function describeDifference(paths: string[], outcomes: Outcome[], names: string[]): string {
  const shown = paths.slice(0, 4).map((path) => {
    const values = outcomes.map((o, i) => `${names[i]}=${JSON.stringify(pick(o, path), bigintText)}`
    );
    return `${path}: ${values.join(' ')}`;
  });
  return shown.join('; ') + (paths.length > 4 ? `; and ${paths.length - 4} more` : '');
}

/** The value at a path like `answer.usage.held` or `answer[2].error`. */
function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (current === null || typeof current !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    const container = current as Record<string, unknown>;
    current = index ? container[Number(index[1])] : container[part];
  }
  return current;
}

/** One line for `--verbose`. */
export function showOutcome(outcome: Outcome): string {
  return JSON.stringify('thrown' in outcome ? outcome : outcome.answer, bigintText) ?? 'undefined';
}

function bigintText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}
