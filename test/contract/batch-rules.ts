/**
 * SEMANTICS.md, "Batches": items run one after another in request order, each sees what the
 * items before it did, answers come back in order, and one item's refusal stops no other.
 */
import { expect } from 'vitest';

import type { ContractTest } from './backend-contract.ts';
import {
  actualsOf,
  allowedAt,
  concurrency,
  deniedWith,
  OK,
  requirementsOf,
  rolling,
  T0_MS,
} from './scenario.ts';

export function batchRules(test: ContractTest): void {
  test('two reserves on a limit of 1: allowed, then denied', async (s) => {
    const one = rolling('one', 1, 60);
    await s.define(one);

    const answers = await s.backend.reserveBatch([
      { lease_id: s.lease(), requirements: requirementsOf({ one: 1 }) },
      { lease_id: s.lease(), requirements: requirementsOf({ one: 1 }) },
    ]);
    s.hints.allowed(['one']);
    expect(answers).toEqual([allowedAt(T0_MS), deniedWith('', s.hints.denial(one))]);
    expect(await s.held('one')).toBe(1);
  });

  test('answers come back in request order; a refusal stops no other item', async (s) => {
    await s.define(rolling('tokens', 10, 60), rolling('small', 2, 60));
    await s.at(300);

    const answers = await s.backend.reserveBatch([
      { lease_id: s.lease(), requirements: requirementsOf({ ghost: 1 }) },
      { lease_id: s.lease(), requirements: requirementsOf({ tokens: 4 }) },
      { lease_id: s.lease(), requirements: requirementsOf({ small: 3 }) },
      { lease_id: s.lease(), requirements: requirementsOf({ tokens: 6, small: 2 }) },
    ]);
    expect(answers).toEqual([
      deniedWith('unknown_limit_key:ghost', 0),
      allowedAt(T0_MS + 300),
      deniedWith('exceeds_capacity:small', 0),
      allowedAt(T0_MS + 300),
    ]);
    expect(await s.usage('tokens')).toEqual({ held: 10, available: 0, debt: 0n });
    expect(await s.usage('small')).toEqual({ held: 2, available: 0, debt: 0n });
  });

  test('the same lease twice in a batch: the second is a replay', async (s) => {
    await s.define(rolling('tokens', 10, 60));
    const leaseId = s.lease();
    const request = { lease_id: leaseId, requirements: requirementsOf({ tokens: 3 }) };
    const conflicting = { lease_id: leaseId, requirements: requirementsOf({ tokens: 4 }) };

    expect(await s.backend.reserveBatch([request, request, conflicting])).toEqual([
      allowedAt(T0_MS),
      allowedAt(T0_MS),
      deniedWith('lease_conflict', 0),
    ]);
    expect(await s.held('tokens')).toBe(3);
  });

  test('a complete batch runs in order and each complete is idempotent', async (s) => {
    await s.define(concurrency('slots', 2, 30), rolling('tokens', 10, 60));
    const first = await s.hold({ slots: 1, tokens: 5 });
    const second = await s.hold({ slots: 1 });

    const answers = await s.backend.completeBatch([
      { lease_id: first, actuals: actualsOf({ tokens: 2 }) },
      { lease_id: first, actuals: actualsOf({ tokens: 0 }) },
      { lease_id: s.lease(), actuals: [] },
      { lease_id: second, actuals: [] },
    ]);
    expect(answers).toEqual([OK, OK, OK, OK]);
    expect(await s.usage('slots')).toEqual({ held: 0, available: 2, debt: 0n });
    expect(await s.usage('tokens')).toEqual({ held: 2, available: 8, debt: 0n });
  });

  test('a reserve after a complete sees what the complete released', async (s) => {
    await s.define(concurrency('slots', 1, 30));
    const leaseId = await s.hold({ slots: 1 });

    expect(await s.backend.completeBatch([{ lease_id: leaseId, actuals: [] }])).toEqual([OK]);
    expect(
      await s.backend.reserveBatch([
        { lease_id: s.lease(), requirements: requirementsOf({ slots: 1 }) },
      ]),
    ).toEqual([allowedAt(T0_MS)]);
  });

  test('empty batches answer empty lists', async (s) => {
    expect(await s.backend.reserveBatch([])).toEqual([]);
    expect(await s.backend.completeBatch([])).toEqual([]);
  });
}
