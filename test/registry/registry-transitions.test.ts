/** The registry's changes and revisions, in memory: each is planned, then committed. */
import { describe, expect, it } from 'vitest';

import type { LimitDefinition } from '../../src/domain/limits.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';

const rolling = (key: string, capacity: number, windowSeconds = 60): LimitDefinition => ({
  key,
  kind: 'rolling',
  capacity,
  window_seconds: windowSeconds,
  overage: 'debt',
});

describe('LimitRegistry transitions', () => {
  it('numbers each change of a key from 1', () => {
    const registry = LimitRegistry.inMemory();
    expect(registry.nextRevision('a')).toBe(1);

    const created = registry.plan(rolling('a', 10));
    expect(created.outcome).toBe('created');
    registry.commit(created);
    expect(registry.entry('a')?.revision).toBe(1);

    registry.commit(registry.plan(rolling('a', 12)));
    registry.commit(registry.plan(rolling('a', 6, 30)));
    expect(registry.entry('a')).toEqual({
      state: { definition: rolling('a', 12, 30), status: 'decreasing', pending_decrease_to: 6 },
      revision: 3,
    });
    expect(registry.decreasing().map((s) => s.definition.key)).toEqual(['a']);

    expect(registry.commitDecrease('a')).toEqual({
      definition: rolling('a', 6, 30),
      status: 'active',
      pending_decrease_to: null,
    });
    expect(registry.entry('a')?.revision).toBe(4);
    expect(registry.decreasing()).toEqual([]);
  });

  it('lists states in key order', () => {
    const registry = LimitRegistry.inMemory();
    for (const key of ['m', 'b', 'z', 'a']) registry.commit(registry.plan(rolling(key, 1)));
    expect(registry.list().map((s) => s.definition.key)).toEqual(['a', 'b', 'm', 'z']);
  });

  it('will not commit a refused kind change or apply a decrease that is not pending', () => {
    const registry = LimitRegistry.inMemory();
    registry.commit(registry.plan(rolling('a', 10)));
    const refused = registry.plan({
      key: 'a',
      kind: 'concurrency',
      capacity: 1,
      timeout_seconds: 1,
      overage: 'deny',
    });
    expect(refused.outcome).toBe('kind_immutable');
    expect(() => registry.commit(refused)).toThrow('cannot be committed');
    expect(() => registry.commitDecrease('a')).toThrow('no pending decrease');
    expect(() => registry.commitDecrease('ghost')).toThrow('unknown key');
    expect(registry.entry('a')?.revision).toBe(1);
  });
});
