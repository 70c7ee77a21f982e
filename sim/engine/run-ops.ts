import type { Finding } from '../check/findings.ts';
import { Engine, type EngineOptions } from './engine.ts';
import type { SimOp } from './operations.ts';
import type { RunStats } from './run-stats.ts';

export interface RunOutcome {
  /** The first findings (at most MAX_KEPT_FINDINGS); `counts` counts them all. */
  findings: Finding[];
  counts: { differences: number; violations: number };
  stats: RunStats;
  relaxed: boolean;
}

export interface RunOpsOptions extends Omit<EngineOptions, 'startMs'> {
  startMs?: number;
  stopAtFirstFinding?: boolean;
  onStep?: (done: number) => void;
}

/** One engine over one operation list: build, run, read out the end state, close. */
export async function runOps(ops: readonly SimOp[], options: RunOpsOptions): Promise<RunOutcome> {
  const startMs = options.startMs ?? ops[0]?.at_ms ?? 0;
  const engine = await Engine.create({ ...options, startMs });
  try {
    await engine.run(ops, options.onStep, options.stopAtFirstFinding ?? false);
    if (!(options.stopAtFirstFinding && engine.findings.length > 0)) await engine.finish();
    const { findings, counts, stats, relaxed } = engine;
    return { findings, counts, stats, relaxed };
  } finally {
    await engine.close();
  }
}

/**
 * Greedy one-at-a-time removal: drops every operation whose removal still lets `fails` see the
 * failure, so what is left is a list where every operation matters. Operations carry absolute
 * instants, so any sub-list is still in time order.
 */
export async function minimizeOps(
  ops: readonly SimOp[],
  fails: (candidate: readonly SimOp[]) => Promise<boolean>,
): Promise<SimOp[]> {
  let current = [...ops];
  for (let i = current.length - 1; i >= 0; i--) {
    const candidate = current.slice(0, i).concat(current.slice(i + 1));
    if (candidate.length > 0 && (await fails(candidate))) current = candidate;
  }
  return current;
}
