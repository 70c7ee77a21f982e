import type { LimitView } from '../../src/domain/limits.ts';
import type { ReserveResponse } from '../../src/domain/requests.ts';
import type { RunObserver } from '../engine/run-stats.ts';

export interface MinuteCounts {
  minute: number;
  allowed: number;
  denied: number;
  refused: number;
}

export interface UsageSample {
  /** Milliseconds since the run started. */
  offsetMs: number;
  /** held / capacity per key, in the order of `Timeline.keys`. */
  held: number[];
  capacity: number[];
  /** Sum of every key's debt. */
  debt: bigint;
}

/**
 * What the HTML report draws, collected from the first target while a run goes: answers per
 * minute, and every key's read-out on ticks every `sampleEveryMs`. Memory grows with the run's
 * simulated span, not with its operations.
 */
export class Timeline implements RunObserver {
  readonly minutes: MinuteCounts[] = [];
  readonly samples: UsageSample[] = [];
  readonly keys: string[] = [];

  constructor(
    readonly startMs: number,
    readonly sampleEveryMs = 10_000,
  ) {}

  reserveAnswered(atMs: number, answer: ReserveResponse): void {
    const minute = Math.floor((atMs - this.startMs) / 60_000);
    while (this.minutes.length <= minute) {
      this.minutes.push({ minute: this.minutes.length, allowed: 0, denied: 0, refused: 0 });
    }
    const counts = this.minutes[minute]!;
    if (answer.allowed) counts.allowed++;
    else if (answer.error === '') counts.denied++;
    else counts.refused++;
  }

  sampled(atMs: number, views: ReadonlyMap<string, LimitView>): void {
    for (const key of views.keys()) if (!this.keys.includes(key)) this.keys.push(key);
    let debt = 0n;
    const held: number[] = [];
    const capacity: number[] = [];
    for (const key of this.keys) {
      const view = views.get(key);
      held.push(view?.usage.held ?? 0);
      capacity.push(view?.definition.capacity ?? 0);
      debt += view?.usage.debt ?? 0n;
    }
    this.samples.push({ offsetMs: atMs - this.startMs, held, capacity, debt });
  }
}
