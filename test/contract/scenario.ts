/**
 * What a contract test holds: the context it built, the backend under test, and helpers that
 * speak the contract's language (define, reserve, complete, usage, time). Everything goes
 * through Backend methods and the clock, never a backend's internals, so any backend can run it.
 */
import { expect } from 'vitest';

import type { Backend } from '../../src/backends/backend.ts';
import type { LimitDefinition, LimitView, Overage, Usage } from '../../src/domain/limits.ts';
import type {
  Actual,
  CompleteResponse,
  Requirement,
  ReserveResponse,
} from '../../src/domain/requests.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { advanceWithTicks } from '../../src/time/ticks.ts';
import type { ContractContext } from './backend-contract.ts';
import { HintModel } from './hint-model.ts';

/** Every contract test starts at this instant (a whole second, so ticks fall on t0 + k·1000). */
export const T0_MS = 1_700_000_000_000;
export const TICK_MS = 1000;

/** `{tokens: 5, requests: 1}` → requirements in that order. */
export type Amounts = Record<string, number>;

export function requirementsOf(amounts: Amounts): Requirement[] {
  return Object.entries(amounts).map(([key, amount]) => ({ key, amount }));
}

export function actualsOf(amounts: Amounts): Actual[] {
  return Object.entries(amounts).map(([key, actual_amount]) => ({ key, actual_amount }));
}

export function rolling(
  key: string,
  capacity: number,
  windowSeconds: number,
  overage: Overage = 'debt',
): LimitDefinition {
  return { key, kind: 'rolling', capacity, window_seconds: windowSeconds, overage };
}

export function concurrency(
  key: string,
  capacity: number,
  timeoutSeconds: number,
): LimitDefinition {
  return { key, kind: 'concurrency', capacity, timeout_seconds: timeoutSeconds, overage: 'deny' };
}

export function allowedAt(reservedAtMs: number): ReserveResponse {
  return { allowed: true, retry_after_ms: 0, reserved_at_unix_ms: reservedAtMs, error: '' };
}

export function deniedWith(error: string, retryAfterMs: number): ReserveResponse {
  return { allowed: false, retry_after_ms: retryAfterMs, reserved_at_unix_ms: 0, error };
}

export const OK: CompleteResponse = { ok: true, error: '' };

export class Scenario {
  /**
   * Lease ids come from their own random stream, so the backend's jitter source sees only the
   * backend's draws.
   */
  private readonly ids: UlidFactory;
  /** The hints the backend owes; told of every capacity denial and allowed reserve. */
  readonly hints: HintModel;

  constructor(
    readonly ctx: ContractContext,
    readonly backend: Backend,
  ) {
    this.ids = new UlidFactory(ctx.clock, new SeededRandom(ctx.seed).fork('lease ids'));
    this.hints = new HintModel(ctx.seed, ctx.retryPolicy);
  }

  /** Milliseconds since the test began. */
  get elapsedMs(): number {
    return this.ctx.clock.now() - T0_MS;
  }

  lease(): string {
    return this.ids.next();
  }

  async define(...definitions: LimitDefinition[]): Promise<void> {
    for (const definition of definitions) {
      const answer = await this.backend.putLimit(definition);
      expect(answer, `put ${definition.key}`).toMatchObject({ ok: true });
    }
  }

  reserve(leaseId: string, amounts: Amounts): Promise<ReserveResponse> {
    return this.backend.reserve({ lease_id: leaseId, requirements: requirementsOf(amounts) });
  }

  complete(leaseId: string, actuals: Amounts = {}): Promise<CompleteResponse> {
    return this.backend.complete({ lease_id: leaseId, actuals: actualsOf(actuals) });
  }

  /** Reserves under a fresh lease and insists it is allowed; returns the lease id. */
  async hold(amounts: Amounts): Promise<string> {
    const leaseId = this.lease();
    await this.expectAllowed(leaseId, amounts);
    return leaseId;
  }

  /** Reserves and insists on `allowed` at the clock's instant (streaks of its keys reset). */
  async expectAllowed(leaseId: string, amounts: Amounts): Promise<void> {
    const answer = await this.reserve(leaseId, amounts);
    expect(answer, `reserve ${JSON.stringify(amounts)}`).toEqual(allowedAt(this.ctx.clock.now()));
    this.hints.allowed(Object.keys(amounts));
  }

  /**
   * Reserves and insists on a capacity denial failing on `failing` (the first key in request
   * order without room), with the exact hint the formula gives. Returns the answer.
   */
  async expectCapacityDenial(
    leaseId: string,
    amounts: Amounts,
    failing: LimitDefinition,
  ): Promise<ReserveResponse> {
    const answer = await this.reserve(leaseId, amounts);
    const expected = deniedWith('', this.hints.denial(failing));
    expect(answer, `reserve ${JSON.stringify(amounts)}, short on ${failing.key}`).toEqual(expected);
    return answer;
  }

  async view(key: string): Promise<LimitView> {
    const view = await this.backend.getLimit(key);
    expect(view, `getLimit ${key}`).toBeDefined();
    return view!;
  }

  async usage(key: string): Promise<Usage> {
    return (await this.view(key)).usage;
  }

  async held(key: string): Promise<number> {
    return (await this.usage(key)).held;
  }

  /** Moves time forward by `ms`, ticking the backend on every whole second on the way. */
  advance(ms: number): Promise<void> {
    return advanceWithTicks(this.ctx.clock, ms, TICK_MS, () => this.backend.tick());
  }

  /** Moves time to `t0 + offsetMs`, ticking on the way. */
  at(offsetMs: number): Promise<void> {
    const ms = T0_MS + offsetMs - this.ctx.clock.now();
    expect(ms, `at(${offsetMs}) lies in the past`).toBeGreaterThanOrEqual(0);
    return this.advance(ms);
  }

  /**
   * Jumps far ahead without stopping at each tick (a year holds 31 million of them): the clock
   * moves, then the backend ticks once. Nothing in such a test waits on a tick in between.
   */
  async jumpTo(offsetMs: number): Promise<void> {
    expect(offsetMs % TICK_MS, 'jumpTo lands on a tick instant').toBe(0);
    this.ctx.clock.set(T0_MS + offsetMs);
    await this.backend.tick();
  }
}
