/**
 * The backend contract suite run against the TigerBeetle backend on a simulated cluster (the
 * same suite as the memory backend, unchanged), then what only this backend has to handle: a
 * restart of its process (the lease cache is lost, the ledger keeps everything), a cluster that
 * does not answer, and answers it does not expect.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateTransferStatus as S } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';

import { SimulatedCluster } from '../../sim/cluster/index.ts';
import { idFromLabel } from '../../src/backends/tigerbeetle/ids.ts';
import { createTigerBeetleBackend } from '../../src/backends/tigerbeetle/index.ts';
import type { LimitDefinition, Usage } from '../../src/domain/limits.ts';
import type { Actual, Requirement, ReserveResponse } from '../../src/domain/requests.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { describeBackendContract } from '../contract/backend-contract.ts';
import { rewritingClient, type SimSetup, simSetup } from './tigerbeetle-sim-setup.ts';

describeBackendContract('tigerbeetle-sim', async (ctx) => {
  const cluster = new SimulatedCluster({ clock: ctx.clock });
  return createTigerBeetleBackend({
    clock: ctx.clock,
    random: ctx.random,
    registry: ctx.registry,
    retryPolicy: ctx.retryPolicy,
    ledgers: [cluster.client(), cluster.client()],
  });
});

const LEASE_A = '01HZY5J6W4B00000000000000A';
const LEASE_B = '01HZY5J6W4B00000000000000B';
const LEASE_C = '01HZY5J6W4B00000000000000C';

const tpm: LimitDefinition = {
  key: 'llm:tpm',
  kind: 'rolling',
  capacity: 10,
  window_seconds: 60,
  overage: 'debt',
};
const inflight: LimitDefinition = {
  key: 'llm:inflight',
  kind: 'concurrency',
  capacity: 2,
  timeout_seconds: 30,
  overage: 'deny',
};

const OK = { ok: true, error: '' };
const BACKEND_ERROR = { ok: false, error: 'backend_error' };

/** Lets every pending promise reaction run; the clock does not move. */
async function drain(): Promise<void> {
  for (let i = 0; i < 100; i++) await Promise.resolve();
}

/** `{'llm:tpm': 4}` → requirements (or actuals) in that order. */
function reqs(amounts: Record<string, number>): Requirement[] {
  return Object.entries(amounts).map(([key, amount]) => ({ key, amount }));
}

function acts(amounts: Record<string, number>): Actual[] {
  return Object.entries(amounts).map(([key, actual_amount]) => ({ key, actual_amount }));
}

function reserve(s: SimSetup, lease: string, amounts: Record<string, number>) {
  return s.backend.reserve({ lease_id: lease, requirements: reqs(amounts) });
}

function complete(s: SimSetup, lease: string, actuals: Record<string, number> = {}) {
  return s.backend.complete({ lease_id: lease, actuals: acts(actuals) });
}

async function usage(s: SimSetup, key: string): Promise<Usage | undefined> {
  return (await s.backend.getLimit(key))?.usage;
}

/** A client that answers `status` for the transfer `id` while `when()` holds. */
function poisoning(s: SimSetup, id: bigint, status: number, when = () => true) {
  return rewritingClient(s.cluster.client(), (batch, results) =>
    results.map((r, i) => (when() && batch[i]!.id === id ? { ...r, status } : r)),
  );
}

describe('tigerbeetle backend: restart of the backend process', () => {
  it('answers a replay of an allowed lease from the ledger, at the original instant', async () => {
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    await s.backend.putLimit(inflight);
    const first = await reserve(s, LEASE_A, { 'llm:tpm': 4, 'llm:inflight': 1 });
    expect(first).toMatchObject({ allowed: true, reserved_at_unix_ms: s.clock.now() });

    s.clock.advance(1234);
    await s.restart();
    // The chain is resent: `exists`, then `linked_event_failed`; only now does it read.
    const replay = await reserve(s, LEASE_A, { 'llm:inflight': 1, 'llm:tpm': 4 });
    expect(replay).toEqual(first);
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 4, available: 6, debt: 0n });

    const conflict = await reserve(s, LEASE_A, { 'llm:tpm': 5 });
    expect(conflict).toMatchObject({ allowed: false, error: 'lease_conflict' });

    s.clock.advance(30_000);
    const late = await reserve(s, LEASE_A, { 'llm:tpm': 4, 'llm:inflight': 1 });
    expect(late).toMatchObject({ allowed: false, error: 'lease_expired' });
  });

  it('completes a lease from before the restart with ok, freeing nothing', async () => {
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    await s.backend.putLimit(inflight);
    await reserve(s, LEASE_A, { 'llm:tpm': 4, 'llm:inflight': 2 });
    await s.restart();

    expect(await complete(s, LEASE_A, { 'llm:tpm': 1 })).toEqual(OK);
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 4, available: 6, debt: 0n });
    expect(await usage(s, 'llm:inflight')).toEqual({ held: 2, available: 0, debt: 0n });

    // The holds expire on their own, exactly at their expiry.
    s.clock.advance(30_000 - 1);
    expect(await usage(s, 'llm:inflight')).toMatchObject({ held: 2 });
    s.clock.advance(1);
    expect(await usage(s, 'llm:inflight')).toMatchObject({ held: 0 });
  });

  it('keeps a lease found on the ledger one lease, completed once', async () => {
    // Found by fuzzing (seed 1047, with faults): after a restart, a lease replayed from the
    // ledger and then completed was allowed again on another key, and a later complete freed
    // that hold. A lease known from the ledger now conflicts and stays completed.
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    await s.backend.putLimit(inflight);
    await reserve(s, LEASE_A, { 'llm:tpm': 4 });
    await s.restart();

    expect(await reserve(s, LEASE_A, { 'llm:tpm': 4 })).toMatchObject({ allowed: true });
    const otherKey = await reserve(s, LEASE_A, { 'llm:inflight': 1 });
    expect(otherKey).toMatchObject({ allowed: false, error: 'lease_conflict' });

    expect(await complete(s, LEASE_A, {})).toEqual(OK);
    const again = await reserve(s, LEASE_A, { 'llm:tpm': 4 });
    expect(again).toMatchObject({ allowed: false, error: 'lease_completed' });
    expect(await usage(s, 'llm:inflight')).toEqual({ held: 0, available: 2, debt: 0n });
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 4, available: 6, debt: 0n });
  });

  it('keeps a denied lease denied, with a fresh hint, even once there is room', async () => {
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    await reserve(s, LEASE_A, { 'llm:tpm': 8 });
    const first = await reserve(s, LEASE_B, { 'llm:tpm': 5 });
    expect(first).toMatchObject({ allowed: false, error: '' });
    expect(first.retry_after_ms).toBeGreaterThan(0);

    await s.restart();
    s.clock.advance(60_000); // lease A's hold has expired: there is room now
    const replay = await reserve(s, LEASE_B, { 'llm:tpm': 5 });
    expect(replay).toMatchObject({ allowed: false, error: '', reserved_at_unix_ms: 0 });
    expect(replay.retry_after_ms).toBeGreaterThan(0);
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 0, available: 10, debt: 0n });

    // Known to this process now: the same answer again, no new draw.
    expect(await reserve(s, LEASE_B, { 'llm:tpm': 5 })).toEqual(replay);
  });

  it('keeps capacities and debts across a restart', async () => {
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    await reserve(s, LEASE_A, { 'llm:tpm': 4 });
    await complete(s, LEASE_A, { 'llm:tpm': 9 });
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 9, available: 1, debt: 0n });
    await reserve(s, LEASE_B, { 'llm:tpm': 1 });
    await complete(s, LEASE_B, { 'llm:tpm': 3 });
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 10, available: 0, debt: 2n });

    await s.restart();
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 10, available: 0, debt: 2n });
    expect(s.logger.events.filter((e) => e.level !== 'info')).toEqual([]);
  });
});

describe('tigerbeetle backend: faults', () => {
  it('answers backend_error after the bounded wait while the cluster is down', async () => {
    const s = await simSetup({ requestTimeoutMs: 5000 });
    await s.backend.putLimit(tpm);
    s.cluster.setUnavailable(true);

    let answer: ReserveResponse | undefined;
    void reserve(s, LEASE_A, { 'llm:tpm': 4 }).then((a) => (answer = a));
    await drain();
    s.clock.advance(4999);
    await drain();
    expect(answer).toBeUndefined();
    s.clock.advance(1);
    await drain();
    expect(answer).toEqual({
      allowed: false,
      retry_after_ms: 0,
      reserved_at_unix_ms: 0,
      error: 'backend_error',
    });

    // The request was not lost: applied when the cluster is back. Its hold counts (pessimistic)
    // and a replay of the lease finds it on the ledger.
    s.cluster.setUnavailable(false);
    await drain();
    expect(await usage(s, 'llm:tpm')).toMatchObject({ held: 4 });
    const replay = await reserve(s, LEASE_A, { 'llm:tpm': 4 });
    expect(replay).toMatchObject({ allowed: true, reserved_at_unix_ms: s.clock.now() });
    expect(s.logger.events.map((e) => e.event)).toContain('tigerbeetle_reserve_unanswered');
  });

  it('answers complete with backend_error while the cluster is down', async () => {
    const s = await simSetup({ requestTimeoutMs: 1000 });
    await s.backend.putLimit(inflight);
    await reserve(s, LEASE_A, { 'llm:inflight': 2 });
    s.cluster.setUnavailable(s.clock.now() + 3000);

    const pending = complete(s, LEASE_A);
    await drain();
    s.clock.advance(1000);
    expect(await pending).toEqual(BACKEND_ERROR);

    // Back up: the void was applied late; a retried complete resends it and gets `exists`.
    s.clock.advance(2000);
    expect(await complete(s, LEASE_A)).toEqual(OK);
    expect(await usage(s, 'llm:inflight')).toMatchObject({ held: 0 });
  });

  it('answers backend_error for an unexpected status and logs transfer and status', async () => {
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    const id = idFromLabel(`xfer:reserve:${LEASE_C}:llm:tpm`);
    await s.restart({ ledgers: [poisoning(s, id, S.overflows_debits_pending)] });

    const answer = await reserve(s, LEASE_C, { 'llm:tpm': 1 });
    expect(answer).toMatchObject({ allowed: false, error: 'backend_error' });
    expect(s.logger.events).toContainEqual({
      level: 'error',
      event: 'tigerbeetle_unexpected_status',
      fields: {
        operation: 'reserve',
        label: `xfer:reserve:${LEASE_C}:llm:tpm`,
        status: 'overflows_debits_pending',
      },
    });
  });

  it('fails a complete on an unexpected status and leaves the lease open', async () => {
    const s = await simSetup();
    await s.backend.putLimit(inflight);
    const id = idFromLabel(`xfer:void:${LEASE_A}:llm:inflight`);
    let poison = true;
    await s.restart({ ledgers: [poisoning(s, id, S.pending_transfer_not_found, () => poison)] });
    await reserve(s, LEASE_A, { 'llm:inflight': 1 });

    expect(await complete(s, LEASE_A)).toEqual(BACKEND_ERROR);
    const logged = s.logger.events.find((e) => e.event === 'tigerbeetle_unexpected_status');
    expect(logged?.fields).toEqual({
      operation: 'complete',
      label: `xfer:void:${LEASE_A}:llm:inflight`,
      status: 'pending_transfer_not_found',
    });

    // The void was in fact applied; a retry finds it (`exists`) and completes the lease.
    poison = false;
    expect(await complete(s, LEASE_A)).toEqual(OK);
    const replay = await reserve(s, LEASE_A, { 'llm:inflight': 1 });
    expect(replay).toMatchObject({ error: 'lease_completed' });
  });

  it('applies an increase whose answer was lost exactly once', async () => {
    const s = await simSetup({ requestTimeoutMs: 1000 });
    await s.backend.putLimit(tpm);
    let drop = true;
    const lossy = rewritingClient(s.cluster.client(), (_batch, results) => {
      if (!drop) return results;
      drop = false;
      return 'drop';
    });
    await s.restart({ ledgers: [lossy, s.cluster.client()] });

    // Committed, then raised on the ledger; the raise is applied but its answer is lost.
    const put = s.backend.putLimit({ ...tpm, capacity: 15 });
    await drain();
    s.clock.advance(1000);
    expect(await put).toEqual({ ok: true, status: 'active' });
    expect(s.logger.events.map((e) => e.event)).toContain('tigerbeetle_capacity_in_doubt');

    // Sent again under the same id before the read-out: `exists`, so applied once only.
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 0, available: 15, debt: 0n });
    await s.backend.tick();
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 0, available: 15, debt: 0n });
  });

  it('raises capacity once the cluster is back, never above the registry', async () => {
    const s = await simSetup({ requestTimeoutMs: 1000 });
    await s.backend.putLimit({ ...tpm, capacity: 0 });
    s.cluster.setUnavailable(s.clock.now() + 5000);

    const put = s.backend.putLimit({ ...tpm, capacity: 3 });
    await drain();
    s.clock.advance(1000);
    expect(await put).toEqual({ ok: true, status: 'active' });

    s.clock.advance(4000); // back up: the raise waiting at the cluster is applied now
    await s.backend.tick(); // and sent again under the same id: `exists`
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 0, available: 3, debt: 0n });
  });

  it('brings the ledger in line with the registry at start-up (a fresh cluster)', async () => {
    const registry = LimitRegistry.inMemory();
    registry.commit(registry.plan(tpm));
    const s = await simSetup({ registry });
    expect(await usage(s, 'llm:tpm')).toEqual({ held: 0, available: 10, debt: 0n });
    expect(s.logger.events.map((e) => e.event)).toContain('tigerbeetle_capacity_reconciled');
  });
});

describe('tigerbeetle backend: time and capacity changes', () => {
  it('stands still when the clock steps back, even after an instant with no transfer', async () => {
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    s.clock.advance(5000);
    // Answered without a transfer (unknown key); the ledger is still shown the instant.
    const refused = await reserve(s, LEASE_A, { 'llm:nope': 1 });
    expect(refused.error).toBe('unknown_limit_key:llm:nope');
    const standing = s.clock.now();

    s.clock.set(standing - 3000);
    expect(await reserve(s, LEASE_B, { 'llm:tpm': 1 })).toMatchObject({
      allowed: true,
      reserved_at_unix_ms: standing,
    });
  });

  it('retries a decrease whose id a previous process burned at the same instant', async () => {
    const s = await simSetup();
    await s.backend.putLimit({ ...tpm, window_seconds: 1 });
    await reserve(s, LEASE_A, { 'llm:tpm': 6 });
    expect(await s.backend.putLimit({ ...tpm, capacity: 5 })).toMatchObject({
      status: 'decreasing',
    });

    s.clock.advance(500);
    await s.backend.tick(); // does not fit: the attempt's id is burned
    await s.restart();
    await s.backend.tick(); // same instant, same first label: burned, so the next one is used
    expect(s.registry.get('llm:tpm')!.status).toBe('decreasing');

    s.clock.advance(500); // the hold expires
    await s.backend.tick();
    expect(await s.backend.getLimit('llm:tpm')).toMatchObject({
      status: 'active',
      definition: { capacity: 5 },
      usage: { held: 0, available: 5, debt: 0n },
    });
    expect(s.logger.events.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('leaves the ledger alone when the registry cannot persist an increase', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tb-registry-'));
    try {
      let failWrites = false;
      const registry = LimitRegistry.open(join(folder, 'limits.json'), {
        afterTempWritten: () => {
          if (failWrites) throw new Error('disk full');
        },
      });
      const s = await simSetup({ registry });
      await s.backend.putLimit(tpm);

      failWrites = true;
      await expect(s.backend.putLimit({ ...tpm, capacity: 50 })).rejects.toThrow('disk full');
      failWrites = false;
      expect(await usage(s, 'llm:tpm')).toEqual({ held: 0, available: 10, debt: 0n });

      // The same change again, once the disk is fine: applied.
      expect(await s.backend.putLimit({ ...tpm, capacity: 50 })).toMatchObject({ ok: true });
      expect(await usage(s, 'llm:tpm')).toEqual({ held: 0, available: 50, debt: 0n });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('tigerbeetle backend: metrics', () => {
  it('reports each ledger request and the statuses it got', async () => {
    const requests: Array<[string, number]> = [];
    const statuses = new Map<string, number>();
    const metrics = {
      request: (operation: string, events: number) => void requests.push([operation, events]),
      statuses: (operation: string, status: string, count: number) => {
        const name = `${operation}:${status}`;
        statuses.set(name, (statuses.get(name) ?? 0) + count);
      },
    };
    const s = await simSetup({ metrics });
    await s.backend.putLimit(tpm);
    await reserve(s, LEASE_A, { 'llm:tpm': 8 });
    await reserve(s, LEASE_B, { 'llm:tpm': 8 });

    expect(requests).toContainEqual(['create_accounts', 1]); // the operator, at start-up
    expect(requests.filter(([op]) => op === 'create_transfers').length).toBeGreaterThanOrEqual(3);
    expect(statuses.get('create_transfers:created')).toBe(2); // the capacity, then lease A
    expect(statuses.get('create_transfers:exceeds_credits')).toBe(1); // lease B
  });
});

describe('tigerbeetle backend: read-outs of several keys', () => {
  it('reads several keys from one lookup, each as getLimit gives it', async () => {
    const s = await simSetup();
    await s.backend.putLimit(tpm);
    await s.backend.putLimit(inflight);
    await reserve(s, LEASE_A, { 'llm:tpm': 7, 'llm:inflight': 1 });
    await s.backend.complete({
      lease_id: LEASE_A,
      actuals: [{ key: 'llm:tpm', actual_amount: 12 }],
    });
    await s.backend.putLimit({ ...inflight, capacity: 1 });

    const keys = ['llm:inflight', 'no:such:key', 'llm:tpm'];
    const lookupsBefore = s.cluster.counters().requests;
    const many = await s.backend.getLimits(keys);
    const lookups = s.cluster.counters().requests - lookupsBefore;
    const one = [];
    for (const key of keys) one.push(await s.backend.getLimit(key));

    expect(many).toEqual(one);
    expect(many[1]).toBeUndefined();
    expect(many[0]).toMatchObject({ status: 'decreasing', pending_decrease_to: 1 });
    expect(many[2]!.usage).toEqual({ held: 7, available: 3, debt: 5n });
    expect(lookups).toBe(1);
    expect(await s.backend.getLimits(['no:such:key'])).toEqual([undefined]);
  });
});
