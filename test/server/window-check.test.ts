/** The load tool's capacity check: a hold counts from its reservation until window later. */
import { describe, expect, it } from 'vitest';

import { findWindowViolations } from '../../src/cli/loadtest/window-check.ts';

const limits = new Map([['k', { capacity: 2, windowMs: 1000 }]]);
const at = (reservedAtMs: number, amount = 1) => ({ key: 'k', reservedAtMs, amount });

describe('findWindowViolations', () => {
  it('accepts capacity held exactly, and a new hold at the instant an old one expires', () => {
    expect(findWindowViolations([at(0), at(500), at(1000), at(1500)], limits)).toEqual([]);
  });

  it('finds one too many within a window', () => {
    expect(findWindowViolations([at(0), at(500), at(999)], limits)).toEqual([
      { key: 'k', atMs: 999, held: 3, capacity: 2 },
    ]);
  });

  it('counts amounts and same-instant admissions together, in any input order', () => {
    expect(findWindowViolations([at(10), at(10, 2)], limits)).toEqual([
      { key: 'k', atMs: 10, held: 3, capacity: 2 },
    ]);
  });

  it('ignores keys it has no limit for', () => {
    expect(findWindowViolations([{ key: 'x', reservedAtMs: 0, amount: 99 }], limits)).toEqual([]);
  });
});
