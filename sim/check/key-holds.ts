import { MinHeap } from '../../src/backends/common/min-heap.ts';
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
  private readonly byExpiry = new MinHeap<ModelHold>((a, b) => a.expiresAtMs < b.expiresAtMs);

  get size(): number {
    return this.byExpiry.size;
  }

  add(hold: ModelHold): void {
    if (hold.amount === 0) return;
    this.byExpiry.push(hold);
    this.upper += hold.amount;
    if (hold.certain) this.lower += hold.amount;
  }

  /** Drops every hold with expiry at or before `nowMs`: release happens exactly at the boundary. */
  expire(nowMs: number): void {
    for (;;) {
      const head = this.byExpiry.peek();
      if (head === undefined || head.expiresAtMs > nowMs) return;
      this.byExpiry.pop();
      this.drop(head);
    }
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

  private drop(hold: ModelHold): void {
    if (!hold.live) return;
    hold.live = false;
    this.upper -= hold.amount;
    if (hold.certain) this.lower -= hold.amount;
  }
}
