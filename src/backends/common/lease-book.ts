import { assert } from '../../domain/assert.ts';
import { LEASE_COMPLETED, LEASE_CONFLICT, LEASE_EXPIRED } from '../../domain/errors.ts';
import type { Requirement, ReserveResponse } from '../../domain/requests.ts';
import { allowed, denied } from '../../domain/responses.ts';
import { ForgetQueue, NO_SLOT } from './forget-queue.ts';
import { LeaseIndex } from './lease-index.ts';
import { ALLOWED, COMPLETED, DENIED, LeaseTable, REPLACED } from './lease-table.ts';

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

/**
 * Where an allowed lease's record is, for a backend that reads it field by field instead of
 * through `get` (which builds objects). Valid until the next record or purge call on the book.
 */
export type LeaseSlot = number;
export const NO_LEASE: LeaseSlot = NO_SLOT;

/**
 * What a backend remembers of leases, and the replay rules of a reserve (step 1 of the decision).
 * Records are forgotten `retentionMs` after the lease can no longer hold anything: after its last
 * hold's expiry, after its completion if that is later, or after its denial. Purging is lazy and
 * O(1) per lease. A record is a slot: LeaseIndex finds it by lease id, LeaseTable stores it, and
 * ForgetQueue says when to forget it; none of them makes an object per lease.
 */
export class LeaseBook<H> {
  private readonly index = new LeaseIndex();
  private readonly table = new LeaseTable<H>();
  private readonly forgetQueue = new ForgetQueue();
  /**
   * The lease id the last replay did not find, until the next record: recording that lease then
   * needs no second lookup, since only a record adds to the index (and every record clears this).
   */
  private unknownLeaseId: string | undefined;

  constructor(readonly retentionMs = DEFAULT_LEASE_RETENTION_MS) {
    this.index.grow(this.table.capacity);
    this.forgetQueue.grow(this.table.capacity);
  }

  get size(): number {
    return this.index.size;
  }

  /** A copy of the lease's record (the book keeps no objects of its own). */
  get(leaseId: string): LeaseRecord<H> | undefined {
    const slot = this.index.find(leaseId);
    if (slot === NO_SLOT) return undefined;

    const table = this.table;
    switch (table.state(slot)) {
      case DENIED:
        return { state: 'denied', response: denied(table.error(slot), table.retryAfterMs(slot)) };
      case COMPLETED:
        return { state: 'completed', requirements: table.requirements(slot) };
      default:
        return {
          state: 'allowed',
          requirements: table.requirements(slot),
          reservedAtMs: table.reservedAtMs(slot),
          firstExpiryMs: table.firstExpiryMs(slot),
          lastExpiryMs: table.lastExpiryMs(slot),
          holds: table.holds(slot),
        };
    }
  }

  /**
   * The answer to a reserve of a known lease, or undefined if the lease is new. Order of the
   * checks: differing requirements, then completed, then expired, then a faithful replay.
   */
  replay(
    leaseId: string,
    requirements: readonly Requirement[],
    nowMs: number,
  ): ReserveResponse | undefined {
    const slot = this.index.find(leaseId);
    if (slot === NO_SLOT) {
      this.unknownLeaseId = leaseId;
      return undefined;
    }

    const table = this.table;
    const state = table.state(slot);
    if (state === DENIED) return denied(table.error(slot), table.retryAfterMs(slot));
    if (!table.sameRequirements(slot, requirements)) return denied(LEASE_CONFLICT, 0);
    if (state === COMPLETED) return denied(LEASE_COMPLETED, 0);
    if (table.firstExpiryMs(slot) <= nowMs) return denied(LEASE_EXPIRED, 0);
    return allowed(table.reservedAtMs(slot));
  }

  /** The book copies what it needs: the caller may reuse `lease.requirements` afterwards. */
  recordAllowed(leaseId: string, lease: Omit<AllowedLease<H>, 'state'>): void {
    const slot = this.place(leaseId);
    const reservedAtMs = lease.reservedAtMs;
    const lastExpiryMs = lease.lastExpiryMs;
    this.table.setAllowed(
      slot,
      lease.requirements,
      reservedAtMs,
      lease.firstExpiryMs,
      lastExpiryMs,
      lease.holds,
    );
    this.file(slot, lastExpiryMs + this.retentionMs, reservedAtMs);
  }

  /** Remembers a capacity denial: replays get `response` again (a denial: no detail). */
  recordDenied(leaseId: string, response: ReserveResponse, nowMs: number): void {
    assert(!response.allowed && response.detail === undefined, 'recordDenied: not a denial');
    const slot = this.place(leaseId);
    this.table.setDenied(slot, response.error, response.retry_after_ms);
    this.file(slot, nowMs + this.retentionMs, nowMs);
  }

  /** Marks an allowed lease completed; it is remembered until its holds could have expired. */
  recordCompleted(leaseId: string, nowMs: number): void {
    const slot = this.allowedSlot(leaseId);
    if (slot !== NO_LEASE) this.completeSlot(slot, nowMs);
  }

  /** Forgets every lease whose retention ended at or before `nowMs`. */
  purge(nowMs: number): void {
    const table = this.table;
    for (;;) {
      const slot = this.forgetQueue.popDue(nowMs);
      if (slot === NO_SLOT) return;

      // A lease completed after its holds expired is remembered longer than it was filed for.
      const forgetAtMs = table.forgetAtMs(slot);
      if (forgetAtMs > nowMs && table.state(slot) !== REPLACED) {
        this.forgetQueue.fileStray(slot, forgetAtMs);
        continue;
      }

      // A lease recorded again left this slot behind, already out of the index.
      if (table.state(slot) !== REPLACED) this.index.remove(slot);
      table.free(slot);
    }
  }

  /** Forgets everything, as a process restart does. */
  clear(): void {
    this.unknownLeaseId = undefined;
    this.index.clear();
    this.table.clear();
    this.forgetQueue.clear();
  }

  // Field by field access to allowed leases, for a backend's complete path.

  /** The slot of an allowed (not completed, not denied) lease, or NO_LEASE. */
  allowedSlot(leaseId: string): LeaseSlot {
    const slot = this.index.find(leaseId);
    if (slot === NO_SLOT || this.table.state(slot) !== ALLOWED) return NO_LEASE;
    return slot;
  }

  /** recordCompleted for a slot from allowedSlot. */
  completeSlot(slot: LeaseSlot, nowMs: number): void {
    const table = this.table;
    assert(table.state(slot) === ALLOWED, 'completeSlot: lease not allowed');
    table.setCompleted(slot);

    // The slot stays where it was filed; purge files it again if it must wait longer.
    const forgetAtMs = Math.max(nowMs, table.lastExpiryMs(slot)) + this.retentionMs;
    if (forgetAtMs > table.forgetAtMs(slot)) table.setForgetAtMs(slot, forgetAtMs);
  }

  requirementCount(slot: LeaseSlot): number {
    return this.table.requirementCount(slot);
  }

  /** The key of requirement `i`, in the order the reserve listed them. */
  requirementKey(slot: LeaseSlot, i: number): string {
    return this.table.requirementKey(slot, i);
  }

  requirementAmount(slot: LeaseSlot, i: number): number {
    return this.table.requirementAmount(slot, i);
  }

  reservedAtMs(slot: LeaseSlot): number {
    return this.table.reservedAtMs(slot);
  }

  firstExpiryMs(slot: LeaseSlot): number {
    return this.table.firstExpiryMs(slot);
  }

  holds(slot: LeaseSlot): H {
    return this.table.holds(slot);
  }

  /**
   * A slot for a new record of `leaseId`, indexed. An earlier record of the lease leaves the
   * index and waits in the forget queue, marked replaced.
   */
  private place(leaseId: string): number {
    if (leaseId !== this.unknownLeaseId) {
      const previous = this.index.find(leaseId);
      if (previous !== NO_SLOT) {
        this.index.remove(previous);
        this.table.setState(previous, REPLACED);
      }
    }
    this.unknownLeaseId = undefined;

    const slot = this.table.take();
    const capacity = this.table.capacity;
    this.index.grow(capacity);
    this.forgetQueue.grow(capacity);
    this.index.insert(leaseId, slot);
    return slot;
  }

  private file(slot: number, forgetAtMs: number, baseMs: number): void {
    this.table.setForgetAtMs(slot, forgetAtMs);
    this.forgetQueue.file(slot, forgetAtMs, baseMs);
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
