import type { Hold } from './hold.ts';

/** A consumed FIFO prefix longer than this (and than half the FIFO) is cut off. */
const FIFO_TRIM_MIN = 1024;

/**
 * Holds ordered by expiry. Holds on one key mostly arrive in expiry order (one window per key),
 * so they go to a FIFO: O(1) in and out. A hold that would break the FIFO's order (a re-reserve
 * after a complete, a window shortened by a put) goes to a binary min-heap instead. The earliest
 * hold is the earlier of the two heads.
 */
export class HoldQueue {
  private fifo: Hold[] = [];
  private fifoHead = 0;
  private heap: Hold[] = [];

  get size(): number {
    return this.fifo.length - this.fifoHead + this.heap.length;
  }

  peek(): Hold | undefined {
    const first = this.fifo[this.fifoHead];
    const top = this.heap[0];
    if (first === undefined) return top;
    if (top === undefined) return first;
    return top.expiresAtMs < first.expiresAtMs ? top : first;
  }

  push(hold: Hold): void {
    const fifo = this.fifo;
    if (fifo.length === this.fifoHead || fifo[fifo.length - 1]!.expiresAtMs <= hold.expiresAtMs) {
      fifo.push(hold);
    } else {
      this.heapPush(hold);
    }
  }

  /** Removes the hold `peek()` returns. */
  pop(): Hold | undefined {
    const first = this.fifo[this.fifoHead];
    const top = this.heap[0];
    if (top !== undefined && (first === undefined || top.expiresAtMs < first.expiresAtMs)) {
      return this.heapPop();
    }
    if (first === undefined) return undefined;

    this.fifoHead++;
    if (this.fifoHead === this.fifo.length) {
      this.fifo = [];
      this.fifoHead = 0;
    } else if (this.fifoHead > FIFO_TRIM_MIN && 2 * this.fifoHead > this.fifo.length) {
      this.fifo = this.fifo.slice(this.fifoHead);
      this.fifoHead = 0;
    }
    return first;
  }

  /** Drops every hold that fails `keep` (O(n)); filtering keeps the FIFO in order. */
  keepOnly(keep: (hold: Hold) => boolean): void {
    this.fifo = this.fifo.slice(this.fifoHead).filter(keep);
    this.fifoHead = 0;
    this.heap = this.heap.filter(keep);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.heap[i]!);
  }

  private heapPush(hold: Hold): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(hold);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (above.expiresAtMs <= hold.expiresAtMs) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = hold;
  }

  private heapPop(): Hold | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) this.siftDown(0, last);
    return top;
  }

  /** Moves a hole down from `start` until `hold` fits there. */
  private siftDown(start: number, hold: Hold): void {
    const heap = this.heap;
    const n = heap.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && heap[right]!.expiresAtMs < heap[child]!.expiresAtMs) child = right;
      if (heap[child]!.expiresAtMs >= hold.expiresAtMs) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = hold;
  }
}
