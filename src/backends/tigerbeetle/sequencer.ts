/** How an operation may overlap with others. */
export interface Sequencing {
  /** Operations of one lease never overlap: each sees what the one before it did. */
  leaseId?: string;
  /** Runs alone: after everything started before it, before anything submitted after it. */
  exclusive?: boolean;
}

interface Pending {
  sequencing: Sequencing;
  start: () => void;
}

/**
 * Starts backend operations in the order they were called, so that the ledger sees them in the
 * order the memory backend would run them one after another.
 *
 * An operation starts (runs its synchronous part: replay check, prechecks, queueing its
 * transfers) as soon as everything before it has started and it conflicts with nothing still
 * running. A conflict (another operation of the same lease, or an exclusive one) stops the line
 * until it clears: nothing overtakes a waiting operation, because its effect on capacity could
 * change the answers of the ones behind it.
 */
export class Sequencer {
  private queue: Pending[] = [];
  private head = 0;
  private running = 0;
  private exclusiveRunning = false;
  private readonly leases = new Map<string, number>();
  private pumping = false;

  /** Operations started and not yet finished, plus those waiting to start. */
  get size(): number {
    return this.running + (this.queue.length - this.head);
  }

  run<T>(sequencing: Sequencing, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        let done: Promise<T>;
        try {
          done = work();
        } catch (error) {
          done = Promise.reject(error);
        }
        // Finish first, so that operations waiting behind this one start before its caller
        // resumes: their transfers join the same request as anything the caller does next.
        done.then(
          (value) => {
            this.finish(sequencing);
            resolve(value);
          },
          (error: unknown) => {
            this.finish(sequencing);
            reject(error);
          },
        );
      };
      this.queue.push({ sequencing, start });
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.head < this.queue.length) {
        const next = this.queue[this.head]!;
        if (!this.mayStart(next.sequencing)) break;
        this.head++;
        this.begin(next.sequencing);
        next.start();
      }
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
    } finally {
      this.pumping = false;
    }
  }

  private mayStart(sequencing: Sequencing): boolean {
    if (this.exclusiveRunning) return false;
    if (sequencing.exclusive) return this.running === 0;
    return sequencing.leaseId === undefined || !this.leases.has(sequencing.leaseId);
  }

  private begin(sequencing: Sequencing): void {
    this.running++;
    if (sequencing.exclusive) this.exclusiveRunning = true;
    const lease = sequencing.leaseId;
    if (lease !== undefined) this.leases.set(lease, (this.leases.get(lease) ?? 0) + 1);
  }

  private finish(sequencing: Sequencing): void {
    this.running--;
    if (sequencing.exclusive) this.exclusiveRunning = false;
    const lease = sequencing.leaseId;
    if (lease !== undefined) {
      const count = (this.leases.get(lease) ?? 1) - 1;
      if (count === 0) this.leases.delete(lease);
      else this.leases.set(lease, count);
    }
    this.pump();
  }
}
