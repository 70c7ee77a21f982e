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
