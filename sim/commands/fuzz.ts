import { DEFAULT_DECREASE_POLL_MS } from '../../src/backends/options.ts';
import { addFindings, emptyResult, failed, type InputResult } from '../report/results.ts';
import { span, wallLines } from '../report/summary.ts';
import { caseTrace, writeCaseFile } from '../traces/case-file.ts';
import { opToEvent } from '../traces/trace-ops.ts';
import { runFuzz, type FuzzOptions, type FuzzOutcome } from '../workloads/fuzz-run.ts';
import { integer, list, parse, text, type Io } from './args.ts';
import { DEFAULT_BACKENDS } from './replay.ts';

export const FUZZ_USAGE = `ratelimiter-sim fuzz [--seed S] [--runs N] [--steps M] [options]
  Model-based fuzzing with fast-check: random reserves, completes, batches, limit changes, clock
  advances and ticks, and faults (duplicate, late and lost deliveries, restarts, an unreachable
  cluster), run on every backend and checked. A failure is shrunk and printed with its seed,
  its path and the commands that replay it.
  --seed S           default ${20231116}
  --runs N           default 100
  --steps M          at most M commands a run (default 60)
  --path P           replay fast-check's counterexample at this path
  --backends LIST    default memory,tigerbeetle (also: broken-capacity)
  --no-faults        no restarts or cluster cut-offs (deliveries still fault)
  --case FILE        where to write the minimal case (default reports/cases/fuzz-<seed>.jsonl)`;

export const DEFAULT_FUZZ_SEED = 20231116;

const OPTIONS = {
  seed: { type: 'string' },
  runs: { type: 'string' },
  steps: { type: 'string' },
  path: { type: 'string' },
  backends: { type: 'string' },
  'no-faults': { type: 'boolean' },
  case: { type: 'string' },
} as const;

export interface FuzzInputOptions
  extends Pick<FuzzOptions, 'seed' | 'runs' | 'steps' | 'backends' | 'faults' | 'path'> {
  caseFile?: string;
}

export async function fuzzCommand(args: string[], io: Io): Promise<number> {
  const parsed = parse(args, OPTIONS);
  const options: FuzzInputOptions = {
    seed: integer(parsed, 'seed', DEFAULT_FUZZ_SEED),
    runs: integer(parsed, 'runs', 100, 1),
    steps: integer(parsed, 'steps', 60, 1),
    backends: list(parsed, 'backends', DEFAULT_BACKENDS),
    faults: parsed.values['no-faults'] !== true,
  };
  const path = text(parsed, 'path');
  if (path !== undefined) options.path = path;
  const caseFile = text(parsed, 'case');
  if (caseFile !== undefined) options.caseFile = caseFile;

  const result = await fuzzInput(options, io);
  io.out(result.note);
  for (const finding of result.findings) {
    const where = finding.target === undefined ? '' : ` on ${finding.target}`;
    io.out(`${finding.kind} (${finding.rule})${where} at operation ${finding.opIndex}: ` +
      finding.message);
  }
  for (const command of result.replay) io.out(`replay: ${command}`);
  for (const line of wallLines([result])) io.out(line);
  return failed(result) ? 1 : 0;
}

/** Runs the fuzzer and sums it up as one input of the summary (used by `check` too). */
export async function fuzzInput(options: FuzzInputOptions, io: Io): Promise<InputResult> {
  const result = emptyResult(`fuzz seed ${options.seed}`, 'fuzz', options.backends);
  const tenth = Math.max(1, Math.ceil(options.runs / 10));
  const started = io.wallMs();
  const outcome = await runFuzz({
    ...options,
    waitForQuiet: io.waitForQuiet,
    onRun: (done) => {
      if (done % tenth === 0) io.err(`${result.name}: ${done}/${options.runs} runs`);
    },
    onShrink: () => io.err(`${result.name}: a run failed; shrinking it`),
  });
  result.wallMs = io.wallMs() - started;

  result.operations = outcome.stats.operations;
  result.allowed = outcome.stats.allowed;
  result.denied = outcome.stats.denied;
  result.simulatedMs = outcome.stats.lastAtMs;
  result.note = describeOutcome(options, outcome);
  if (outcome.failure === undefined) return result;

  const failure = outcome.failure;
  addFindings(result, failure.findings);
  const caseFile = options.caseFile ?? `reports/cases/fuzz-${options.seed}.jsonl`;
  writeCaseFile(caseFile, caseTrace(failure.minimalOps, `fuzz seed ${options.seed} path ` +
    failure.path, options.seed, DEFAULT_DECREASE_POLL_MS));
  const backends = `--backends ${options.backends.join(',')}`;
  const faults = options.faults ? '' : ' --no-faults';
  result.replay.push(
    `npx tsx sim/cli.ts fuzz --seed ${failure.seed} --path ${failure.path} ` +
      `--steps ${options.steps} ${backends}${faults}`,
    `npx tsx sim/cli.ts replay ${caseFile} ${backends}`,
  );
  result.note += '\nminimal operation list (' + failure.minimalOps.length + ' operations, ' +
    `shrunk from ${failure.ops.length}):\n` +
    failure.minimalOps.map((op) => '  ' + JSON.stringify(opToEvent(op))).join('\n');
  return result;
}

function describeOutcome(options: FuzzInputOptions, outcome: FuzzOutcome): string {
  const head = `fuzz: seed ${options.seed}, ${outcome.runs} runs of up to ${options.steps} ` +
    `commands on ${options.backends.join(', ')}${options.faults ? ', with faults' : ''}: ` +
    `${outcome.stats.operations} operations, ${span(outcome.stats.lastAtMs)} simulated`;
  if (outcome.failure === undefined) return `${head}; nothing found`;
  return `${head}; FAILED at fast-check seed ${outcome.failure.seed}, ` +
    `path ${outcome.failure.path}`;
}
