import { assert } from '../../src/domain/assert.ts';
import type { TransferRecord } from './ledger-state.ts';
import { NS_PER_MS } from './numbers.ts';

/**
 * Pending transfers with a timeout, ordered by when they expire (ties by creation timestamp, so
 * releases happen in TigerBeetle's order). O(log n) push and pop.
 *
 * A binary min-heap kept in parallel arrays with the order written inline, rather than the
 * generic MinHeap: it is on the path of every request and lookup, and a comparator closure
 * shared by every heap of the program costs more than the sifting itself.
 */
export class ExpiryQueue {
  /** The millisecond at which each transfer counts as expired: ⌊expiresAtNs / 1e6⌋. */
  private readonly dueMs: number[] = [];
  /** Order of creation, which is timestamp order. */
  private readonly sequences: number[] = [];
  private readonly records: TransferRecord[] = [];
  private sequence = 0;

  get size(): number {
    return this.records.length;
  }

  push(record: TransferRecord): void {
    assert(record.expiresAtNs !== null, 'ExpiryQueue.push: transfer never expires');
    const due = Number(record.expiresAtNs / NS_PER_MS);
    const sequence = this.sequence++;
    const { dueMs, sequences, records } = this;

    let i = records.length;
    dueMs.push(due);
    sequences.push(sequence);
    records.push(record);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = dueMs[parent]!;
      if (!(due < above || (due === above && sequence < sequences[parent]!))) break;
      dueMs[i] = above;
      sequences[i] = sequences[parent]!;
      records[i] = records[parent]!;
      i = parent;
    }
    dueMs[i] = due;
    sequences[i] = sequence;
    records[i] = record;
  }

  /** Removes and returns the next entry due at or before `nowMs`, if any. */
  popDue(nowMs: number): TransferRecord | undefined {
    const { dueMs, sequences, records } = this;
    if (records.length === 0 || dueMs[0]! > nowMs) return undefined;
    const top = records[0]!;

    const due = dueMs.pop()!;
    const sequence = sequences.pop()!;
    const last = records.pop()!;
    const n = records.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        (dueMs[right]! < dueMs[child]! ||
          (dueMs[right] === dueMs[child] && sequences[right]! < sequences[child]!))
      ) {
        child = right;
      }
      const d = dueMs[child]!;
      if (!(d < due || (d === due && sequences[child]! < sequence))) break;
      dueMs[i] = d;
      sequences[i] = sequences[child]!;
      records[i] = records[child]!;
      i = child;
    }
    dueMs[i] = due;
    sequences[i] = sequence;
    records[i] = last;
    return top;
  }
}
