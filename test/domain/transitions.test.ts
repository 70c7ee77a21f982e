/** What an admin put does, decided without side effects (domain/transitions.ts). */
import { describe, expect, it } from 'vitest';

import type { LimitDefinition, LimitState } from '../../src/domain/limits.ts';
import { applyDecrease, decreaseFits, planPut } from '../../src/domain/transitions.ts';

const rolling = (capacity: number, extra: Partial<LimitDefinition> = {}): LimitDefinition => ({
  key: 'tokens',
  kind: 'rolling',
  capacity,
  window_seconds: 60,
  overage: 'debt',
  ...extra,
});
const active = (definition: LimitDefinition): LimitState => ({
  definition,
  status: 'active',
  pending_decrease_to: null,
});
const decreasingTo = (capacity: number, target: number): LimitState => ({
  definition: rolling(capacity),
  status: 'decreasing',
  pending_decrease_to: target,
});

describe('planPut', () => {
  it('creates an unknown key active', () => {
    expect(planPut(undefined, rolling(5))).toEqual({
      outcome: 'created',
      next: active(rolling(5)),
    });
  });

  it('applies an equal or higher capacity at once and cancels a pending decrease', () => {
    const decreasing = decreasingTo(10, 4);
    expect(planPut(decreasing, rolling(10, { overage: 'deny' }))).toEqual({
      outcome: 'applied',
      previous: decreasing,
      next: active(rolling(10, { overage: 'deny' })),
    });
    expect(planPut(active(rolling(10)), rolling(11)).outcome).toBe('applied');
  });

  it('keeps the capacity in force for a lower one, applying every other field', () => {
    const wanted = rolling(4, { window_seconds: 30, unit: 'tokens', overage: 'deny' });
    expect(planPut(active(rolling(10)), wanted)).toEqual({
      outcome: 'decreasing',
      previous: active(rolling(10)),
      next: {
        definition: { ...wanted, capacity: 10 },
        status: 'decreasing',
        pending_decrease_to: 4,
      },
    });
  });

  it('replaces the target of a pending decrease with a later lower put', () => {
    const plan = planPut(decreasingTo(10, 4), rolling(8));
    expect(plan).toMatchObject({ outcome: 'decreasing', next: { pending_decrease_to: 8 } });
  });

  it('refuses a change of kind', () => {
    const slots: LimitDefinition = {
      key: 'tokens',
      kind: 'concurrency',
      capacity: 10,
      timeout_seconds: 5,
      overage: 'deny',
    };
    expect(planPut(active(rolling(10)), slots)).toEqual({
      outcome: 'kind_immutable',
      previous: active(rolling(10)),
    });
  });
});

describe('decreases', () => {
  const decreasing = decreasingTo(10, 4);

  it('fit when available is at least capacity minus the target', () => {
    expect(decreaseFits(decreasing, 5)).toBe(false);
    expect(decreaseFits(decreasing, 6)).toBe(true);
    expect(decreaseFits(active(rolling(10)), 10)).toBe(false);
  });

  it('apply the target and become active', () => {
    expect(applyDecrease(decreasing)).toEqual(active(rolling(4)));
    expect(() => applyDecrease(active(rolling(10)))).toThrow('has no pending decrease');
  });
});
