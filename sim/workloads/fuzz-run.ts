import fc from 'fast-check';

import { DEFAULT_DECREASE_POLL_MS } from '../../src/backends/options.ts';
import type { Finding } from '../check/findings.ts';
import type { SimOp } from '../engine/operations.ts';
import { minimizeOps, runOps } from '../engine/run-ops.ts';
import { emptyStats, type RunStats } from '../engine/run-stats.ts';
import type { WaitForQuiet } from '../engine/settle.ts';
import { DEFAULT_SHAPE, fuzzCommandsArbitrary, type FuzzCommand } from './fuzz-commands.ts';
import { compileFuzzCommands } from './fuzz-compile.ts';

export interface FuzzOptions {
  seed: number;
  runs: number;
  steps: number;
  backends: string[];
  faults: boolean;
  /** fast-check's path of a counterexample: replays exactly that run. */
  path?: string;
  waitForQuiet?: WaitForQuiet;
  /** Told after each random run (progress). */
  onRun?: (done: number) => void;
  /** Told once, when the first failing run starts being shrunk. */
  onShrink?: () => void;
}

export interface FuzzFailure {
  seed: number;
  path: string;
  /** The shrunk counterexample as fast-check reports it. */
  commands: FuzzCommand[];
  /** Operations of the shrunk counterexample, then cut down to those that matter. */
  ops: SimOp[];
  minimalOps: SimOp[];
  findings: Finding[];
}

export interface FuzzOutcome {
  runs: number;
  /** Totals over the random runs (up to and with the first failing one; shrinking apart). */
  stats: RunStats;
  differences: number;
  violations: number;
  failure?: FuzzFailure;
}

/**
 * Model-based fuzzing with fast-check: each run is a random command list compiled to operations
 * and run by the engine on every backend; a run fails on any finding. fast-check shrinks the
 * list and reports its seed and path; the operations are then cut down once more, one at a time.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzOutcome> {
  const shape = { ...DEFAULT_SHAPE, faults: options.faults };
  const arbitrary = fuzzCommandsArbitrary(shape, options.steps);
  const totals = emptyStats();
  let runs = 0;

  const run = async (ops: readonly SimOp[]): Promise<Finding[]> => {
    const outcome = await runOps(ops, {
      backends: options.backends,
      seed: options.seed,
      decreasePollMs: DEFAULT_DECREASE_POLL_MS,
      waitForQuiet: options.waitForQuiet,
      stopAtFirstFinding: true,
    });
    addStats(totals, outcome.stats);
    return outcome.findings;
  };

  // Runs and totals count the random runs up to the first failure, not the shrinking after it.
  let shrinking = false;
  let counted = emptyStats();
  const property = fc.asyncProperty(arbitrary, async (commands) => {
    const findings = await run(compileFuzzCommands(commands));
    if (!shrinking) {
      runs++;
      counted = { ...totals };
      options.onRun?.(runs);
    }
    if (findings.length > 0 && !shrinking) {
      shrinking = true;
      options.onShrink?.();
    }
    return findings.length === 0;
  });
  const parameters: fc.Parameters<[FuzzCommand[]]> = { seed: options.seed, numRuns: options.runs };
  if (options.path !== undefined) parameters.path = options.path;
  const details = await fc.check(property, parameters);

  const outcome: FuzzOutcome = { runs, stats: counted, differences: 0, violations: 0 };
  if (!details.failed || details.counterexample === null) return outcome;

  const commands = details.counterexample[0];
  const ops = compileFuzzCommands(commands);
  const firstRule = (await run(ops))[0]?.rule;
  const minimalOps = await minimizeOps(ops, async (candidate) =>
    (await run(candidate)).some((f) => f.rule === firstRule),
  );
  const findings = await run(minimalOps);
  outcome.differences = findings.filter((f) => f.kind === 'difference').length;
  outcome.violations = findings.length - outcome.differences;
  outcome.failure = {
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    commands,
    ops,
    minimalOps,
    findings,
  };
  return outcome;
}

function addStats(into: RunStats, add: RunStats): void {
  into.operations += add.operations;
  into.reserves += add.reserves;
  into.allowed += add.allowed;
  into.denied += add.denied;
  into.refused += add.refused;
  into.completes += add.completes;
  into.debt += add.debt;
  into.relaxedOperations += add.relaxedOperations;
  into.lastAtMs += add.lastAtMs - add.firstAtMs;
}
