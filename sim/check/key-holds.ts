import type { LimitKind } from '../../src/domain/limits.ts';

/**
 * One hold as the reference model knows it. A `certain` hold must be counted by the backend;
 * an uncertain one may or may not be (a fault left it unknown whether it was made or released).
 * A class, so that every hold has one shape and the expiry heap stays fast.
 */
export class ModelHold {
  live = true;

  constructor(
    readonly key: string,
    readonly kind: LimitKind,
    /** The amount reserved, before any complete changed the lease's holds. */
    readonly reservedAmount: number,
    /** How long the reserve's hold lasts, as defined when it was sent. */
    readonly durationMs: number,
    public amount: number,
    public expiresAtMs: number,
    public certain: boolean,
  ) {}

  /** A new hold of the same lease and key, e.g. what a complete re-reserves. */
  derive(amount: number, expiresAtMs: number, certain: boolean): ModelHold {
    const { key, kind, reservedAmount, durationMs } = this;
    return new ModelHold(key, kind, reservedAmount, durationMs, amount, expiresAtMs, certain);
  }
}

/**
 * The holds on one key, as bounds: `lower` sums the certain live holds, `upper` every live hold.
 * Without faults the two are equal and the model knows held(key, t) exactly. Holds expire in
 * expiry order from a heap, so the cost is O(log n) per hold and memory follows the live holds.
 */
export class KeyHolds {
  lower = 0;
  upper = 0;
  /**
   * A binary min-heap by expiry, written out rather than the generic MinHeap: a comparator
   * closure shared by every heap of the program cost more than the sifting on this hot path.
   */
  private readonly byExpiry: ModelHold[] = [];

  get size(): number {
    return this.byExpiry.length;
  }

  add(hold: ModelHold): void {
    if (hold.amount === 0) return;
    this.push(hold);
    this.upper += hold.amount;
    if (hold.certain) this.lower += hold.amount;
  }

  /** Drops every hold with expiry at or before `nowMs`: release happens exactly at the boundary. */
  expire(nowMs: number): void {
    const heap = this.byExpiry;
    while (heap.length > 0 && heap[0]!.expiresAtMs <= nowMs) this.drop(this.popHead());
  }

  /** Releases a hold now (complete); a hold already released or expired is left alone. */
  release(hold: ModelHold): void {
    this.drop(hold);
  }

  /** The hold stops being certain: it may already have been released. */
  loosen(hold: ModelHold): void {
    if (!hold.live || !hold.certain) return;
    hold.certain = false;
    this.lower -= hold.amount;
  }

  private push(hold: ModelHold): void {
    const heap = this.byExpiry;
    const expiresAtMs = hold.expiresAtMs;
    let i = heap.length;
    heap.push(hold);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!(expiresAtMs < above.expiresAtMs)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = hold;
  }

  private popHead(): ModelHold {
    const heap = this.byExpiry;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return top;
    const expiresAtMs = last.expiresAtMs;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.expiresAtMs < heap[child]!.expiresAtMs) child++;
      if (!(heap[child]!.expiresAtMs < expiresAtMs)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  private drop(hold: ModelHold): void {
    if (!hold.live) return;
    hold.live = false;
    this.upper -= hold.amount;
    if (hold.certain) this.lower -= hold.amount;
  }
}
