/**
 * Memory backend benchmarks, with rate-limiter-flexible's RateLimiterMemory in the same run as a
 * reference point. Time inside the backend is a FakeClock stepped by the bench, so the figures
 * measure decisions, not waiting.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

import { createMemoryBackend, type MemoryBackend } from '../src/backends/memory/index.ts';
import type { LimitDefinition } from '../src/domain/limits.ts';
import type { Actual, Requirement } from '../src/domain/requests.ts';
import { UlidFactory } from '../src/domain/ulid.ts';
import { LimitRegistry } from '../src/registry/registry.ts';
import { FakeClock } from '../src/time/fake-clock.ts';
import { SeededRandom } from '../src/time/random.ts';
import { measureAsync, measureSync, registerBenches, type Measurement } from './harness.ts';

const START_MS = 1_700_000_000_000;
const RATE = 10;


/** Lease ids are drawn beforehand and reused in a ring far larger than the leases remembered. */
const LEASE_RING = 1 << 19;

function leaseRing(seed: number): string[] {
  const factory = new UlidFactory(new FakeClock(START_MS), new SeededRandom(seed));
  return Array.from({ length: LEASE_RING }, () => factory.next());
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

/** Moves the rig's clock by 1 ms, ticking the backend on each whole second as a server would. */
function step(r: Rig): void {
  r.clock.advance(1);
  if (r.clock.now() % 1000 === 0) r.backend.tickNow();
}

/**
 * One key, 1 s window, capacity 50,000, offered 100 reserves a simulated millisecond: in steady
 * state about half are allowed and half denied, each a full decision with a fresh lease.
 */
function oneKeyRig(): { r: Rig; reserve: (i: number) => { lease_id: string; requirements: Requirement[] } } {
  const key = 'global:llm:openai:gpt-4o:rpm';
  const r = rig([{ key, kind: 'rolling', capacity: RATE * 500, window_seconds: 1, overage: 'debt' }], 1000);
  const ids = leaseRing(11);
  const requirements: Requirement[] = [{ key, amount: 1 }];
  const reserve = (i: number): { lease_id: string; requirements: Requirement[] } => {
    if (i % RATE === RATE - 1) step(r);
    return { lease_id: ids[i & (LEASE_RING - 1)]!, requirements };
  };
  return { r, reserve };
}

async function oneKeySync(): Promise<Measurement> {
  const { r, reserve } = oneKeyRig();
  return measureSync({ warmupOps: 500_000, ops: 4_000_000 }, (i) => {
    r.backend.reserveNow(reserve(i));
  });
}

async function oneKeyAsync(): Promise<Measurement> {
  const { r, reserve } = oneKeyRig();
  return measureAsync({ warmupOps: 200_000, ops: 1_500_000 }, (i) => r.backend.reserve(reserve(i)));
}

const TPM = 'global:llm:openai:gpt-4o:tpm';
const RPM = 'global:llm:openai:gpt-4o:rpm';
const TENANT = 'tenant:acme:llm:tokens';
const SLOTS = 'tenant:acme:llm:concurrent';

/**
 * Four keys (two 60 s windows, one 120 s window, one concurrency limit), one pair a simulated
 * millisecond, all allowed: the complete shrinks one hold (void and re-reserve), grows another
 * (extra hold), leaves one as is and releases the concurrency hold.
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
  const ids = leaseRing(12);
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

  return measureSync({ warmupOps: 50_000, ops: 400_000 }, (i) => {
    step(r);
    const lease_id = ids[i & (LEASE_RING - 1)]!;
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
  { name: 'memory: 1-key reserve decisions (sync core)', unit: 'decision', run: oneKeySync },
  { name: 'memory: 1-key reserve decisions (await reserve)', unit: 'decision', run: oneKeyAsync },
  { name: 'memory: 4-key reserve+complete pairs (sync core)', unit: 'pair', run: fourKeyPairs },
  { name: 'rate-limiter-flexible: RateLimiterMemory consume', unit: 'consume', run: flexibleConsume },
);
