import type { FakeClock } from '../../src/time/fake-clock.ts';

/** Lets every queued microtask run; the entry point supplies a macrotask (setImmediate). */
export type WaitForQuiet = () => Promise<void>;

/** The backend never answered: nothing was left to run and no timer was due. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

/** Microtask turns tried before the slower wait: enough for an answer that needs no timer. */
const QUICK_TURNS = 32;

/**
 * Awaits `work` on a simulated clock without moving time unless the work itself waits on the
 * clock. Without faults a backend answers within a few microtask turns and time stands still
 * (batching must not move time). If the work is still pending once every microtask has run, it
 * can only be waiting for a timer (a cluster that is down, a bounded wait): the clock jumps to the
 * next due timer, and so on until the work settles. A pending work with no timer due is a hang.
 */
export async function settleOnClock<T>(
  clock: FakeClock,
  work: Promise<T>,
  waitForQuiet: WaitForQuiet,
): Promise<T> {
  const watch = { done: false };
  // Inline reactions: a named closure costs more than the work on the hot path.
  work.then(
    () => void (watch.done = true),
    () => void (watch.done = true),
  );

  for (let i = 0; i < QUICK_TURNS && !watch.done; i++) await null;
  while (!watch.done) {
    await waitForQuiet();
    if (watch.done) break;
    const dueMs = clock.nextDueMs();
    if (dueMs === undefined) throw new NoAnswerError('no answer, and no timer left to wait for');
    clock.set(Math.max(dueMs, clock.now()));
  }
  return work;
}

/** A fallback quiet wait made of microtask turns only, for callers without a macrotask. */
export const microtaskQuiet: WaitForQuiet = async () => {
  for (let i = 0; i < 10_000; i++) await null;
};
