import { describe, expect, it } from 'vitest';

import { runFuzz } from '../../sim/workloads/fuzz-run.ts';
import { waitForQuiet } from './cli.ts';

/**
 * Goal: the fuzzer, with a fixed seed, finds nothing on the real backends and finds the planted
 * bug on the broken one. Method: fast-check model-based runs (reserves, completes, batches, limit
 * changes, time, duplicate/late/lost deliveries; restarts and cluster cut-offs in the last case)
 * on memory vs TigerBeetle on the simulated cluster, and on memory vs broken-capacity.
 */
const SEED = 20231116;

function describeFailure(outcome: Awaited<ReturnType<typeof runFuzz>>): string {
  const failure = outcome.failure;
  if (failure === undefined) return 'none';
  return `seed ${failure.seed} path ${failure.path}: ` +
    failure.findings.map((f) => `${f.rule} ${f.target ?? ''} ${f.message}`).join('; ');
}

describe('fuzz', () => {
  it('finds nothing on memory vs TigerBeetle without one-sided faults', async () => {
    console.log(`fuzz seed ${SEED}`);
    const outcome = await runFuzz({ seed: SEED, runs: 150, steps: 60,
      backends: ['memory', 'tigerbeetle'], faults: false, waitForQuiet });
    expect(describeFailure(outcome)).toBe('none');
    expect(outcome.runs).toBe(150);
    expect(outcome.stats.allowed).toBeGreaterThan(0);
    expect(outcome.stats.denied).toBeGreaterThan(0);
  }, 120_000);

  it('finds nothing on memory vs TigerBeetle with restarts and cluster cut-offs', async () => {
    console.log(`fuzz seed ${SEED}`);
    const outcome = await runFuzz({ seed: SEED, runs: 150, steps: 60,
      backends: ['memory', 'tigerbeetle'], faults: true, waitForQuiet });
    expect(describeFailure(outcome)).toBe('none');
  }, 120_000);

  it('finds the planted off-by-one on the broken backend', async () => {
    console.log(`fuzz seed ${SEED}`);
    const outcome = await runFuzz({ seed: SEED, runs: 150, steps: 60,
      backends: ['memory', 'broken-capacity'], faults: false, waitForQuiet });
    expect(outcome.failure).toBeDefined();
    expect(outcome.failure!.findings.some((f) => f.kind === 'difference')).toBe(true);
    expect(outcome.failure!.findings.some((f) => f.target === 'broken-capacity')).toBe(true);
  }, 120_000);
});
