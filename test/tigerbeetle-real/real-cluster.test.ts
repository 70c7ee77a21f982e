import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createTigerBeetleBackend,
  type TigerBeetleBackend,
} from '../../src/backends/tigerbeetle/index.ts';
import { createRealLedgerClient } from '../../src/backends/tigerbeetle/real-ledger-client.ts';
import type { LimitDefinition } from '../../src/domain/limits.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { MemoryLogger } from '../../src/observability/logger.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { sleep } from '../../src/time/clock.ts';
import { CryptoRandom } from '../../src/time/crypto-random.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { SystemClock } from '../../src/time/system-clock.ts';
import { type RealCluster, startRealCluster } from './real-cluster.ts';

/**
 * Goal: the TigerBeetle backend behaves by the contract on a real TigerBeetle (0.17 line), not
 * only on the simulated cluster. Method: start a fresh single replica on 127.0.0.1 from
 * `$TB_BIN`, drive the backend in real time (SystemClock) with windows of 1 to 3 s, and check
 * every answer and read-out. The one thing forgiven is what the contract forgives a real cluster:
 * a hold released late (its periodic expiry step), never one released early.
 */

const TB_BIN = process.env.TB_BIN;
const SKIP_REASON = 'TigerBeetle real-cluster tests skipped: TB_BIN is not set';
/** How late a real cluster may release an expired hold. */
const LATE_RELEASE_MS = 1000;

if (TB_BIN === undefined || TB_BIN === '') console.log(SKIP_REASON);

describe.skipIf(TB_BIN === undefined || TB_BIN === '')('tigerbeetle backend, real cluster', () => {
  const clock = new SystemClock();
  const ulids = new UlidFactory(clock, new CryptoRandom());
  let cluster: RealCluster;
  let registry: LimitRegistry;
  let backend: TigerBeetleBackend;
  let logger: MemoryLogger;

  const newBackend = (): Promise<TigerBeetleBackend> =>
    createTigerBeetleBackend({
      clock,
      random: new SeededRandom(42),
      registry,
      logger,
      requestTimeoutMs: 2000,
      ledgers: [0, 1].map(() =>
        createRealLedgerClient({ clusterId: 0n, addresses: [cluster.address] }),
      ),
    });

  beforeAll(async () => {
    cluster = await startRealCluster(TB_BIN!);
    registry = LimitRegistry.inMemory();
    logger = new MemoryLogger();
    backend = await newBackend();
  }, 30_000);

  afterAll(async () => {
    await backend?.close();
    await cluster?.stop();
  });

  /** Runs a check; on failure, shows what the replica printed. */
  const withOutput = (name: string, check: () => Promise<void>, timeoutMs = 20_000): void => {
    it(
      name,
      async () => {
        try {
          await check();
        } catch (error) {
          (error as Error).message += `\n--- tigerbeetle output ---\n${cluster.output()}`;
          throw error;
        }
      },
      timeoutMs,
    );
  };

  const usage = async (key: string) => (await backend.getLimit(key))!.usage;

  /** Waits until `key` holds `held`, and returns when that was seen. */
  const waitForHeld = async (key: string, held: number, untilMs: number): Promise<number> => {
    for (;;) {
      if ((await usage(key)).held === held) return clock.now();
      if (clock.now() > untilMs) throw new Error(`${key}: held never reached ${held}`);
      await sleep(clock, 20);
    }
  };

  withOutput('holds, denies all or nothing, replays, and releases at the window end', async () => {
    const tpm: LimitDefinition = {
      key: 'real:tpm',
      kind: 'rolling',
      capacity: 10,
      window_seconds: 1,
      overage: 'debt',
    };
    expect(await backend.putLimit(tpm)).toEqual({ ok: true, status: 'active' });

    const lease = ulids.next();
    const before = clock.now();
    const first = await backend.reserve({
      lease_id: lease,
      requirements: [{ key: 'real:tpm', amount: 6 }],
    });
    expect(first.allowed).toBe(true);
    // reserved_at comes from the cluster's clock: on this host, close to ours.
    expect(Math.abs(first.reserved_at_unix_ms - before)).toBeLessThan(1000);

    const denied = await backend.reserve({
      lease_id: ulids.next(),
      requirements: [{ key: 'real:tpm', amount: 5 }],
    });
    expect(denied).toMatchObject({ allowed: false, error: '', reserved_at_unix_ms: 0 });
    expect(denied.retry_after_ms).toBeGreaterThan(0);
    const replay = await backend.reserve({
      lease_id: lease,
      requirements: [{ key: 'real:tpm', amount: 6 }],
    });
    expect(replay).toEqual(first);
    expect(await usage('real:tpm')).toEqual({ held: 6, available: 4, debt: 0n });

    // Released at reserved_at + 1000 at the earliest; a real cluster may be a little late.
    const expiresAtMs = first.reserved_at_unix_ms + 1000;
    const releasedAtMs = await waitForHeld('real:tpm', 0, expiresAtMs + 5000);
    expect(releasedAtMs).toBeGreaterThanOrEqual(expiresAtMs);
    expect(releasedAtMs).toBeLessThan(expiresAtMs + LATE_RELEASE_MS);
  });

  withOutput('frees a concurrency hold on complete and shrinks a rolling hold', async () => {
    await backend.putLimit({
      key: 'real:inflight',
      kind: 'concurrency',
      capacity: 2,
      timeout_seconds: 3,
      overage: 'deny',
    });
    await backend.putLimit({
      key: 'real:tokens',
      kind: 'rolling',
      capacity: 10,
      window_seconds: 3,
      overage: 'deny',
    });
    const lease = ulids.next();
    const requirements = [
      { key: 'real:inflight', amount: 2 },
      { key: 'real:tokens', amount: 8 },
    ];
    expect((await backend.reserve({ lease_id: lease, requirements })).allowed).toBe(true);
    const blocked = await backend.reserve({
      lease_id: ulids.next(),
      requirements: [{ key: 'real:inflight', amount: 1 }],
    });
    expect(blocked.allowed).toBe(false);

    const done = await backend.complete({
      lease_id: lease,
      actuals: [{ key: 'real:tokens', actual_amount: 2 }],
    });
    expect(done).toEqual({ ok: true, error: '' });
    expect(await usage('real:inflight')).toEqual({ held: 0, available: 2, debt: 0n });
    expect(await usage('real:tokens')).toEqual({ held: 2, available: 8, debt: 0n });
    expect(await backend.reserve({ lease_id: lease, requirements })).toMatchObject({
      allowed: false,
      error: 'lease_completed',
    });
  });

  withOutput('records overage as debt when the extra hold does not fit', async () => {
    await backend.putLimit({
      key: 'real:budget',
      kind: 'rolling',
      capacity: 5,
      window_seconds: 2,
      overage: 'debt',
    });
    const lease = ulids.next();
    await backend.reserve({ lease_id: lease, requirements: [{ key: 'real:budget', amount: 5 }] });
    const actuals = [{ key: 'real:budget', actual_amount: 9 }];
    await backend.complete({ lease_id: lease, actuals });
    expect(await usage('real:budget')).toEqual({ held: 5, available: 0, debt: 4n });
  });

  withOutput('applies a decrease on the tick after the room is there', async () => {
    await backend.putLimit({
      key: 'real:shrink',
      kind: 'rolling',
      capacity: 10,
      window_seconds: 3,
      overage: 'deny',
    });
    const lease = ulids.next();
    await backend.reserve({ lease_id: lease, requirements: [{ key: 'real:shrink', amount: 6 }] });
    expect(
      await backend.putLimit({
        key: 'real:shrink',
        kind: 'rolling',
        capacity: 5,
        window_seconds: 3,
        overage: 'deny',
      }),
    ).toEqual({ ok: true, status: 'decreasing' });

    await backend.tick();
    expect((await backend.getLimit('real:shrink'))!.status).toBe('decreasing');
    const actuals = [{ key: 'real:shrink', actual_amount: 0 }];
    await backend.complete({ lease_id: lease, actuals });
    await backend.tick();
    const view = await backend.getLimit('real:shrink');
    expect(view).toMatchObject({ status: 'active', pending_decrease_to: null });
    expect(view!.definition.capacity).toBe(5);
    expect(view!.usage).toEqual({ held: 0, available: 5, debt: 0n });
  });

  withOutput('after a restart of the backend, replays from the ledger', async () => {
    await backend.putLimit({
      key: 'real:restart',
      kind: 'rolling',
      capacity: 10,
      window_seconds: 3,
      overage: 'deny',
    });
    const allowedLease = ulids.next();
    const deniedLease = ulids.next();
    const first = await backend.reserve({
      lease_id: allowedLease,
      requirements: [{ key: 'real:restart', amount: 7 }],
    });
    const refused = await backend.reserve({
      lease_id: deniedLease,
      requirements: [{ key: 'real:restart', amount: 7 }],
    });
    expect(refused.allowed).toBe(false);

    await backend.close();
    backend = await newBackend();
    expect(
      await backend.reserve({
        lease_id: allowedLease,
        requirements: [{ key: 'real:restart', amount: 7 }],
      }),
    ).toEqual(first);
    expect(
      await backend.reserve({
        lease_id: deniedLease,
        requirements: [{ key: 'real:restart', amount: 7 }],
      }),
    ).toMatchObject({ allowed: false, error: '' });
    expect(await backend.complete({ lease_id: allowedLease, actuals: [] })).toEqual({
      ok: true,
      error: '',
    });
    expect(await usage('real:restart')).toMatchObject({ held: 7 });
  });

  withOutput('answers backend_error within the bounded wait while frozen', async () => {
    await backend.putLimit({
      key: 'real:frozen',
      kind: 'rolling',
      capacity: 10,
      window_seconds: 1,
      overage: 'deny',
    });
    cluster.pause();
    try {
      const started = clock.now();
      const answer = await backend.reserve({
        lease_id: ulids.next(),
        requirements: [{ key: 'real:frozen', amount: 1 }],
      });
      expect(answer).toMatchObject({ allowed: false, error: 'backend_error' });
      expect(clock.now() - started).toBeLessThan(2000 + 1000);
    } finally {
      cluster.resume();
    }
  });
});

describe.runIf(TB_BIN === undefined || TB_BIN === '')('tigerbeetle backend, real cluster', () => {
  it('is skipped', (context) => {
    context.skip(SKIP_REASON);
  });
});
