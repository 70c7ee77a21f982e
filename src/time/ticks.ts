import type { FakeClock } from './fake-clock.ts';

/**
 * Ticks fall on whole multiples of the poll period (t = k · periodMs), so every backend, the
 * server and the simulator tick at the same instants whatever time they started.
 */
export function nextTickAtMs(nowMs: number, periodMs: number): number {
  return (Math.floor(nowMs / periodMs) + 1) * periodMs;
}

/**
 * Moves a fake clock forward by `ms`, stopping at every tick instant on the way (the target
 * included) to run and await `onTick`. Timers due on the way fire as the clock passes them.
 */
export async function advanceWithTicks(
  clock: FakeClock,
  ms: number,
  periodMs: number,
  onTick: () => Promise<void>,
): Promise<void> {
  const targetMs = clock.now() + ms;
  for (let at = nextTickAtMs(clock.now(), periodMs); at <= targetMs; at += periodMs) {
    clock.set(at);
    await onTick();
  }
  clock.set(targetMs);
}
