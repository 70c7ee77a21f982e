/**
 * The LeaseBook that both backends share, and the lease index under it, checked against simple
 * models: a Map for the index, and for the book a record per lease kept in a Map and forgotten by
 * scanning (the representation the book had before it was made allocation-free). Random
 * operations, seeds printed; LEASE_BOOK_SEED replays one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { NO_SLOT } from '../../src/backends/common/forget-queue.ts';
import {
  LeaseBook,
  type AllowedLease,
  type LeaseRecord,
} from '../../src/backends/common/lease-book.ts';
import { hashId, LeaseIndex } from '../../src/backends/common/lease-index.ts';
import { LEASE_COMPLETED, LEASE_CONFLICT, LEASE_EXPIRED } from '../../src/domain/errors.ts';
import type { Requirement, ReserveResponse } from '../../src/domain/requests.ts';
import { allowed, denied } from '../../src/domain/responses.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';

const SEED = Number(process.env.LEASE_BOOK_SEED ?? 20_241_205);
const T0_MS = 1_700_000_000_000;

function ulids(count: number, seed: number): string[] {
  const factory = new UlidFactory(new FakeClock(T0_MS), new SeededRandom(seed));
  return Array.from({ length: count }, () => factory.next());
}

/** Ids whose hashes agree in their low 10 bits: one home position in any table this small. */
function collidingIds(count: number): string[] {
  const found: string[] = [];
  for (const id of ulids(200_000, 3)) {
    if ((hashId(id) & 0x3ff) === 0x1a5) found.push(id);
    if (found.length === count) return found;
  }
  throw new Error('not enough colliding ids');
}

describe(`lease index (fast-check seed ${SEED})`, () => {
  const colliding = collidingIds(150);
  const pool = [...ulids(60, 1), ...colliding];

  it('finds what a Map finds, colliding ids and overflow included', () => {
    // Inserts outweigh removes, so that more colliding ids are indexed at once than a probe
    // may cross and some go to the overflow map.
    const op = fc.oneof(
      { arbitrary: fc.record({ insert: fc.nat({ max: pool.length - 1 }) }), weight: 3 },
      { arbitrary: fc.record({ remove: fc.nat({ max: pool.length - 1 }) }), weight: 1 },
      { arbitrary: fc.record({ find: fc.nat({ max: pool.length - 1 }) }), weight: 2 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const index = new LeaseIndex();
        index.grow(pool.length);
        const model = new Map<string, number>();
        const freeSlots = Array.from({ length: pool.length }, (_, i) => i);

        for (const step of ops) {
          if ('insert' in step) {
            const id = pool[step.insert]!;
            if (model.has(id)) continue;
            const slot = freeSlots.pop()!;
            index.insert(id, slot);
            model.set(id, slot);
          } else if ('remove' in step) {
            const id = pool[step.remove]!;
            const slot = model.get(id);
            if (slot === undefined) continue;
            index.remove(slot);
            model.delete(id);
            freeSlots.push(slot);
          } else {
            const id = pool[step.find]!;
            expect(index.find(id)).toBe(model.get(id) ?? NO_SLOT);
          }
          expect(index.size).toBe(model.size);
        }
        for (const id of pool) expect(index.find(id)).toBe(model.get(id) ?? NO_SLOT);
        for (const [id, slot] of model) expect(index.idOf(slot)).toBe(id);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('spills ids crafted to collide into the overflow map, still findable and removable', () => {
    const index = new LeaseIndex();
    index.grow(colliding.length);
    colliding.forEach((id, slot) => index.insert(id, slot));
    colliding.forEach((id, slot) => expect(index.find(id)).toBe(slot));

    // Remove from the front of the cluster, then the spilled ones, then the rest.
    for (let slot = 0; slot < colliding.length; slot += 3) index.remove(slot);
    colliding.forEach((id, slot) => expect(index.find(id)).toBe(slot % 3 === 0 ? NO_SLOT : slot));
    for (let slot = 0; slot < colliding.length; slot++) if (slot % 3 !== 0) index.remove(slot);
    expect(index.size).toBe(0);
  });

  it('bounds a deletion in a long crafted cluster with a tombstone, and stays exact', () => {
    // 300 ids in a 1024-position table, homes h, h, h+1, ..., h+298: one cluster, each entry
    // one past its home, so emptying its first position would shift all of them back.
    const wanted = [0, ...Array.from({ length: 299 }, (_, i) => i)].map((d) => (100 + d) & 1023);
    const byHome = new Map<number, string[]>();
    let satisfied = 0;
    for (let n = 0; satisfied < 299; n++) {
      const id = `crafted-${n.toString(36)}`;
      const home = hashId(id) & 1023;
      if (home < 100 || home >= 399) continue;
      const found = byHome.get(home) ?? [];
      if (found.length === 2) continue;
      found.push(id);
      byHome.set(home, found);
      if (found.length === (home === 100 ? 2 : 1)) satisfied++;
    }
    const ids = wanted.map((home, i) => byHome.get(home)![i === 0 ? 1 : 0]!);

    const index = new LeaseIndex();
    index.grow(ids.length + 50);
    ids.forEach((id, slot) => index.insert(id, slot));
    for (let slot = 0; slot < ids.length; slot++) {
      index.remove(slot);
      for (let other = slot + 1; other < ids.length; other++) {
        expect(index.find(ids[other]!)).toBe(other);
      }
      // Room freed by the removals, tombstones or not, is usable again.
      if (slot % 50 === 0) {
        index.insert(`again-${slot}`, ids.length + slot / 50);
        expect(index.find(`again-${slot}`)).toBe(ids.length + slot / 50);
      }
    }
    expect(index.size).toBe(6);
  });

  it('keeps every id findable through growth and shrinking', () => {
    const ids = ulids(5000, 2);
    const index = new LeaseIndex();
    index.grow(ids.length);
    ids.forEach((id, slot) => index.insert(id, slot));
    expect(index.size).toBe(ids.length);
    for (let slot = 0; slot < ids.length; slot += 2) index.remove(slot);
    ids.forEach((id, slot) => expect(index.find(id)).toBe(slot % 2 === 0 ? NO_SLOT : slot));
    for (let slot = 1; slot < ids.length; slot += 2) index.remove(slot);
    expect(index.size).toBe(0);
  });
});

/** The book as it was: an object per record, forgotten by a scan. */
class ModelBook {
  private readonly records = new Map<string, { record: LeaseRecord<string>; forgetAtMs: number }>();

  constructor(private readonly retentionMs: number) {}

  get size(): number {
    return this.records.size;
  }

  get(id: string): LeaseRecord<string> | undefined {
    return this.records.get(id)?.record;
  }

  replay(id: string, requirements: Requirement[], nowMs: number): ReserveResponse | undefined {
    const record = this.records.get(id)?.record;
    if (record === undefined) return undefined;
    if (record.state === 'denied') return { ...record.response };
    const same =
      record.requirements.length === requirements.length &&
      requirements.every((r) =>
        record.requirements.some((s) => s.key === r.key && s.amount === r.amount),
      );
    if (!same) return denied(LEASE_CONFLICT, 0);
    if (record.state === 'completed') return denied(LEASE_COMPLETED, 0);
    if (record.firstExpiryMs <= nowMs) return denied(LEASE_EXPIRED, 0);
    return allowed(record.reservedAtMs);
  }

  recordAllowed(id: string, lease: Omit<AllowedLease<string>, 'state'>): void {
    const requirements = lease.requirements.map((r) => ({ ...r }));
    const record = { state: 'allowed' as const, ...lease, requirements };
    this.records.set(id, { record, forgetAtMs: lease.lastExpiryMs + this.retentionMs });
  }

  recordDenied(id: string, response: ReserveResponse, nowMs: number): void {
    const record = { state: 'denied' as const, response: { ...response } };
    this.records.set(id, { record, forgetAtMs: nowMs + this.retentionMs });
  }

  recordCompleted(id: string, nowMs: number): void {
    const entry = this.records.get(id);
    if (entry === undefined || entry.record.state !== 'allowed') return;
    const forgetAtMs = Math.max(nowMs, entry.record.lastExpiryMs) + this.retentionMs;
    const record = { state: 'completed' as const, requirements: entry.record.requirements };
    this.records.set(id, { record, forgetAtMs });
  }

  purge(nowMs: number): void {
    for (const [id, entry] of this.records) if (entry.forgetAtMs <= nowMs) this.records.delete(id);
  }
}

describe(`lease book (fast-check seed ${SEED})`, () => {
  const ids = ulids(12, 4);
  const requirementsArb = fc.uniqueArray(
    fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), amount: fc.integer({ min: 1, max: 3 }) }),
    { minLength: 1, maxLength: 3, selector: (r) => r.key },
  );
  const idArb = fc.nat({ max: ids.length - 1 });
  const op = fc.oneof(
    fc.record({ wait: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(0)) }),
    fc.record({ replay: idArb, requirements: requirementsArb }),
    fc.record({
      allow: idArb,
      requirements: requirementsArb,
      lives: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ deny: idArb, hint: fc.nat({ max: 5000 }) }),
    fc.record({ complete: idArb }),
    fc.record({ get: idArb }),
    fc.record({ purge: fc.constant(true) }),
  );

  it('answers, remembers and forgets exactly as the model does', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 250 }), fc.nat({ max: 500 }), (ops, retentionMs) => {
        const book = new LeaseBook<string>(retentionMs);
        const model = new ModelBook(retentionMs);
        let nowMs = T0_MS;

        for (const step of ops) {
          if ('wait' in step) {
            nowMs += step.wait;
          } else if ('replay' in step) {
            const id = ids[step.replay]!;
            expect(book.replay(id, step.requirements, nowMs)).toEqual(
              model.replay(id, step.requirements, nowMs),
            );
          } else if ('allow' in step) {
            const expiries = step.lives.map((life) => nowMs + life);
            const given = step.requirements.map((r) => ({ ...r }));
            const lease = {
              requirements: given,
              reservedAtMs: nowMs,
              firstExpiryMs: Math.min(...expiries),
              lastExpiryMs: Math.max(...expiries),
              holds: `holds of ${step.allow} at ${nowMs}`,
            };
            book.recordAllowed(ids[step.allow]!, lease);
            model.recordAllowed(ids[step.allow]!, lease);
            // The book copied the requirements: changing the caller's array changes nothing.
            given[0]!.amount += 100;
          } else if ('deny' in step) {
            const response = denied('', step.hint);
            book.recordDenied(ids[step.deny]!, response, nowMs);
            model.recordDenied(ids[step.deny]!, response, nowMs);
          } else if ('complete' in step) {
            book.recordCompleted(ids[step.complete]!, nowMs);
            model.recordCompleted(ids[step.complete]!, nowMs);
          } else if ('get' in step) {
            // Requirements in their order, holds as recorded, a denial's answer.
            expect(book.get(ids[step.get]!)).toEqual(model.get(ids[step.get]!));
          } else {
            book.purge(nowMs);
            model.purge(nowMs);
            expect(book.size).toBe(model.size);
          }
        }
        book.purge(nowMs);
        model.purge(nowMs);
        expect(book.size).toBe(model.size);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('forgets every lease once all retention has passed, and nothing before', () => {
    const book = new LeaseBook<undefined>(1000);
    const requirements = [{ key: 'a', amount: 1 }];
    ids.forEach((id, i) => {
      const expiry = T0_MS + 100 * i;
      book.recordAllowed(id, {
        requirements,
        reservedAtMs: T0_MS,
        firstExpiryMs: expiry,
        lastExpiryMs: expiry,
        holds: undefined,
      });
    });
    // Lease i is forgotten at T0 + 100·i + 1000, lease 0 exactly then.
    book.purge(T0_MS + 999);
    expect(book.size).toBe(ids.length);
    book.purge(T0_MS + 1000);
    expect(book.size).toBe(ids.length - 1);
    book.purge(T0_MS + 100 * (ids.length - 1) + 1000);
    expect(book.size).toBe(0);
  });
});
