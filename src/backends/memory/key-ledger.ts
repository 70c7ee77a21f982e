import { AssertionError } from '../../domain/assert.ts';
import { ExpiryBuckets } from './expiry-buckets.ts';
import { LateHolds } from './late-holds.ts';

/**
 * One key's holds and debt. `held` is a running sum kept exact by every change, so reading it
 * is O(1) after a purge. Holds expire lazily: `purge(nowMs)` (called whenever the key is read,
 * and on every tick) drops each hold whose expiry is at or before `nowMs` and subtracts it. No
 * timer per hold, and no object per hold either:
 *
 * - A reserve's holds go to the ExpiryBuckets of their duration. A key's holds all have one
 *   duration until a put changes its window or timeout, so there is one set of buckets, two for a
 *   while after such a change. A lease's hold is released early by its amount, expiry and
 *   duration (its expiry minus its reserve instant), which the lease record keeps.
 * - A complete's holds (a shrunk hold made again, an extra hold) are never released early. They
 *   join the newest buckets when that keeps the buckets in order, else a heap (LateHolds).
 */
export class KeyLedger {
  /** The sum of amounts of live holds, as of the last purge. */
  held = 0;
  /** Overage recorded by completes on a key with overage `debt`; exact beyond 2^53 − 1. */
  debt = 0n;

  /** Buckets by duration, the one reserves used last at the end. */
  private readonly byDuration: ExpiryBuckets[] = [];
  private readonly late = new LateHolds();
  /** No hold expires before this, so a purge before it has nothing to do. */
  private nextExpiryMs = Infinity;

  constructor(readonly key: string) {}

  /** Entries in the expiry queues: buckets (emptied ones not yet dropped included), late holds. */
  get queuedHolds(): number {
    let count = this.late.size;
    for (const buckets of this.byDuration) count += buckets.size;
    return count;
  }

  /** Stops counting every hold that has expired at `nowMs` (expiry is inclusive). */
  purge(nowMs: number): void {
    if (nowMs < this.nextExpiryMs) return;

    const byDuration = this.byDuration;
    let nextMs = Infinity;
    for (let i = byDuration.length - 1; i >= 0; i--) {
      const buckets = byDuration[i]!;
      this.held -= buckets.expire(nowMs);
      // Buckets of a duration no longer in use go once they are empty.
      if (buckets.size === 0 && i < byDuration.length - 1) byDuration.splice(i, 1);
      else nextMs = Math.min(nextMs, buckets.headExpiryMs);
    }
    this.held -= this.late.expire(nowMs);
    this.nextExpiryMs = Math.min(nextMs, this.late.headExpiryMs);
  }

  /**
   * A reserve's hold of `amount` for `durationMs` from `nowMs`, which is at or after every
   * earlier `nowMs` given to this ledger. Returns when it expires.
   */
  hold(amount: number, durationMs: number, nowMs: number): number {
    const expiresAtMs = nowMs + durationMs;
    this.bucketsFor(durationMs).add(amount, expiresAtMs);
    this.held += amount;
    if (expiresAtMs < this.nextExpiryMs) this.nextExpiryMs = expiresAtMs;
    return expiresAtMs;
  }

  /**
   * Releases, before its expiry, a hold that `hold` made: the caller has purged the ledger at
   * its current instant and found `expiresAtMs` still ahead.
   */
  release(amount: number, expiresAtMs: number, durationMs: number): void {
    const buckets = this.findBuckets(durationMs);
    if (buckets === undefined) {
      throw new AssertionError(`release: no ${durationMs} ms holds on ${this.key}`);
    }
    buckets.release(amount, expiresAtMs);
    this.held -= amount;
  }

  /** A complete's hold of `amount` until `expiresAtMs` (after `nowMs`); never released early. */
  holdLate(amount: number, expiresAtMs: number, nowMs: number): void {
    // Joining the newest buckets must leave room for the reserves still to come: they expire
    // at nowMs + durationMs or later.
    const newest = this.byDuration[this.byDuration.length - 1];
    if (
      newest !== undefined &&
      newest.tailExpiryMs <= expiresAtMs &&
      expiresAtMs <= nowMs + newest.durationMs
    ) {
      newest.add(amount, expiresAtMs);
    } else {
      this.late.add(amount, expiresAtMs);
    }
    this.held += amount;
    if (expiresAtMs < this.nextExpiryMs) this.nextExpiryMs = expiresAtMs;
  }

  /** The buckets for `durationMs`, made the newest. */
  private bucketsFor(durationMs: number): ExpiryBuckets {
    const byDuration = this.byDuration;
    const newest = byDuration[byDuration.length - 1];
    if (newest !== undefined && newest.durationMs === durationMs) return newest;

    // The duration changed (a put): reuse its buckets if some are left, else start new ones.
    let buckets = this.findBuckets(durationMs);
    if (buckets === undefined) buckets = new ExpiryBuckets(durationMs);
    else byDuration.splice(byDuration.indexOf(buckets), 1);
    byDuration.push(buckets);
    return buckets;
  }

  private findBuckets(durationMs: number): ExpiryBuckets | undefined {
    for (const buckets of this.byDuration) if (buckets.durationMs === durationMs) return buckets;
    return undefined;
  }
}
