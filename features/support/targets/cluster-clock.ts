import type { Clock, TimerHandle } from '../../../src/time/clock.ts';
import type { FakeClock } from '../../../src/time/fake-clock.ts';

/**
 * The simulated cluster's own clock. It follows the scenario's fake clock forward, but when the
 * limiter host's clock steps back it stays where it was: a real TigerBeetle replica keeps its
 * own monotonic time, whatever the clock of the process that calls it does.
 */
export class ClusterClock implements Clock {
  private highWaterMs: number;

  constructor(private readonly host: FakeClock) {
    this.highWaterMs = host.now();
  }

  now(): number {
    this.highWaterMs = Math.max(this.highWaterMs, this.host.now());
    return this.highWaterMs;
  }

  /** Call before the host clock steps back, so that the cluster keeps the time it had. */
  keepTime(): void {
    this.now();
  }

  schedule(delayMs: number, callback: () => void): TimerHandle {
    return this.host.schedule(delayMs, callback);
  }

  every(periodMs: number, callback: () => void): TimerHandle {
    return this.host.every(periodMs, callback);
  }
}
