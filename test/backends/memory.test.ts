/**
 * The backend contract suite run against the memory backend, then what only the memory backend
 * promises: bounded memory (leases and holds are forgotten) and expiry queues that free exactly
 * what expired, whatever the mix of holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createMemoryBackend, type MemoryBackend } from '../../src/backends/memory/index.ts';
import { ExpiryBuckets } from '../../src/backends/memory/expiry-buckets.ts';
import { KeyLedger } from '../../src/backends/memory/key-ledger.ts';
import { LateHolds } from '../../src/backends/memory/late-holds.ts';
import type { LimitDefinition } from '../../src/domain/limits.ts';
import { MAX_DURATION_SECONDS } from '../../src/domain/numbers.ts';
import type { ReserveResponse } from '../../src/domain/requests.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { advanceWithTicks } from '../../src/time/ticks.ts';
import { describeBackendContract } from '../contract/backend-contract.ts';

describeBackendContract('memory', async (ctx) =>
  createMemoryBackend({
    clock: ctx.clock,
    random: ctx.random,
    registry: ctx.registry,
    retryPolicy: ctx.retryPolicy,
  }),
);

const T0_MS = 1_700_000_000_000;
const HOUR_MS = 3600 * 1000;

interface Rig {
  clock: FakeClock;
  backend: MemoryBackend;
  ids: UlidFactory;
  advance(ms: number): Promise<void>;
}

function reserve(r: Rig, leaseId: string, key: string, amount: number): ReserveResponse {
  return r.backend.reserveNow({ lease_id: leaseId, requirements: [{ key, amount }] });
}

function rolling(key: string, capacity: number, windowSeconds: number): LimitDefinition {
  return { key, kind: 'rolling', capacity, window_seconds: windowSeconds, overage: 'debt' };
}

function concurrency(key: string, capacity: number, timeoutSeconds: number): LimitDefinition {
  return { key, kind: 'concurrency', capacity, timeout_seconds: timeoutSeconds, overage: 'deny' };
}

function rig(leaseRetentionMs?: number): Rig {
  const clock = new FakeClock(T0_MS);
  const backend = createMemoryBackend({
    clock,
    random: new SeededRandom(7),
    registry: LimitRegistry.inMemory(),
    ...(leaseRetentionMs === undefined ? {} : { leaseRetentionMs }),
  });
  return {
    clock,
    backend,
    ids: new UlidFactory(clock, new SeededRandom(8)),
    advance: (ms) => advanceWithTicks(clock, ms, 1000, () => backend.tick()),
  };
}

describe('memory backend', () => {
  it('is named memory', () => {
    expect(rig().backend.name).toBe('memory');
  });

  it('forgets every lease and hold once the retention has passed', async () => {
    const r = rig();
    r.backend.putLimitNow(rolling('tokens', 500, 60));
    r.backend.putLimitNow(concurrency('slots', 50, 30));

    // 2 000 leases over 20 s: allowed, completed (shrunk, grown, released) and denied.
    let allowed = 0;
    for (let i = 0; i < 2000; i++) {
      const leaseId = r.ids.next();
      const answer = r.backend.reserveNow({
        lease_id: leaseId,
        requirements: [
          { key: 'tokens', amount: 5 },
          { key: 'slots', amount: 1 },
        ],
      });
      if (answer.allowed) {
        allowed++;
        const actual = i % 3 === 0 ? 2 : i % 3 === 1 ? 8 : 5;
        const actuals = [{ key: 'tokens', actual_amount: actual }];
        if (i % 2 === 0) r.backend.completeNow({ lease_id: leaseId, actuals });
      }
      if (i % 100 === 99) await r.advance(1000);
    }
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(2000);
    expect(r.backend.stats().leases).toBe(2000);
    expect(r.backend.stats().holds).toBeGreaterThan(0);

    // The last holds expire by 20 s + 61 s; the last lease is forgotten an hour later.
    await r.advance(61_000 + HOUR_MS);
    expect(r.backend.stats()).toEqual({ leases: 0, holds: 0 });
  });

  it('remembers a denied lease exactly for the retention, then forgets it', async () => {
    const r = rig(10_000);
    r.backend.putLimitNow(rolling('one', 1, 1));
    reserve(r, r.ids.next(), 'one', 1);
    const denied = r.ids.next();
    const first = reserve(r, denied, 'one', 1);
    expect(first.allowed).toBe(false);

    await r.advance(9_999);
    expect(reserve(r, denied, 'one', 1)).toEqual(first);
    expect(r.backend.stats().leases).toBe(2);

    // The allowed lease held until 1 s, so it is forgotten at 11 s; the denied one at 10 s.
    await r.advance(1);
    expect(r.backend.stats()).toEqual({ leases: 1, holds: 0 });
    await r.advance(1000);
    expect(r.backend.stats()).toEqual({ leases: 0, holds: 0 });
  });

  it('keeps a lease completed late until its later forget instant', async () => {
    const r = rig(10_000);
    r.backend.putLimitNow(rolling('one', 1, 1));
    const leaseId = r.ids.next();
    expect(reserve(r, leaseId, 'one', 1).allowed).toBe(true); // forget at 1 s + 10 s

    await r.advance(5_000);
    r.backend.completeNow({ lease_id: leaseId, actuals: [] }); // now forget at 5 s + 10 s

    // At 11 s the first filing comes due; it must not forget the completed record.
    await r.advance(6_000);
    expect(r.backend.stats().leases).toBe(1);
    const replay = reserve(r, leaseId, 'one', 1);
    expect(replay).toMatchObject({ allowed: false, error: 'lease_completed' });

    await r.advance(3_999);
    expect(r.backend.stats().leases).toBe(1);
    await r.advance(1);
    expect(r.backend.stats()).toEqual({ leases: 0, holds: 0 });
  });

  it('does not pile up holds released long before their expiry', () => {
    const r = rig(1000);
    r.backend.putLimitNow(concurrency('slots', 10, MAX_DURATION_SECONDS));

    for (let i = 0; i < 10_000; i++) {
      const leaseId = r.ids.next();
      expect(reserve(r, leaseId, 'slots', 1).allowed).toBe(true);
      r.backend.completeNow({ lease_id: leaseId, actuals: [] });
    }
    // Nothing is live, so at most COMPACT_MIN_RELEASED + 1 released entries wait in the queue.
    expect(r.backend.stats().holds).toBeLessThanOrEqual(65);
    expect(r.backend.getLimitNow('slots')?.usage).toEqual({ held: 0, available: 10, debt: 0n });
  });

  it('keeps time still while the clock is behind', () => {
    const r = rig();
    r.clock.set(T0_MS + 5000);
    expect(r.backend.now()).toBe(T0_MS + 5000);
    r.clock.set(T0_MS + 1000);
    expect(r.backend.now()).toBe(T0_MS + 5000);
    r.clock.set(T0_MS + 6000);
    expect(r.backend.now()).toBe(T0_MS + 6000);
  });
});

const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20_241_204);

/** A hold as the models below see it: each one on its own, no sums. */
interface ModelHold {
  amount: number;
  expiresAtMs: number;
  durationMs: number;
  /** Made by a complete: never released early. */
  late: boolean;
  released: boolean;
}

function modelHold(
  amount: number,
  expiresAtMs: number,
  durationMs: number,
  late: boolean,
): ModelHold {
  return { amount, expiresAtMs, durationMs, late, released: false };
}

/** The expiries of holds not expired at `nowMs`, released ones included. */
function unexpired(holds: readonly ModelHold[], nowMs: number): number[] {
  return holds.filter((h) => h.expiresAtMs > nowMs).map((h) => h.expiresAtMs);
}

function liveSum(holds: readonly ModelHold[], nowMs: number): number {
  let sum = 0;
  for (const h of holds) if (!h.released && h.expiresAtMs > nowMs) sum += h.amount;
  return sum;
}

describe(`expiry queues and key ledger (fast-check seed ${PROPERTY_SEED})`, () => {
  it('buckets free what expired, less what was released early, like a list of holds', () => {
    const steps = fc.array(
      fc.oneof(
        fc.record({ add: fc.integer({ min: 1, max: 100 }), gapMs: fc.integer({ min: 0, max: 3 }) }),
        fc.record({ release: fc.nat() }),
        fc.record({ waitMs: fc.integer({ min: 0, max: 5 }) }),
      ),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(steps, (ops) => {
        const buckets = new ExpiryBuckets(0);
        const model: ModelHold[] = [];
        let nowMs = 0;
        let lastExpiryMs = 0;
        let queued = 0;

        for (const op of ops) {
          if ('add' in op) {
            lastExpiryMs = Math.max(lastExpiryMs, nowMs + 1) + op.gapMs;
            buckets.add(op.add, lastExpiryMs);
            model.push(modelHold(op.add, lastExpiryMs, 0, false));
            queued += op.add;
          } else if ('release' in op) {
            const live = model.filter((h) => !h.released && h.expiresAtMs > nowMs);
            if (live.length === 0) continue;
            const hold = live[op.release % live.length]!;
            buckets.release(hold.amount, hold.expiresAtMs);
            hold.released = true;
            queued -= hold.amount;
          } else {
            nowMs += op.waitMs;
          }
          queued -= buckets.expire(nowMs);
          expect(queued).toBe(liveSum(model, nowMs));
          // Emptied buckets may wait, but never more than the rule allows.
          const distinct = new Set(unexpired(model, nowMs));
          expect(buckets.size).toBeLessThanOrEqual(distinct.size);
        }
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });

  it('late holds come out in expiry order, each exactly at its expiry', () => {
    const steps = fc.array(
      fc.oneof(
        fc.record({
          add: fc.integer({ min: 1, max: 100 }),
          lifeMs: fc.integer({ min: 1, max: 50 }),
        }),
        fc.record({ waitMs: fc.integer({ min: 0, max: 20 }) }),
      ),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(steps, (ops) => {
        const late = new LateHolds();
        const model: ModelHold[] = [];
        let nowMs = 0;
        let queued = 0;

        for (const op of ops) {
          if ('add' in op) {
            const hold = modelHold(op.add, nowMs + op.lifeMs, 0, true);
            late.add(hold.amount, hold.expiresAtMs);
            model.push(hold);
            queued += hold.amount;
          } else {
            nowMs += op.waitMs;
          }
          queued -= late.expire(nowMs);
          expect(queued).toBe(liveSum(model, nowMs));
          expect(late.size).toBe(unexpired(model, nowMs).length);
          expect(late.headExpiryMs).toBe(Math.min(...unexpired(model, nowMs)));
        }
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });

  it('keeps held equal to the live holds through purges, releases and duration changes', () => {
    const actions = fc.array(
      fc.oneof(
        fc.record({
          hold: fc.integer({ min: 1, max: 100 }),
          durationMs: fc.constantFrom(50, 120, 300),
        }),
        fc.record({
          late: fc.integer({ min: 1, max: 100 }),
          lifeMs: fc.integer({ min: 1, max: 400 }),
        }),
        fc.record({ release: fc.nat() }),
        fc.record({ waitMs: fc.integer({ min: 0, max: 100 }) }),
      ),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(actions, (steps) => {
        const ledger = new KeyLedger('k');
        const holds: ModelHold[] = [];
        let nowMs = 0;

        for (const step of steps) {
          if ('hold' in step) {
            const expiresAtMs = ledger.hold(step.hold, step.durationMs, nowMs);
            expect(expiresAtMs).toBe(nowMs + step.durationMs);
            holds.push(modelHold(step.hold, expiresAtMs, step.durationMs, false));
          } else if ('late' in step) {
            const expiresAtMs = nowMs + step.lifeMs;
            ledger.holdLate(step.late, expiresAtMs, nowMs);
            holds.push(modelHold(step.late, expiresAtMs, 0, true));
          } else if ('release' in step) {
            // Only a reserve's hold, still live, is ever released early.
            const live = holds.filter((h) => !h.late && !h.released && h.expiresAtMs > nowMs);
            if (live.length > 0) {
              const hold = live[step.release % live.length]!;
              ledger.release(hold.amount, hold.expiresAtMs, hold.durationMs);
              hold.released = true;
            }
          } else {
            nowMs += step.waitMs;
          }
          ledger.purge(nowMs);
          expect(ledger.held).toBe(liveSum(holds, nowMs));
        }

        // Once everything has expired, nothing is left queued.
        ledger.purge(nowMs + 1000);
        expect(ledger.held).toBe(0);
        expect(ledger.queuedHolds).toBe(0);
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });
});
