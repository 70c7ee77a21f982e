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

interface Entry<H> {
  record: LeaseRecord<H>;
  forgetAtMs: number;
}

/**
 * What a backend remembers of leases, and the replay rules of a reserve (step 1 of the decision).
 * Records are forgotten `retentionMs` after the lease can no longer hold anything: after its last
 * hold's expiry, or after its denial. Purging is lazy and O(log n) per lease.
 */
export class LeaseBook<H> {
  private readonly entries = new Map<string, Entry<H>>();
  private readonly forgetQueue = new MinHeap<{ atMs: number; leaseId: string }>(
    (a, b) => a.atMs < b.atMs,
  );

  constructor(readonly retentionMs = DEFAULT_LEASE_RETENTION_MS) {}

  get size(): number {
    return this.entries.size;
  }

  get(leaseId: string): LeaseRecord<H> | undefined {
    return this.entries.get(leaseId)?.record;
  }

  /**
   * The answer to a reserve of a known lease, or undefined if the lease is new. Order of the
   * checks: differing requirements, then completed, then expired, then a faithful replay.
   */
  replay(leaseId: string, requirements: readonly Requirement[], nowMs: number): ReserveResponse | undefined {
    const record = this.entries.get(leaseId)?.record;
    if (record === undefined) return undefined;
    if (record.state === 'denied') return { ...record.response };

    if (!sameRequirements(record.requirements, requirements)) return denied(LEASE_CONFLICT, 0);
    if (record.state === 'completed') return denied(LEASE_COMPLETED, 0);
    if (record.firstExpiryMs <= nowMs) return denied(LEASE_EXPIRED, 0);
    return allowed(record.reservedAtMs);
  }

  recordAllowed(leaseId: string, lease: Omit<AllowedLease<H>, 'state'>): void {
    this.put(leaseId, { state: 'allowed', ...lease }, lease.lastExpiryMs + this.retentionMs);
  }

  recordDenied(leaseId: string, response: ReserveResponse, nowMs: number): void {
    this.put(leaseId, { state: 'denied', response: { ...response } }, nowMs + this.retentionMs);
  }

  /** Marks an allowed lease completed; it is remembered until its holds could have expired. */
  recordCompleted(leaseId: string, nowMs: number): void {
    const entry = this.entries.get(leaseId);
    if (entry === undefined || entry.record.state !== 'allowed') return;
    const until = Math.max(nowMs, entry.record.lastExpiryMs) + this.retentionMs;
    this.put(leaseId, { state: 'completed', requirements: entry.record.requirements }, until);
  }

  /** Forgets every lease whose retention ended at or before `nowMs`. */
  purge(nowMs: number): void {
    for (;;) {
      const head = this.forgetQueue.peek();
      if (head === undefined || head.atMs > nowMs) return;
      this.forgetQueue.pop();
      const entry = this.entries.get(head.leaseId);
      // A lease re-queued with a later time leaves stale queue entries behind; skip those.
      if (entry !== undefined && entry.forgetAtMs === head.atMs) this.entries.delete(head.leaseId);
    }
  }

  /** Forgets everything, as a process restart does. */
  clear(): void {
    this.entries.clear();
    while (this.forgetQueue.pop() !== undefined);
  }

  private put(leaseId: string, record: LeaseRecord<H>, forgetAtMs: number): void {
    this.entries.set(leaseId, { record, forgetAtMs });
    this.forgetQueue.push({ atMs: forgetAtMs, leaseId });
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
