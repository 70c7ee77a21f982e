/**
 * The backend contract suite: every rule of SEMANTICS.md, written once and run against each
 * backend (test/backends/<name>.test.ts). Each test builds a fresh context (a FakeClock at T0_MS,
 * a SeededRandom of the suite's seed, an in-memory registry), asks `makeBackend` for a backend,
 * and observes it only through Backend methods; time moves only through the clock and
 * advanceWithTicks. The seed is in the suite's name and in every failure message; set
 * CONTRACT_SEED to run with another.
 */
import { describe, it } from 'vitest';

import type { Backend } from '../../src/backends/backend.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/domain/retry-policy.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { batchRules } from './batch-rules.ts';
import { completeRules } from './complete-rules.ts';
import { limitRules } from './limit-rules.ts';
import { replayRules } from './replay-rules.ts';
import { reserveRules } from './reserve-rules.ts';
import { retryRules } from './retry-rules.ts';
import { Scenario, T0_MS } from './scenario.ts';
import { timeRules } from './time-rules.ts';

export interface ContractContext {
  clock: FakeClock;
  /** The backend's jitter source; the suite never draws from it. */
  random: SeededRandom;
  registry: LimitRegistry;
  retryPolicy: RetryPolicy;
  seed: number;
}

export interface ContractTestOptions {
  /** A policy other than the default, for tests of configured values. */
  retryPolicy?: RetryPolicy;
}

/** Declares one contract test; the body gets a fresh backend in a Scenario. */
export type ContractTest = (
  title: string,
  body: (s: Scenario) => Promise<void>,
  options?: ContractTestOptions,
) => void;

const DEFAULT_SEED = 20_241_204;

function contractSeed(): number {
  const text = process.env.CONTRACT_SEED;
  if (text === undefined || text === '') return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`CONTRACT_SEED: not an integer: ${text}`);
  return seed;
}

export function describeBackendContract(
  name: string,
  makeBackend: (ctx: ContractContext) => Promise<Backend>,
): void {
  const seed = contractSeed();

  const test: ContractTest = (title, body, options = {}) => {
    it(title, async () => {
      const ctx: ContractContext = {
        clock: new FakeClock(T0_MS),
        random: new SeededRandom(seed),
        registry: LimitRegistry.inMemory(),
        retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
        seed,
      };
      const backend = await makeBackend(ctx);
      try {
        await body(new Scenario(ctx, backend));
      } catch (error) {
        if (error instanceof Error) {
          error.message += `\n  (backend ${name}, seed ${seed}: rerun with CONTRACT_SEED=${seed})`;
        }
        throw error;
      } finally {
        await backend.close();
      }
    });
  };

  describe(`backend contract: ${name} (seed ${seed})`, () => {
    describe('limits at run time', () => limitRules(test));
    describe('reserve', () => reserveRules(test));
    describe('replay of a known lease', () => replayRules(test));
    describe('complete', () => completeRules(test));
    describe('retry hints', () => retryRules(test));
    describe('batches', () => batchRules(test));
    describe('time', () => timeRules(test));
  });
}
