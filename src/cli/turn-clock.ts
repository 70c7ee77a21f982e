/**
 * A clock whose reading holds still for one synchronous step: every `now()` until the next
 * microtask checkpoint returns the same instant. The server reads the time of a request for
 * its trace in the same step in which it hands the request to the backend, so with this clock
 * the trace's `at_ms` is exactly the instant the backend decided at (a bare system clock can
 * cross a millisecond boundary in between).
 */
import type { Clock, TimerHandle } from '../time/clock.ts';

export class TurnClock implements Clock {
  private held: number | undefined;

  constructor(private readonly inner: Clock) {}

  now(): number {
    if (this.held === undefined) {
      this.held = this.inner.now();
      queueMicrotask(() => {
        this.held = undefined;
      });
    }
    return this.held;
  }

  schedule(delayMs: number, callback: () => void): TimerHandle {
    return this.inner.schedule(delayMs, callback);
  }

  every(periodMs: number, callback: () => void): TimerHandle {
    return this.inner.every(periodMs, callback);
  }
}
