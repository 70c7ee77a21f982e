import { MinHeap } from './min-heap.ts';

/** No slot: the end of a run, or nothing due. */
export const NO_SLOT = -1;

/** Slots filed with the same offset from a nondecreasing base: a FIFO, linked through `next`. */
interface Run {
  offsetMs: number;
  head: number;
  tail: number;
}

/**
 * Lease slots by the instant they may be forgotten, for the LeaseBook. A slot is filed once and
 * comes out once, exactly when its instant is due.
 *
 * Most slots are due at a fixed offset from a time that only moves forward (a denial at now +
 * retention, a lease at its reserve instant + longest window + retention), so slots with the same
 * offset come due in the order they were filed: one FIFO ("run") per offset, linked through a
 * typed array, costs no allocation and O(1) a slot. A heap of runs, ordered by their heads, finds
 * the next due slot; there are as many runs as distinct offsets in use (a handful). A slot that
 * fits no run's order (a lease completed after its holds expired is filed again) goes to a heap.
 */
export class ForgetQueue {
  /** The next slot in the same run, by slot. */
  private next = new Int32Array(0);
  /** The instant a filed slot comes due, by slot. */
  private dueMs = new Float64Array(0);

  private readonly runs = new Map<number, Run>();
  private lastRun: Run | undefined;
  private readonly runsByHead = new MinHeap<Run>(
    (a, b) => this.dueMs[a.head]! < this.dueMs[b.head]!,
  );
  private readonly strays = new MinHeap<number>((a, b) => this.dueMs[a]! < this.dueMs[b]!);

  /** Makes room for slots below `capacity`. */
  grow(capacity: number): void {
    if (capacity <= this.next.length) return;
    const next = new Int32Array(capacity);
    next.set(this.next);
    const dueMs = new Float64Array(capacity);
    dueMs.set(this.dueMs);
    this.next = next;
    this.dueMs = dueMs;
  }

  /**
   * Files `slot` to come due at `dueMs` = `baseMs` + offset. Slots filed with the same offset
   * should come with nondecreasing `baseMs`; one that does not is still filed correctly (as a
   * stray), only more slowly.
   */
  file(slot: number, dueMs: number, baseMs: number): void {
    this.dueMs[slot] = dueMs;
    this.next[slot] = NO_SLOT;
    const offsetMs = dueMs - baseMs;

    let run = this.lastRun;
    if (run === undefined || run.offsetMs !== offsetMs) {
      run = this.runs.get(offsetMs);
      if (run === undefined) {
        run = { offsetMs, head: NO_SLOT, tail: NO_SLOT };
        this.runs.set(offsetMs, run);
      }
      this.lastRun = run;
    }

    if (run.head === NO_SLOT) {
      run.head = slot;
      run.tail = slot;
      this.runsByHead.push(run);
    } else if (this.dueMs[run.tail]! <= dueMs) {
      this.next[run.tail] = slot;
      run.tail = slot;
    } else {
      this.strays.push(slot);
    }
  }

  /** Files `slot` to come due at `dueMs`, whatever else is filed. */
  fileStray(slot: number, dueMs: number): void {
    this.dueMs[slot] = dueMs;
    this.strays.push(slot);
  }

  /** Takes out one slot due at or before `nowMs`, or returns NO_SLOT if none is due. */
  popDue(nowMs: number): number {
    const run = this.runsByHead.peek();
    const stray = this.strays.peek();
    const runDueMs = run === undefined ? Infinity : this.dueMs[run.head]!;
    const strayDueMs = stray === undefined ? Infinity : this.dueMs[stray]!;

    if (strayDueMs < runDueMs) {
      if (strayDueMs > nowMs) return NO_SLOT;
      this.strays.pop();
      return stray!;
    }
    if (runDueMs > nowMs) return NO_SLOT;

    // The run's head moves on: an emptied run goes; one among others takes its new place.
    const slot = run!.head;
    run!.head = this.next[slot]!;
    if (run!.head === NO_SLOT) {
      this.runsByHead.pop();
      this.runs.delete(run!.offsetMs);
      if (this.lastRun === run) this.lastRun = undefined;
    } else if (this.runsByHead.size > 1) {
      this.runsByHead.pop();
      this.runsByHead.push(run!);
    }
    return slot;
  }

  clear(): void {
    this.runs.clear();
    this.lastRun = undefined;
    while (this.runsByHead.pop() !== undefined);
    while (this.strays.pop() !== undefined);
  }
}
