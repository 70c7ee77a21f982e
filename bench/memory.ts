/**
 * Memory backend benchmarks, with rate-limiter-flexible's RateLimiterMemory in the same run as a
 * reference. Time inside the backend is a FakeClock stepped by the bench (and ticked on each
 * whole second, as a server does), so the figures measure decisions, not waiting.
 *
 * What makes the figures honest:
 * - Every reserve has its own lease, named by a fresh string object, as an id parsed from a
 *   request is: the backend pays for hashing it (a string reused from a ring would carry its
 *   hash from the last lap, which made lookups look about 70 ns cheaper than they are).
 * - How many leases the backend remembers matters (a bigger lease map misses the CPU caches
 *   more): it is the offered rate × (window + retention). Each bench's name says what it offers.
 * - The reference consumes one key as many times as the 1-key benches reserve, awaiting each
 *   promise, which RateLimiterMemory always returns; it is never over its limit (its cheapest
 *   path: a denial rejects the promise).
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
const ULID_LENGTH = 26;

/** Operations timed by each 1-key bench and by the reference, after their warm-up. */
const ONE_KEY_OPS = 2_000_000;
const ONE_KEY_WARMUP_OPS = 300_000;

/**
 * Lease ids, made beforehand as one flat text of RING_SIZE ids back to back; far more than the
 * leases remembered at once, so an id comes back only after its last lease was forgotten.
 */
const RING_SIZE = 1 << 19;
let ringText: string | undefined;

/** A fresh string object for the i-th lease id of the ring (a slice: no hash cached yet). */
function leaseId(i: number): string {
  ringText ??= makeRingText();
  const at = (i & (RING_SIZE - 1)) * ULID_LENGTH;
  return ringText.substring(at, at + ULID_LENGTH);
}

function makeRingText(): string {
  const factory = new UlidFactory(new FakeClock(START_MS), new SeededRandom(11));
  return Array.from({ length: RING_SIZE }, () => factory.next()).join('');
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

interface OneKey {
  /** Reserves offered per simulated millisecond. */
  perMs: number;
  /** The share of a second's offer that the key's capacity admits (1: all allowed). */
  admitted: number;
}

/**
 * One key with a 1 s window, offered `perMs` reserves a simulated millisecond, each with a fresh
 * lease; its capacity admits `admitted` of what is offered, so that in steady state the rest is
 * denied. Leases are remembered for 1 s after they end.
 */
function oneKey(shape: OneKey): { r: Rig; request: (i: number) => ReserveRequest } {
  const capacity = shape.perMs * 1000 * shape.admitted;
  const definition: LimitDefinition = {
    key: RPM,
    kind: 'rolling',
    capacity,
    window_seconds: 1,
    overage: 'debt',
  };
  const r = rig([definition], 1000);
  const requirements: Requirement[] = [{ key: RPM, amount: 1 }];
  const request = (i: number): ReserveRequest => {
    if (i % shape.perMs === shape.perMs - 1) step(r);
    return { lease_id: leaseId(i), requirements };
  };
  return { r, request };
}

function oneKeySync(shape: OneKey, ops = ONE_KEY_OPS): () => Promise<Measurement> {
  return async () => {
    const { r, request } = oneKey(shape);
    return measureSync({ warmupOps: ONE_KEY_WARMUP_OPS, ops }, (i) => {
      r.backend.reserveNow(request(i));
    });
  };
}

function oneKeyAsync(shape: OneKey): () => Promise<Measurement> {
  return async () => {
    const { r, request } = oneKey(shape);
    const options = { warmupOps: ONE_KEY_WARMUP_OPS, ops: ONE_KEY_OPS };
    return measureAsync(options, (i) => r.backend.reserve(request(i)));
  };
}

const TPM = 'global:llm:openai:gpt-4o:tpm';
const TENANT = 'tenant:acme:llm:tokens';
const SLOTS = 'tenant:acme:llm:concurrent';

/**
 * Four keys (two 60 s windows, one 120 s window, one concurrency limit), one pair a simulated
 * millisecond, all allowed: the complete shrinks one hold (release and re-reserve), grows
 * another (extra hold), leaves one as it is and releases the concurrency hold. Leases are
 * remembered for 10 s after they end: with the 120 s window, about 130k at a time.
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

  return measureSync({ warmupOps: 100_000, ops: 400_000 }, (i) => {
    step(r);
    const lease_id = leaseId(i);
    const answer = r.backend.reserveNow({ lease_id, requirements });
    if (!answer.allowed) throw new Error(`bench: 4-key reserve denied: ${answer.error}`);
    r.backend.completeNow({ lease_id, actuals });
  });
}

/** The reference: RateLimiterMemory consuming one point of one key, never over its limit. */
async function flexibleConsume(): Promise<Measurement> {
  const limiter = new RateLimiterMemory({ points: 1e12, duration: 1 });
  const options = { warmupOps: ONE_KEY_WARMUP_OPS, ops: ONE_KEY_OPS };
  return measureAsync(options, () => limiter.consume(RPM, 1));
}

registerBenches(
  {
    name: 'memory: 1-key reserve, sync core (10/ms offered, all allowed, ~20k leases kept)',
    unit: 'decision',
    run: oneKeySync({ perMs: 10, admitted: 1 }),
  },
  {
    name: 'memory: 1-key reserve, sync core (10/ms offered, half denied, ~15k leases kept)',
    unit: 'decision',
    run: oneKeySync({ perMs: 10, admitted: 0.5 }),
  },
  {
    name: 'memory: 1-key reserve, sync core (100/ms offered, half denied, ~150k leases kept)',
    unit: 'decision',
    run: oneKeySync({ perMs: 100, admitted: 0.5 }, 1_000_000),
  },
  {
    name: 'memory: 1-key reserve, await backend.reserve (10/ms offered, all allowed)',
    unit: 'decision',
    run: oneKeyAsync({ perMs: 10, admitted: 1 }),
  },
  {
    name: 'memory: 4-key reserve + complete, sync core (1/ms offered, ~130k leases kept)',
    unit: 'pair',
    run: fourKeyPairs,
  },
  {
    name: 'rate-limiter-flexible: await RateLimiterMemory.consume, 1 key (reference)',
    unit: 'consume',
    run: flexibleConsume,
  },
);
