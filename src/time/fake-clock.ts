import { assert } from '../domain/assert.ts';
import type { Clock, TimerHandle } from './clock.ts';

interface Timer {
  dueMs: number;
  /** Order of scheduling: timers due at the same instant fire in the order they were set. */
  sequence: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * Simulated time. Nothing moves unless `advance` or `set` is called; due timers then fire in
 * time order (ties in scheduling order), each seeing `now()` equal to its own due time.
 */
export class FakeClock implements Clock {
  private nowMs: number;
  private sequence = 0;
  private readonly timers: Timer[] = [];

  constructor(startMs = 0) {
    assert(Number.isSafeInteger(startMs) && startMs >= 0, `startMs: bad value ${startMs}`);
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  schedule(delayMs: number, callback: () => void): TimerHandle {
    const timer: Timer = {
      dueMs: this.nowMs + Math.max(0, Math.ceil(delayMs)),
      sequence: this.sequence++,
      callback,
      cancelled: false,
    };
    this.insert(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  every(periodMs: number, callback: () => void): TimerHandle {
    assert(periodMs > 0, `periodMs: must be positive, got ${periodMs}`);
    let current: TimerHandle | undefined;
    let active = true;

    const arm = (): void => {
      current = this.schedule(periodMs, () => {
        if (!active) return;
        callback();
        if (active) arm();
      });
    };
    arm();

    return {
      cancel: () => {
        active = false;
        current?.cancel();
      },
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    assert(Number.isFinite(ms) && ms >= 0, `advance: ms must be >= 0, got ${ms}`);
    this.runUntil(this.nowMs + ms);
  }

  /**
   * Jumps to `ms`. Forward, due timers fire on the way. Backward, time is simply set: tests use
   * this to show how backends react to a clock that steps back.
   */
  set(ms: number): void {
    assert(Number.isSafeInteger(ms) && ms >= 0, `set: bad value ${ms}`);
    if (ms >= this.nowMs) this.runUntil(ms);
    else this.nowMs = ms;
  }

  /** When the earliest live timer is due, if any. */
  nextDueMs(): number | undefined {
    this.dropCancelledHead();
    return this.timers[0]?.dueMs;
  }

  /** How many live timers are waiting. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private runUntil(targetMs: number): void {
    for (;;) {
      this.dropCancelledHead();
      const head = this.timers[0];
      if (head === undefined || head.dueMs > targetMs) break;
      this.timers.shift();
      this.nowMs = Math.max(this.nowMs, head.dueMs);
      head.callback();
    }
    this.nowMs = Math.max(this.nowMs, targetMs);
  }

  private dropCancelledHead(): void {
    while (this.timers[0]?.cancelled) this.timers.shift();
  }

  private insert(timer: Timer): void {
    // Binary search for the first timer that sorts after this one; timer counts stay small.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.timers[mid]!;
      const sameInstant = other.dueMs === timer.dueMs;
      const after = other.dueMs > timer.dueMs || (sameInstant && other.sequence > timer.sequence);
      if (after) hi = mid;
      else lo = mid + 1;
    }
    this.timers.splice(lo, 0, timer);
  }
}
