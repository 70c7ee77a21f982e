import { LEASE_COMPLETED, LEASE_CONFLICT, LEASE_EXPIRED } from '../../domain/errors.ts';
import type { Requirement, ReserveResponse } from '../../domain/requests.ts';
import { allowed, denied } from '../../domain/responses.ts';
import { MinHeap } from './min-heap.ts';

/** How long a lease is remembered after it ended, so that a late duplicate is still recognised. */
export const DEFAULT_LEASE_RETENTION_MS = 60 * 60 * 1000;

/** A lease that holds capacity; `holds` is whatever the backend needs to release it. */
export interface AllowedLease<H> {
  state: 'allowed';
  requirements: Requirement[];
  reservedAtMs: number;
  /** The earliest expiry among its holds: from then on a replay answers `lease_expired`. */
  firstExpiryMs: number;
  /** The latest expiry among its holds: the lease is remembered at least until then. */
  lastExpiryMs: number;
  holds: H;
}

export interface CompletedLease {
  state: 'completed';
  requirements: Requirement[];
}

export interface DeniedLease {
  state: 'denied';
  /** The first answer, given again to every replay. */
  response: ReserveResponse;
}

export type LeaseRecord<H> = AllowedLease<H> | CompletedLease | DeniedLease;

/** How the book files a record; kept on the record itself to save an object per lease. */
interface Filing {
  leaseId: string;
  forgetAtMs: number;
  /** Set when a later record of the same lease took this one's place in `entries`. */
  replaced: boolean;
}

type Entry<H> = LeaseRecord<H> & Filing;

/**
 * What a backend remembers of leases, and the replay rules of a reserve (step 1 of the decision).
 * Records are forgotten `retentionMs` after the lease can no longer hold anything: after its last
 * hold's expiry, or after its denial. Purging is lazy and O(log n) per lease.
 */
export class LeaseBook<H> {
  private readonly entries = new Map<string, Entry<H>>();
  /**
   * Lease ids by the instant they may be forgotten. Many leases share an instant under load, so
   * one heap entry and one list per distinct millisecond keep the queue small and allocation-free
   * per lease.
   */
  private readonly forgetLists = new Map<number, Entry<H>[]>();
  private readonly forgetTimes = new MinHeap<number>((a, b) => a < b);
  private lastForgetAtMs = -1;
  private lastForgetList: Entry<H>[] = [];

  constructor(readonly retentionMs = DEFAULT_LEASE_RETENTION_MS) {}

  get size(): number {
    return this.entries.size;
  }

  get(leaseId: string): LeaseRecord<H> | undefined {
    return this.entries.get(leaseId);
  }

  /**
   * The answer to a reserve of a known lease, or undefined if the lease is new. Order of the
   * checks: differing requirements, then completed, then expired, then a faithful replay.
   */
  replay(leaseId: string, requirements: readonly Requirement[], nowMs: number): ReserveResponse | undefined {
    const record = this.entries.get(leaseId);
    if (record === undefined) return undefined;
    if (record.state === 'denied') return { ...record.response };

    if (!sameRequirements(record.requirements, requirements)) return denied(LEASE_CONFLICT, 0);
    if (record.state === 'completed') return denied(LEASE_COMPLETED, 0);
    if (record.firstExpiryMs <= nowMs) return denied(LEASE_EXPIRED, 0);
    return allowed(record.reservedAtMs);
  }

  recordAllowed(leaseId: string, lease: Omit<AllowedLease<H>, 'state'>): void {
    // Fields are listed rather than spread: this is on every backend's hot path.
    this.put({
      state: 'allowed',
      requirements: lease.requirements,
      reservedAtMs: lease.reservedAtMs,
      firstExpiryMs: lease.firstExpiryMs,
      lastExpiryMs: lease.lastExpiryMs,
      holds: lease.holds,
      leaseId,
      forgetAtMs: lease.lastExpiryMs + this.retentionMs,
      replaced: false,
    });
  }

  recordDenied(leaseId: string, response: ReserveResponse, nowMs: number): void {
    const forgetAtMs = nowMs + this.retentionMs;
    this.put({ state: 'denied', response: { ...response }, leaseId, forgetAtMs, replaced: false });
  }

  /** Marks an allowed lease completed; it is remembered until its holds could have expired. */
  recordCompleted(leaseId: string, nowMs: number): void {
    const entry = this.entries.get(leaseId);
    if (entry === undefined || entry.state !== 'allowed') return;
    const forgetAtMs = Math.max(nowMs, entry.lastExpiryMs) + this.retentionMs;
    const requirements = entry.requirements;
    this.put({ state: 'completed', requirements, leaseId, forgetAtMs, replaced: false });
  }

  /** Forgets every lease whose retention ended at or before `nowMs`. */
  purge(nowMs: number): void {
    for (;;) {
      const atMs = this.forgetTimes.peek();
      if (atMs === undefined || atMs > nowMs) return;
      this.forgetTimes.pop();
      const due = this.forgetLists.get(atMs)!;
      this.forgetLists.delete(atMs);
      if (atMs === this.lastForgetAtMs) this.lastForgetAtMs = -1;

      // A lease recorded again (completed) leaves its earlier entry behind; skip those.
      for (const entry of due) if (!entry.replaced) this.entries.delete(entry.leaseId);
    }
  }

  /** Forgets everything, as a process restart does. */
  clear(): void {
    this.entries.clear();
    this.forgetLists.clear();
    while (this.forgetTimes.pop() !== undefined);
    this.lastForgetAtMs = -1;
  }

  private put(entry: Entry<H>): void {
    const { leaseId, forgetAtMs } = entry;
    const previous = this.entries.get(leaseId);
    if (previous !== undefined) previous.replaced = true;
    this.entries.set(leaseId, entry);

    // Consecutive leases usually share the instant; skip the map lookup then.
    if (forgetAtMs !== this.lastForgetAtMs) {
      let list = this.forgetLists.get(forgetAtMs);
      if (list === undefined) {
        list = [];
        this.forgetLists.set(forgetAtMs, list);
        this.forgetTimes.push(forgetAtMs);
      }
      this.lastForgetAtMs = forgetAtMs;
      this.lastForgetList = list;
    }
    this.lastForgetList.push(entry);
  }
}

/** Same key → amount pairs, order ignored (keys are unique within a request). */
export function sameRequirements(a: readonly Requirement[], b: readonly Requirement[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0]!.key === b[0]!.key && a[0]!.amount === b[0]!.amount;

  const amounts = new Map<string, number>();
  for (const r of a) amounts.set(r.key, r.amount);
  return b.every((r) => amounts.get(r.key) === r.amount);
}
