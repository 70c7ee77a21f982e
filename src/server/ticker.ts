/**
 * Runs the backend's periodic work (pending decreases, purges) on the injected clock, at whole
 * multiples of the poll period so that every process ticks at the same instants. Ticks never
 * overlap: a scheduled tick that falls due while one is running or queued is skipped, and
 * `tick()` (which tests call with a FakeClock) waits for the one in progress and then runs.
 */
import type { Clock, TimerHandle } from '../time/clock.ts';
import { nextTickAtMs } from '../time/ticks.ts';

export class Ticker {
  private timer: TimerHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly periodMs: number,
    /** Must not throw: it logs and counts its own failures. */
    private readonly work: () => Promise<void>,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    const firstDelayMs = nextTickAtMs(this.clock.now(), this.periodMs) - this.clock.now();
    this.timer = this.clock.schedule(firstDelayMs, () => {
      if (this.stopped) return;
      this.onTimer();
      this.timer = this.clock.every(this.periodMs, () => this.onTimer());
    });
  }

  /**
   * Runs one tick, after any tick in progress; resolves when it is done. With none in progress
   * the work starts at once, so it reads the clock at the instant it was called for.
   */
  tick(): Promise<void> {
    const run = (): Promise<void> => this.work().finally(() => void this.queued--);
    const next = this.queued++ === 0 ? run() : this.chain.then(run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Stops scheduling and waits for the ticks already started. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.chain;
  }

  private onTimer(): void {
    if (this.stopped || this.queued > 0) return;
    void this.tick().catch(() => undefined);
  }
}
