import type { LimitDefinition } from '../../src/domain/limits.ts';
import type { ReserveResponse } from '../../src/domain/requests.ts';

/**
 * Structural equality of answers: objects compared field by field whatever their key order,
 * arrays in order, bigints by value. `undefined` fields count as absent, as in JSON.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;

  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }

  // Every defined field of one side must be equal on the other, and the defined counts match.
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let leftCount = 0;
  for (const key in left) {
    const value = left[key];
    if (value === undefined) continue;
    leftCount++;
    if (!sameJson(value, right[key])) return false;
  }
  let rightCount = 0;
  for (const key in right) if (right[key] !== undefined) rightCount++;
  return leftCount === rightCount;
}

/** Two reserve answers are the same (the hot case of sameJson, without walking objects). */
export function sameReserveAnswer(a: ReserveResponse, b: ReserveResponse): boolean {
  return (
    a.allowed === b.allowed &&
    a.retry_after_ms === b.retry_after_ms &&
    a.reserved_at_unix_ms === b.reserved_at_unix_ms &&
    a.error === b.error &&
    a.detail === b.detail
  );
}

/** Two limit definitions are the same, field by field. */
export function sameDefinition(a: LimitDefinition, b: LimitDefinition): boolean {
  return (
    a.key === b.key &&
    a.kind === b.kind &&
    a.capacity === b.capacity &&
    a.window_seconds === b.window_seconds &&
    a.timeout_seconds === b.timeout_seconds &&
    a.overage === b.overage &&
    a.unit === b.unit &&
    a.description === b.description
  );
}

/** The paths where two answers differ (`a.b[2].c`), for reports; empty when they agree. */
export function jsonDifferences(a: unknown, b: unknown, path = ''): string[] {
  if (sameJson(a, b)) return [];
  const bothObjects =
    typeof a === 'object' && typeof b === 'object' && a !== null && b !== null &&
    Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [path === '' ? '(whole answer)' : path];

  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}.length`];
    return a.flatMap((item, i) => jsonDifferences(item, b[i], `${path}[${i}]`));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.flatMap((key) =>
    jsonDifferences(left[key], right[key], path === '' ? key : `${path}.${key}`),
  );
}
