import { MinHeap } from '../common/min-heap.ts';

/**
 * Leases whose reserve this process answered `backend_error`: the ledger may have applied their
 * chain all the same (late). If a replay later finds the chain on the ledger, this process
 * takes the ledger's word and remembers the lease as allowed, as the answer it then gives.
 * Leases from before a restart are not here: for them the ledger stays the only record, and a
 * complete frees nothing (SEMANTICS, Faults).
 *
 * Bounded like the lease book: an entry is forgotten at the instant given when it was added.
 */
export class UnsureLeases {
  private readonly forgetAt = new Map<string, number>();
  private readonly queue = new MinHeap<{ atMs: number; leaseId: string }>(
    (a, b) => a.atMs < b.atMs,
  );

  get size(): number {
    return this.forgetAt.size;
  }

  add(leaseId: string, forgetAtMs: number): void {
    this.forgetAt.set(leaseId, Math.max(forgetAtMs, this.forgetAt.get(leaseId) ?? 0));
    this.queue.push({ atMs: forgetAtMs, leaseId });
  }

  has(leaseId: string): boolean {
    return this.forgetAt.has(leaseId);
  }

  delete(leaseId: string): void {
    this.forgetAt.delete(leaseId);
  }

  purge(nowMs: number): void {
    for (;;) {
      const head = this.queue.peek();
      if (head === undefined || head.atMs > nowMs) return;
      this.queue.pop();
      const atMs = this.forgetAt.get(head.leaseId);
      if (atMs !== undefined && atMs <= nowMs) this.forgetAt.delete(head.leaseId);
    }
  }
}
