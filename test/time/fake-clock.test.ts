/** The fake clock: nothing moves until told; timers fire in time order, ties in set order. */
import { describe, expect, it } from 'vitest';

import { sleep } from '../../src/time/clock.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';

describe('FakeClock', () => {
  it('starts where it is told and moves only on advance or set', () => {
    const clock = new FakeClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.set(5_000);
    expect(clock.now()).toBe(5_000);
  });

  it('fires timers in time order, ties in scheduling order, each at its own instant', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const note = (name: string) => () => fired.push(`${name}@${clock.now()}`);
    clock.schedule(30, note('c'));
    clock.schedule(10, note('a1'));
    clock.schedule(20, note('b'));
    clock.schedule(10, note('a2'));
    clock.schedule(10, note('a3'));

    clock.advance(25);
    expect(fired).toEqual(['a1@10', 'a2@10', 'a3@10', 'b@20']);
    expect(clock.now()).toBe(25);
    clock.advance(5);
    expect(fired.at(-1)).toBe('c@30');
  });

  it('fires a timer set from a callback when its instant is reached in the same advance', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.schedule(10, () => {
      fired.push(clock.now());
      clock.schedule(0, () => fired.push(clock.now()));
      clock.schedule(5, () => fired.push(clock.now()));
    });
    clock.advance(100);
    expect(fired).toEqual([10, 10, 15]);
  });

  it('does not fire a cancelled timer', () => {
    const clock = new FakeClock(0);
    let fired = false;
    const handle = clock.schedule(10, () => (fired = true));
    expect(clock.pendingTimers()).toBe(1);
    handle.cancel();
    expect(clock.pendingTimers()).toBe(0);
    expect(clock.nextDueMs()).toBeUndefined();
    clock.advance(20);
    expect(fired).toBe(false);
  });

  it('runs `every` at each whole period until cancelled', () => {
    const clock = new FakeClock(100);
    const ticks: number[] = [];
    const handle = clock.every(1000, () => ticks.push(clock.now()));
    clock.advance(3_500);
    expect(ticks).toEqual([1_100, 2_100, 3_100]);
    expect(clock.nextDueMs()).toBe(4_100);
    handle.cancel();
    clock.advance(5_000);
    expect(ticks).toHaveLength(3);
  });

  it('set forward fires due timers; set backward only moves time back', () => {
    const clock = new FakeClock(1_000);
    const fired: number[] = [];
    clock.schedule(500, () => fired.push(clock.now()));
    clock.set(2_000);
    expect(fired).toEqual([1_500]);

    clock.schedule(100, () => fired.push(clock.now()));
    clock.set(1_200);
    expect(clock.now()).toBe(1_200);
    expect(fired).toEqual([1_500]);
    clock.set(2_100);
    expect(fired).toEqual([1_500, 2_100]);
  });

  it('refuses a negative advance and a bad start', () => {
    expect(() => new FakeClock(0).advance(-1)).toThrow('advance');
    expect(() => new FakeClock(-5)).toThrow('startMs');
  });

  it('resolves sleep when the clock passes the delay', async () => {
    const clock = new FakeClock(0);
    let done = false;
    const slept = sleep(clock, 50).then(() => (done = true));
    clock.advance(49);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await slept;
    expect(done).toBe(true);
  });
});
