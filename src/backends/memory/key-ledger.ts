import { AssertionError } from '../../domain/assert.ts';
import { Hold } from './hold.ts';
import { HoldQueue } from './hold-queue.ts';

/**
 * Compaction threshold: below this many released-early holds in the queue, they are simply left
 * for the lazy purge to pop when their original expiry comes.
 */
const COMPACT_MIN_RELEASED = 64;

/**
 * One key's holds and debt. `held` is a running sum kept exact by every change, so reading it
 * is O(1) after a purge; the queue orders holds by expiry so that purging is O(log n) a hold.
 *
 * Holds expire lazily: `purge(nowMs)` (called whenever the key is read, and on every tick) pops
 * each hold whose `expiresAtMs <= nowMs` and subtracts it. No timer per hold.
 *
 * A hold released early stays in the queue, marked released, until its expiry pops it. So that
 * early releases of long holds (a concurrency timeout can be 136 years) cannot pile up, the
 * queue is rebuilt once released entries outnumber live ones: memory stays within twice the live
 * holds plus COMPACT_MIN_RELEASED, at amortized O(1) a release.
 */
export class KeyLedger {
  /** The sum of amounts of live holds, as of the last purge. */
  held = 0;
  /** Overage recorded by completes on a key with overage `debt`; exact beyond 2^53 − 1. */
  debt = 0n;

  private readonly queue = new HoldQueue();
  private releasedInQueue = 0;

  constructor(readonly key: string) {}

  /** Entries in the expiry queue, released ones included (for memory accounting). */
  get queuedHolds(): number {
    return this.queue.size;
  }

  /** Stops counting every hold that has expired at `nowMs` (expiry is inclusive). */
  purge(nowMs: number): void {
    for (;;) {
      const head = this.queue.peek();
      if (head === undefined || head.expiresAtMs > nowMs) return;
      this.queue.pop();
      if (head.released) {
        this.releasedInQueue--;
      } else {
        head.released = true;
        this.held -= head.amount;
      }
    }
  }

  add(amount: number, expiresAtMs: number): Hold {
    const hold = new Hold(this, amount, expiresAtMs);
    this.queue.push(hold);
    this.held += amount;
    return hold;
  }

  /** Releases a hold before its expiry; a hold already released or expired is left alone. */
  release(hold: Hold): void {
    // Not assert(): its message would be built on every release.
    if (hold.ledger !== this) throw new AssertionError(`release: ${hold.key} hold on ${this.key}`);
    if (hold.released) return;

    hold.released = true;
    this.held -= hold.amount;
    this.releasedInQueue++;
    if (this.releasedInQueue > COMPACT_MIN_RELEASED && 2 * this.releasedInQueue > this.queue.size) {
      this.queue.keepOnly((h) => !h.released);
      this.releasedInQueue = 0;
    }
  }
}
