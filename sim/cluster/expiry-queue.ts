import { MinHeap } from '../../src/backends/common/min-heap.ts';
import { assert } from '../../src/domain/assert.ts';
import type { TransferRecord } from './ledger-state.ts';
import { NS_PER_MS } from './numbers.ts';

interface Expiry {
  /** The millisecond at which the transfer counts as expired: ⌊expiresAtNs / 1e6⌋. */
  readonly dueMs: number;
  /** Order of creation, which is timestamp order. */
  readonly sequence: number;
  readonly record: TransferRecord;
}

/**
 * Pending transfers with a timeout, ordered by when they expire (ties by creation timestamp, so
 * releases happen in TigerBeetle's order). O(log n) push and pop.
 */
export class ExpiryQueue {
  private readonly heap = new MinHeap<Expiry>(
    (a, b) =>
      a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.sequence < b.sequence),
  );
  private sequence = 0;

  get size(): number {
    return this.heap.size;
  }

  push(record: TransferRecord): void {
    assert(record.expiresAtNs !== null, 'ExpiryQueue.push: transfer never expires');
    const dueMs = Number(record.expiresAtNs / NS_PER_MS);
    this.heap.push({ dueMs, sequence: this.sequence++, record });
  }

  /** Removes and returns the next entry due at or before `nowMs`, if any. */
  popDue(nowMs: number): TransferRecord | undefined {
    const head = this.heap.peek();
    if (head === undefined || head.dueMs > nowMs) return undefined;
    this.heap.pop();
    return head.record;
  }
}
