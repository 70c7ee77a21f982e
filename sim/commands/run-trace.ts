import { runOps } from '../engine/run-ops.ts';
import { addFindings, emptyResult, type InputResult } from '../report/results.ts';
import { span } from '../report/summary.ts';
import { Timeline } from '../report/timeline.ts';
import type { TraceRun } from '../traces/trace-ops.ts';
import type { Io } from './args.ts';

export interface TraceInputOptions {
  name: string;
  backends: string[];
  io: Io;
  /** Run only operations 0..until (inclusive). */
  until?: number;
  usageChecks?: 'touched' | 'none';
  /** Collect what the HTML report draws. */
  timeline?: boolean;
  verbose?: boolean;
  /** How to replay a finding: the command with `--until N` appended. */
  replayCommand?: string;
}

/**
 * Runs a trace through the backends, printing a progress line per tenth of it (to stderr), and
 * sums it up as one input of the summary.
 */
export async function runTraceInput(
  run: TraceRun,
  options: TraceInputOptions,
): Promise<InputResult> {
  const ops = options.until === undefined ? run.ops : run.ops.slice(0, options.until + 1);
  const result = emptyResult(options.name, 'trace', options.backends);
  const timeline = options.timeline ? new Timeline(run.startMs) : undefined;
  const tenth = Math.max(1, Math.ceil(ops.length / 10));
  const { io } = options;

  const started = io.wallMs();
  const outcome = await runOps(ops, {
    backends: options.backends,
    seed: run.seed,
    startMs: run.startMs,
    decreasePollMs: run.decreasePollMs,
    usageChecks: options.usageChecks,
    trustedRequests: run.trusted,
    waitForQuiet: io.waitForQuiet,
    observer: timeline,
    trace: options.verbose ? io.out : undefined,
    onStep: (done) => {
      if (done % tenth !== 0 && done !== ops.length) return;
      const atMs = ops[done - 1]!.at_ms;
      io.err(`${options.name}: ${Math.round((100 * done) / ops.length)}% ` +
        `(${done}/${ops.length} operations, ${span(atMs - run.startMs)} simulated)`);
    },
  });
  result.wallMs = io.wallMs() - started;

  const stats = outcome.stats;
  result.operations = stats.operations;
  result.allowed = stats.allowed;
  result.denied = stats.denied;
  result.debt = stats.debt;
  result.simulatedMs = stats.lastAtMs - stats.firstAtMs;
  result.timeline = timeline;
  result.note = `${stats.reserves} reserves, ${stats.completes} completes, ` +
    `${stats.refused} refused for another reason`;
  addFindings(result, outcome.findings, outcome.counts);
  if (options.replayCommand !== undefined) {
    const seen = new Set<number>();
    for (const finding of result.findings) {
      if (seen.has(finding.opIndex)) continue;
      seen.add(finding.opIndex);
      result.replay.push(`${options.replayCommand} --until ${finding.opIndex}`);
    }
  }
  return result;
}
