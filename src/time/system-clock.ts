import type { Clock, TimerHandle } from './clock.ts';

/** Node timers overflow past 2^31 − 1 ms (about 24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The host clock, made monotonic: if the host steps back, time stands still until it catches up.
 * Long waits are re-armed from timestamps, so no single timer holds a long duration.
 */
export class SystemClock implements Clock {
  private last = 0;

  now(): number {
    const host = Date.now();
    if (host > this.last) this.last = host;
    return this.last;
  }

  schedule(delayMs: number, callback: () => void): TimerHandle {
    const dueMs = this.now() + Math.max(0, delayMs);
    let timer: NodeJS.Timeout | undefined;

    const arm = (): void => {
      const remaining = dueMs - this.now();
      if (remaining <= 0) {
        timer = undefined;
        callback();
        return;
      }
      timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    };
    arm();

    return {
      cancel: () => {
        if (timer !== undefined) clearTimeout(timer);
      },
    };
  }

  every(periodMs: number, callback: () => void): TimerHandle {
    if (!(periodMs > 0)) throw new RangeError(`periodMs: must be positive, got ${periodMs}`);
    let current: TimerHandle | undefined;
    let active = true;
    let nextDueMs = this.now() + periodMs;

    const loop = (): void => {
      current = this.schedule(nextDueMs - this.now(), () => {
        if (!active) return;
        nextDueMs += periodMs;
        // Skip periods missed while the process was stalled rather than firing a burst.
        const now = this.now();
        if (nextDueMs <= now) nextDueMs = now + periodMs;
        callback();
        if (active) loop();
      });
    };
    loop();

    return {
      cancel: () => {
        active = false;
        current?.cancel();
      },
    };
  }
}
