/** Ticks fall on whole multiples of the period; advanceWithTicks stops and awaits at each. */
import { describe, expect, it } from 'vitest';

import { FakeClock } from '../../src/time/fake-clock.ts';
import { advanceWithTicks, nextTickAtMs } from '../../src/time/ticks.ts';

describe('ticks', () => {
  it('fall on the next whole multiple of the period', () => {
    expect(nextTickAtMs(0, 1000)).toBe(1000);
    expect(nextTickAtMs(999, 1000)).toBe(1000);
    expect(nextTickAtMs(1000, 1000)).toBe(2000);
    expect(nextTickAtMs(1_700_000_000_250, 1000)).toBe(1_700_000_001_000);
  });

  it('run at every multiple on the way, the target included, each awaited', async () => {
    const clock = new FakeClock(1_250);
    const seen: string[] = [];
    await advanceWithTicks(clock, 2_750, 1000, async () => {
      seen.push(`tick@${clock.now()}`);
      await Promise.resolve();
      seen.push(`done@${clock.now()}`);
    });
    expect(seen).toEqual([
      'tick@2000',
      'done@2000',
      'tick@3000',
      'done@3000',
      'tick@4000',
      'done@4000',
    ]);
    expect(clock.now()).toBe(4_000);
  });

  it('fire timers as the clock passes them, before the tick at the same instant', async () => {
    const clock = new FakeClock(0);
    const order: string[] = [];
    clock.schedule(1_500, () => order.push('timer@1500'));
    clock.schedule(2_000, () => order.push('timer@2000'));
    const tick = async (): Promise<void> => void order.push(`tick@${clock.now()}`);
    await advanceWithTicks(clock, 2_500, 1000, tick);
    expect(order).toEqual(['tick@1000', 'timer@1500', 'timer@2000', 'tick@2000']);
    expect(clock.now()).toBe(2_500);
  });

  it('run none when no multiple is reached', async () => {
    const clock = new FakeClock(1_001);
    let ticks = 0;
    await advanceWithTicks(clock, 998, 1000, async () => void ticks++);
    expect(ticks).toBe(0);
    expect(clock.now()).toBe(1_999);
  });
});
