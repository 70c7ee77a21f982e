/**
 * The system clock is monotonic and chains long waits. Vitest's fake timers stand in for the
 * host clock and Node's timers, so no real time passes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { SystemClock } from '../../src/time/system-clock.ts';

describe('SystemClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stands still while the host clock is behind', () => {
    const clock = new SystemClock();
    expect(clock.now()).toBe(1_700_000_000_000);
    vi.setSystemTime(1_699_999_990_000);
    expect(clock.now()).toBe(1_700_000_000_000);
    vi.setSystemTime(1_700_000_000_500);
    expect(clock.now()).toBe(1_700_000_000_500);
  });

  it('waits longer than one Node timer can (2^31 - 1 ms) by chaining', () => {
    const clock = new SystemClock();
    const delayMs = 2 ** 31 + 5_000;
    let firedAt: number | undefined;
    clock.schedule(delayMs, () => (firedAt = clock.now()));

    vi.advanceTimersByTime(delayMs - 1);
    expect(firedAt).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(firedAt).toBe(1_700_000_000_000 + delayMs);
  });

  it('runs `every` once a period and stops when cancelled', () => {
    const clock = new SystemClock();
    let count = 0;
    const handle = clock.every(1000, () => count++);
    vi.advanceTimersByTime(3_000);
    expect(count).toBe(3);
    handle.cancel();
    vi.advanceTimersByTime(3_000);
    expect(count).toBe(3);
  });
});
