import { AssertionError } from '../../domain/assert.ts';

const INITIAL_BUCKETS = 16;

/**
 * Below this many emptied buckets (every hold in them released early), they are simply left for
 * their expiry to pop.
 */
const COMPACT_MIN_EMPTY = 64;

/**
 * The holds of one key made with one duration, summed by the instant they expire: a FIFO of
 * (expiry, amount) buckets in a ring of two Float64Arrays. Backend time never goes back, so holds
 * of one duration arrive in expiry order: adding is O(1) (into the last bucket when the instant
 * is the same, as it is for every reserve of a busy millisecond) and so is expiring.
 *
 * Holds with the same expiry are interchangeable for the sums the contract needs (held, and what
 * comes free when), so a bucket need not know whose holds it sums. Releasing a hold early takes
 * its amount out of the bucket of its expiry, found by binary search (O(1) when it is the
 * newest). A bucket emptied that way stays until it expires; so that early releases of long
 * holds (a concurrency timeout can be 136 years) cannot pile up, emptied buckets are dropped
 * once they outnumber the others: memory stays within twice the buckets that hold something plus
 * COMPACT_MIN_EMPTY, at amortized O(1) a release.
 */
export class ExpiryBuckets {
  private expiries = new Float64Array(INITIAL_BUCKETS);
  private amounts = new Float64Array(INITIAL_BUCKETS);
  /** Ring index of the earliest bucket; the ring's length is a power of two. */
  private head = 0;
  private count = 0;
  private empty = 0;

  constructor(readonly durationMs: number) {}

  /** Buckets queued, emptied ones included. */
  get size(): number {
    return this.count;
  }

  /** The earliest expiry queued, Infinity if none. */
  get headExpiryMs(): number {
    return this.count === 0 ? Infinity : this.expiries[this.head]!;
  }

  /** The latest expiry queued, -Infinity if none. */
  get tailExpiryMs(): number {
    if (this.count === 0) return -Infinity;
    return this.expiries[(this.head + this.count - 1) & (this.expiries.length - 1)]!;
  }

  /** Adds `amount` expiring at `expiresAtMs`, which must be at or after the latest expiry. */
  add(amount: number, expiresAtMs: number): void {
    if (this.count > 0) {
      const tail = (this.head + this.count - 1) & (this.expiries.length - 1);
      const tailMs = this.expiries[tail]!;
      if (tailMs === expiresAtMs) {
        if (this.amounts[tail] === 0) this.empty--;
        this.amounts[tail]! += amount;
        return;
      }
      if (tailMs > expiresAtMs) {
        throw new AssertionError(`buckets: ${expiresAtMs} added after ${tailMs}`);
      }
    }

    if (this.count === this.expiries.length) this.grow();
    const at = (this.head + this.count) & (this.expiries.length - 1);
    this.expiries[at] = expiresAtMs;
    this.amounts[at] = amount;
    this.count++;
  }

  /** Drops every bucket that has expired at `nowMs` (expiry is inclusive); returns their sum. */
  expire(nowMs: number): number {
    const mask = this.expiries.length - 1;
    let freed = 0;
    while (this.count > 0 && this.expiries[this.head]! <= nowMs) {
      const amount = this.amounts[this.head]!;
      if (amount === 0) this.empty--;
      freed += amount;
      this.head = (this.head + 1) & mask;
      this.count--;
    }
    return freed;
  }

  /** Takes `amount` out of the bucket expiring at `expiresAtMs`, which must hold at least that. */
  release(amount: number, expiresAtMs: number): void {
    const at = this.find(expiresAtMs);
    if (at < 0 || this.amounts[at]! < amount) {
      throw new AssertionError(`buckets: no ${amount} expiring at ${expiresAtMs} to release`);
    }
    this.amounts[at]! -= amount;
    if (this.amounts[at] !== 0) return;

    this.empty++;
    if (this.empty > COMPACT_MIN_EMPTY && 2 * this.empty > this.count) this.dropEmpty();
  }

  /** The ring index of the bucket expiring at `expiresAtMs`, or -1. */
  private find(expiresAtMs: number): number {
    const mask = this.expiries.length - 1;
    const last = (this.head + this.count - 1) & mask;
    if (this.count > 0 && this.expiries[last] === expiresAtMs) return last;

    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.expiries[(this.head + mid) & mask]! < expiresAtMs) lo = mid + 1;
      else hi = mid;
    }
    const at = (this.head + lo) & mask;
    return lo < this.count && this.expiries[at] === expiresAtMs ? at : -1;
  }

  /** Removes the emptied buckets in place, keeping the others in order. */
  private dropEmpty(): void {
    const mask = this.expiries.length - 1;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) & mask;
      if (this.amounts[from] === 0) continue;
      const to = (this.head + kept) & mask;
      this.expiries[to] = this.expiries[from]!;
      this.amounts[to] = this.amounts[from]!;
      kept++;
    }
    this.count = kept;
    this.empty = 0;
  }

  /** Doubles the ring, the earliest bucket first. */
  private grow(): void {
    const length = 2 * this.expiries.length;
    const expiries = new Float64Array(length);
    const amounts = new Float64Array(length);
    const mask = this.expiries.length - 1;
    for (let i = 0; i < this.count; i++) {
      expiries[i] = this.expiries[(this.head + i) & mask]!;
      amounts[i] = this.amounts[(this.head + i) & mask]!;
    }
    this.expiries = expiries;
    this.amounts = amounts;
    this.head = 0;
  }
}
