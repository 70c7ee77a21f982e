import { MinHeap } from './min-heap.ts';

/**
 * A map whose entries are forgotten at an instant given when they are set, purged lazily in
 * O(log n) per entry. Setting a key again keeps the later of its two forget instants.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; forgetAtMs: number }>();
  private readonly queue = new MinHeap<{ atMs: number; key: string }>((a, b) => a.atMs < b.atMs);

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V, forgetAtMs: number): void {
    const known = this.entries.get(key)?.forgetAtMs ?? -Infinity;
    this.entries.set(key, { value, forgetAtMs: Math.max(forgetAtMs, known) });
    this.queue.push({ atMs: forgetAtMs, key });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every entry whose instant is at or before `nowMs`. */
  purge(nowMs: number): void {
    for (;;) {
      const head = this.queue.peek();
      if (head === undefined || head.atMs > nowMs) return;
      this.queue.pop();
      // An entry set again later leaves an earlier queue item behind; its own instant decides.
      const entry = this.entries.get(head.key);
      if (entry !== undefined && entry.forgetAtMs <= nowMs) this.entries.delete(head.key);
    }
  }
}
