/** A handle to cancel something scheduled on a clock. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The only way anything in this project learns the time or waits. Backends, the server and the
 * simulator are handed a Clock; only process entry points create a SystemClock.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch; never decreases. */
  now(): number;

  /** Runs `callback` once, `delayMs` from now (0 means as soon as the clock allows). */
  schedule(delayMs: number, callback: () => void): TimerHandle;

  /** Runs `callback` every `periodMs`, first `periodMs` from now, until cancelled. */
  every(periodMs: number, callback: () => void): TimerHandle;
}

/** Resolves after `delayMs` on the given clock. */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.schedule(delayMs, resolve);
  });
}
