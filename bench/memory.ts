/**
 * Memory backend benchmarks, with rate-limiter-flexible's RateLimiterMemory in the same run as a
 * reference. Time inside the backend is a FakeClock stepped by the bench (and ticked on each
 * whole second, as a server does), so the figures measure decisions, not waiting.
 *
 * How many leases the backend remembers matters (a bigger lease map misses the CPU caches more):
 * it is offered rate × (window + retention). Each bench's name says what it offers.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

import { createMemoryBackend, type MemoryBackend } from '../src/backends/memory/index.ts';
import type { LimitDefinition } from '../src/domain/limits.ts';
import type { Actual, ReserveRequest, Requirement } from '../src/domain/requests.ts';
import { UlidFactory } from '../src/domain/ulid.ts';
import { LimitRegistry } from '../src/registry/registry.ts';
import { FakeClock } from '../src/time/fake-clock.ts';
import { SeededRandom } from '../src/time/random.ts';
import { measureAsync, measureSync, registerBenches, type Measurement } from './harness.ts';

const START_MS = 1_700_000_000_000;

/** Lease ids are made beforehand and reused in a ring far larger than the leases remembered. */
const RING_SIZE = 1 << 19;
let ring: string[] | undefined;

function leaseIds(): string[] {
  if (ring === undefined) {
    const factory = new UlidFactory(new FakeClock(START_MS), new SeededRandom(11));
    const built = Array.from({ length: RING_SIZE }, () => factory.next());
    // UlidFactory concatenates, leaving ropes of 26 pieces; ids from JSON.parse are flat.
    ring = JSON.parse(JSON.stringify(built)) as string[];
  }
  return ring;
}

interface Rig {
  clock: FakeClock;
  backend: MemoryBackend;
}

function rig(definitions: LimitDefinition[], leaseRetentionMs: number): Rig {
  const clock = new FakeClock(START_MS);
  const backend = createMemoryBackend({
    clock,
    random: new SeededRandom(1),
    registry: LimitRegistry.inMemory(),
    leaseRetentionMs,
  });
  for (const definition of definitions) {
    const answer = backend.putLimitNow(definition);
    if (!answer.ok) throw new Error(`bench setup: ${answer.error}`);
  }
  return { clock, backend };
}

/** Moves the rig's clock by 1 ms, ticking the backend on each whole second. */
function step(r: Rig): void {
  r.clock.advance(1);
  if (r.clock.now() % 1000 === 0) r.backend.tickNow();
}

const RPM = 'global:llm:openai:gpt-4o:rpm';

/**
 * One key with a 1 s window and a capacity of half what is offered in a second, so that in
 * steady state half the reserves are allowed and half denied; every one has a fresh lease, and
 * leases are remembered for 1 s after they end.
 */
function oneKey(perMs: number): { r: Rig; request: (i: number) => ReserveRequest } {
  const r = rig(
    [{ key: RPM, kind: 'rolling', capacity: perMs * 500, window_seconds: 1, overage: 'debt' }],
    1000,
  );
  const ids = leaseIds();
  const requirements: Requirement[] = [{ key: RPM, amount: 1 }];
  const request = (i: number): ReserveRequest => {
    if (i % perMs === perMs - 1) step(r);
    return { lease_id: ids[i & (RING_SIZE - 1)]!, requirements };
  };
  return { r, request };
}

function oneKeySync(perMs: number, ops: number): () => Promise<Measurement> {
  return async () => {
    const { r, request } = oneKey(perMs);
    return measureSync({ warmupOps: 300_000, ops }, (i) => {
      r.backend.reserveNow(request(i));
    });
  };
}

async function oneKeyAsync(): Promise<Measurement> {
  const { r, request } = oneKey(10);
  return measureAsync({ warmupOps: 200_000, ops: 1_000_000 }, (i) => r.backend.reserve(request(i)));
}

const TPM = 'global:llm:openai:gpt-4o:tpm';
const TENANT = 'tenant:acme:llm:tokens';
const SLOTS = 'tenant:acme:llm:concurrent';

/**
 * Four keys (two 60 s windows, one 120 s window, one concurrency limit), one pair a simulated
 * millisecond, all allowed: the complete shrinks one hold (release and re-reserve), grows
 * another (extra hold), leaves one as it is and releases the concurrency hold.
 */
async function fourKeyPairs(): Promise<Measurement> {
  const r = rig(
    [
      { key: TPM, kind: 'rolling', capacity: 1e12, window_seconds: 60, overage: 'debt' },
      { key: RPM, kind: 'rolling', capacity: 1e9, window_seconds: 60, overage: 'deny' },
      { key: TENANT, kind: 'rolling', capacity: 1e12, window_seconds: 120, overage: 'debt' },
      { key: SLOTS, kind: 'concurrency', capacity: 1e9, timeout_seconds: 60, overage: 'deny' },
    ],
    10_000,
  );
  const ids = leaseIds();
  const requirements: Requirement[] = [
    { key: TPM, amount: 2000 },
    { key: RPM, amount: 1 },
    { key: TENANT, amount: 2000 },
    { key: SLOTS, amount: 1 },
  ];
  const actuals: Actual[] = [
    { key: TPM, actual_amount: 1500 },
    { key: RPM, actual_amount: 1 },
    { key: TENANT, actual_amount: 2500 },
  ];

  return measureSync({ warmupOps: 50_000, ops: 250_000 }, (i) => {
    step(r);
    const lease_id = ids[i & (RING_SIZE - 1)]!;
    const answer = r.backend.reserveNow({ lease_id, requirements });
    if (!answer.allowed) throw new Error(`bench: 4-key reserve denied: ${answer.error}`);
    r.backend.completeNow({ lease_id, actuals });
  });
}

/** The reference: RateLimiterMemory consuming one point of one key, never over its limit. */
async function flexibleConsume(): Promise<Measurement> {
  const limiter = new RateLimiterMemory({ points: 1e12, duration: 1 });
  return measureAsync({ warmupOps: 200_000, ops: 1_500_000 }, () => limiter.consume(RPM, 1));
}

registerBenches(
  {
    name: 'memory: 1-key reserve, sync core (10/ms offered, ~15k leases kept)',
    unit: 'decision',
    run: oneKeySync(10, 2_500_000),
  },
  {
    name: 'memory: 1-key reserve, sync core (100/ms offered, ~150k leases kept)',
    unit: 'decision',
    run: oneKeySync(100, 1_000_000),
  },
  {
    name: 'memory: 1-key reserve, await backend.reserve (10/ms offered)',
    unit: 'decision',
    run: oneKeyAsync,
  },
  {
    name: 'memory: 4-key reserve + complete, sync core (1/ms offered)',
    unit: 'pair',
    run: fourKeyPairs,
  },
  {
    name: 'rate-limiter-flexible: RateLimiterMemory.consume, 1 key (reference)',
    unit: 'consume',
    run: flexibleConsume,
  },
);
