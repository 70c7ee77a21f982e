/**
 * TigerBeetle backend benchmarks on the simulated cluster: reserve + complete pairs per second
 * through the whole backend (sequencer, submitter, ledger client, cluster state machine). Time is
 * a FakeClock stepped by the bench, one millisecond per round, ticking on whole seconds; the
 * figures measure the work, not waiting.
 *
 * Run alone with `npm run bench -- tigerbeetle`.
 */
import { SimulatedCluster } from '../sim/cluster/index.ts';
import {
  createTigerBeetleBackend,
  type TigerBeetleBackend,
} from '../src/backends/tigerbeetle/index.ts';
import type { LimitDefinition } from '../src/domain/limits.ts';
import type { CompleteRequest, ReserveRequest } from '../src/domain/requests.ts';
import { UlidFactory } from '../src/domain/ulid.ts';
import { LimitRegistry } from '../src/registry/registry.ts';
import { FakeClock } from '../src/time/fake-clock.ts';
import { SeededRandom } from '../src/time/random.ts';
import { type Measurement, registerBenches } from './harness.ts';

const START_MS = 1_700_000_000_000;
const LEASE_RING = 1 << 18;

const LIMITS: LimitDefinition[] = [
  { key: 'bench:tpm', kind: 'rolling', capacity: 1e12, window_seconds: 60, overage: 'debt' },
  {
    key: 'bench:inflight',
    kind: 'concurrency',
    capacity: 1e9,
    timeout_seconds: 30,
    overage: 'deny',
  },
];

interface Rig {
  clock: FakeClock;
  backend: TigerBeetleBackend;
  leases: string[];
}

async function rig(clients: number): Promise<Rig> {
  const clock = new FakeClock(START_MS);
  const cluster = new SimulatedCluster({ clock });
  const backend = await createTigerBeetleBackend({
    clock,
    random: new SeededRandom(1),
    registry: LimitRegistry.inMemory(),
    ledgers: Array.from({ length: clients }, () => cluster.client()),
    // Leases are remembered 1 s after they end, so the lease book stays small over a long run.
    leaseRetentionMs: 1000,
  });
  for (const definition of LIMITS) {
    const answer = await backend.putLimit(definition);
    if (!answer.ok) throw new Error(`bench setup: ${answer.error}`);
  }
  const factory = new UlidFactory(clock, new SeededRandom(7));
  const leases = Array.from({ length: LEASE_RING }, () => factory.next());
  return { clock, backend, leases };
}

function reserveOf(lease: string): ReserveRequest {
  return {
    lease_id: lease,
    requirements: [
      { key: 'bench:tpm', amount: 500 },
      { key: 'bench:inflight', amount: 1 },
    ],
  };
}

function completeOf(lease: string): CompleteRequest {
  return { lease_id: lease, actuals: [{ key: 'bench:tpm', actual_amount: 320 }] };
}

/** One reserve and its complete, awaited in turn, as one caller would. */
async function pair(r: Rig, i: number): Promise<void> {
  const lease = r.leases[i & (LEASE_RING - 1)]!;
  const reserved = await r.backend.reserve(reserveOf(lease));
  if (!reserved.allowed) throw new Error(`bench: reserve denied: ${JSON.stringify(reserved)}`);
  const completed = await r.backend.complete(completeOf(lease));
  if (!completed.ok) throw new Error(`bench: complete failed: ${completed.error}`);
}

/** Moves time 1 ms, ticking on whole seconds as the server would. */
async function step(r: Rig): Promise<void> {
  r.clock.advance(1);
  if (r.clock.now() % 1000 === 0) await r.backend.tick();
}

/**
 * `callers` concurrent callers, each doing pairs; all callers of a round share one simulated
 * millisecond, so their transfers share requests. Warms up first, then times `rounds`.
 */
async function pairs(callers: number, rounds: number, clients: number): Promise<Measurement> {
  const r = await rig(clients);
  let next = 0;
  const round = async (): Promise<void> => {
    await Promise.all(Array.from({ length: callers }, () => pair(r, next++)));
    await step(r);
  };

  for (let i = 0; i < Math.max(5, rounds / 10); i++) await round();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await round();
  const elapsedNs = process.hrtime.bigint() - started;
  const used = process.cpuUsage(cpu);
  await r.backend.close();
  return { ops: rounds * callers, elapsedNs, cpuMicros: used.user + used.system };
}

registerBenches(
  {
    name: 'tigerbeetle (sim): reserve+complete, 1 caller, 2-key lease',
    unit: 'pair',
    run: () => pairs(1, 50_000, 1),
  },
  {
    name: 'tigerbeetle (sim): reserve+complete, 64 callers, 4 clients',
    unit: 'pair',
    run: () => pairs(64, 800, 4),
  },
  {
    name: 'tigerbeetle (sim): reserve+complete, 1024 callers, 4 clients',
    unit: 'pair',
    run: () => pairs(1024, 50, 4),
  },
);
