import { describe, expect, it } from 'vitest';

import { SimulatedCluster } from '../../sim/cluster/index.ts';
import type { Backend } from '../../src/backends/backend.ts';
import { createMemoryBackend } from '../../src/backends/memory/index.ts';
import { createTigerBeetleBackend } from '../../src/backends/tigerbeetle/index.ts';
import type { LimitDefinition } from '../../src/domain/limits.ts';
import type { Actual, CompleteRequest, ReserveRequest } from '../../src/domain/requests.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { randomInt, SeededRandom } from '../../src/time/random.ts';
import { advanceWithTicks } from '../../src/time/ticks.ts';

/**
 * Goal: the TigerBeetle backend on a simulated cluster answers exactly as the memory backend,
 * field for field, to the same operations at the same instants, concurrent ones included.
 * Method: seeded random runs of reserves, completes, batches, bursts of concurrent calls, limit
 * changes, ticks and usage read-outs against both, comparing every answer.
 */

const KEYS = ['r:small', 'r:big', 'c:slots', 'c:wide'];

function randomDefinition(random: SeededRandom, key: string): LimitDefinition {
  const overage = randomInt(random, 0, 1) === 0 ? 'deny' : 'debt';
  if (key.startsWith('r:')) {
    return {
      key,
      kind: 'rolling',
      capacity: key === 'r:small' ? randomInt(random, 0, 12) : randomInt(random, 50, 200),
      window_seconds: randomInt(random, 1, 4),
      overage,
    };
  }
  return {
    key,
    kind: 'concurrency',
    capacity: key === 'c:slots' ? randomInt(random, 1, 4) : randomInt(random, 10, 40),
    timeout_seconds: randomInt(random, 1, 3),
    overage,
  };
}

interface Run {
  random: SeededRandom;
  ulids: UlidFactory;
  leases: Array<{ id: string; keys: string[]; amounts: Map<string, number> }>;
}

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[randomInt(random, 0, items.length - 1)]!;
}

function randomReserve(run: Run): ReserveRequest {
  const { random } = run;
  if (run.leases.length > 0 && randomInt(random, 0, 4) === 0) {
    // A replay: the same requirements, or different ones.
    const lease = pick(random, run.leases);
    const requirements = lease.keys.map((key) => ({ key, amount: lease.amounts.get(key)! }));
    if (randomInt(random, 0, 3) === 0) requirements[0]!.amount += 1;
    return { lease_id: lease.id, requirements };
  }

  const keys = [...KEYS].filter(() => randomInt(random, 0, 2) === 0);
  if (keys.length === 0) keys.push(pick(random, KEYS));
  if (randomInt(random, 0, 9) === 0) keys.push('unknown:key');
  const requirements = keys.map((key) => ({
    key,
    amount: randomInt(random, 1, key.endsWith('big') || key.endsWith('wide') ? 60 : 6),
  }));
  const id = run.ulids.next();
  run.leases.push({ id, keys, amounts: new Map(requirements.map((r) => [r.key, r.amount])) });
  return { lease_id: id, requirements };
}

function randomComplete(run: Run): CompleteRequest {
  const { random } = run;
  if (run.leases.length === 0 || randomInt(random, 0, 9) === 0) {
    return { lease_id: run.ulids.next(), actuals: [] };
  }
  const lease = pick(random, run.leases);
  const actuals: Actual[] = [];
  for (const key of lease.keys) {
    if (randomInt(random, 0, 3) === 0) continue;
    const reserved = lease.amounts.get(key)!;
    actuals.push({ key, actual_amount: randomInt(random, 0, reserved * 2 + 3) });
  }
  return { lease_id: lease.id, actuals };
}

async function runOnce(seed: number, steps: number): Promise<void> {
  const clock = new FakeClock(1_700_000_000_000 + seed * 7919);
  const cluster = new SimulatedCluster({ clock });
  const memory: Backend = createMemoryBackend({
    clock,
    random: new SeededRandom(seed),
    registry: LimitRegistry.inMemory(),
  });
  const ledger: Backend = await createTigerBeetleBackend({
    clock,
    random: new SeededRandom(seed),
    registry: LimitRegistry.inMemory(),
    ledgers: [cluster.client(), cluster.client(), cluster.client()],
    maxEventsPerRequest: 64,
  });
  const random = new SeededRandom(seed ^ 0x5eed);
  const run: Run = { random, ulids: new UlidFactory(clock, random.fork('ulid')), leases: [] };

  const both = async <T>(what: string, call: (b: Backend) => Promise<T>): Promise<void> => {
    const [expected, actual] = await Promise.all([call(memory), call(ledger)]);
    expect(actual, `seed ${seed}, at ${clock.now()}: ${what}`).toEqual(expected);
  };

  for (const key of KEYS) {
    const definition = randomDefinition(random, key);
    await both(`put ${key}`, (b) => b.putLimit(definition));
  }

  for (let step = 0; step < steps; step++) {
    if (USAGE_EVERY_STEP) {
      for (const key of KEYS) await both(`step ${step}: getLimit ${key}`, (b) => b.getLimit(key));
    }
    const roll = randomInt(random, 0, 99);
    if (roll < 30) {
      const request = randomReserve(run);
      await both(`reserve ${JSON.stringify(request)}`, (b) => b.reserve(request));
    } else if (roll < 50) {
      const request = randomComplete(run);
      await both(`complete ${JSON.stringify(request)}`, (b) => b.complete(request));
    } else if (roll < 62) {
      // Concurrent callers: the memory backend runs them in call order.
      type Call = { reserve: ReserveRequest } | { complete: CompleteRequest };
      const calls = Array.from({ length: randomInt(random, 2, 8) }, (): Call =>
        randomInt(random, 0, 2) === 0
          ? { complete: randomComplete(run) }
          : { reserve: randomReserve(run) },
      );
      const fire = (b: Backend): Promise<unknown[]> =>
        Promise.all(
          calls.map((c) => ('reserve' in c ? b.reserve(c.reserve) : b.complete(c.complete))),
        );
      await both(`burst ${JSON.stringify(calls)}`, fire);
    } else if (roll < 70) {
      const requests = Array.from({ length: randomInt(random, 1, 6) }, () => randomReserve(run));
      if (randomInt(random, 0, 1) === 0) requests.push(structuredClone(requests[0]!));
      await both(`reserveBatch ${JSON.stringify(requests)}`, (b) => b.reserveBatch(requests));
    } else if (roll < 75) {
      const requests = Array.from({ length: randomInt(random, 1, 5) }, () => randomComplete(run));
      await both(`completeBatch ${JSON.stringify(requests)}`, (b) => b.completeBatch(requests));
    } else if (roll < 80) {
      const definition = randomDefinition(random, pick(random, KEYS));
      await both(`put ${JSON.stringify(definition)}`, (b) => b.putLimit(definition));
    } else if (roll < 82) {
      // A clock stepped back: both backends hold time still until it catches up.
      clock.set(Math.max(0, clock.now() - pick(random, [1, 400, 1500])));
    } else if (roll < 92) {
      const ms = pick(random, [0, 1, 17, 250, 999, 1000, 1001, 2500]);
      await advanceWithTicks(clock, ms, 1000, async () => {
        await memory.tick();
        await ledger.tick();
      });
    } else {
      const key = pick(random, [...KEYS, 'unknown:key']);
      await both(`getLimit ${key}`, (b) => b.getLimit(key));
    }
  }

  for (const key of KEYS) await both(`final getLimit ${key}`, (b) => b.getLimit(key));
  await both('listLimits', (b) => b.listLimits());
}

/** `TB_DIFF_SEEDS=3,17` replays chosen seeds; `TB_DIFF_STEPS` sets the length of each run. */
const SEEDS = (process.env.TB_DIFF_SEEDS ?? '1,2,3,4,5,6,7,8').split(',').map(Number);
const STEPS = Number(process.env.TB_DIFF_STEPS ?? 400);
/** `TB_DIFF_USAGE=1` also compares every key's usage before each step, to find where they part. */
const USAGE_EVERY_STEP = process.env.TB_DIFF_USAGE === '1';

describe('tigerbeetle (simulated) against memory: identical answers', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    console.log(
      `differential run, seed ${seed}, ${STEPS} steps (replay: TB_DIFF_SEEDS=${seed} ` +
        'npx vitest run test/backends/tigerbeetle-differential.test.ts)',
    );
    await runOnce(seed, STEPS);
  });
});
