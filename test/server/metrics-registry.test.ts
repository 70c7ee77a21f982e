/** The metrics registry: label sets are kept apart, bounded, and overflow into `_other`. */
import { describe, expect, it } from 'vitest';

import { MetricsRegistry } from '../../src/server/metrics/registry.ts';

describe('MetricsRegistry', () => {
  it('counts each label set apart, values that share a joined form included', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('c_total', 'help', ['a', 'b']);
    counter.inc(['x', 'y']);
    counter.inc(['x', 'y'], 2);
    counter.inc(['x\u0000y', '']);
    counter.inc(['x', '']);

    expect(counter.value(['x', 'y'])).toBe(3);
    expect(counter.value(['x\u0000y', ''])).toBe(1);
    expect(counter.value(['x', ''])).toBe(1);
    expect(registry.render()).toContain('c_total{a="x",b="y"} 3\n');
  });

  it('keeps at most maxSeries label sets and counts the rest under _other', () => {
    const registry = new MetricsRegistry(2);
    const counter = registry.counter('k_total', 'help', ['key']);
    const histogram = registry.histogram('h', 'help', ['route'], [1]);
    for (const key of ['a', 'b', 'c', 'd', 'a']) counter.inc([key]);
    for (const route of ['r1', 'r2', 'r3']) histogram.observe([route], 0.5);

    expect(counter.value(['a'])).toBe(2);
    expect(counter.value(['b'])).toBe(1);
    expect(counter.value(['_other'])).toBe(2);
    expect(histogram.count(['_other'])).toBe(1);
    const text = registry.render();
    expect(text).toContain('k_total{key="_other"} 2\n');
    expect(text).not.toContain('key="c"');
    expect(text).toContain('h_bucket{route="r1",le="1"} 1\n');
  });
});
