import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { renderReport } from '../report/html.ts';
import { failed, type InputResult } from '../report/results.ts';
import { summaryTable, wallLines } from '../report/summary.ts';
import { formatTrace } from '../traces/trace-io.ts';
import { traceToRun } from '../traces/trace-ops.ts';
import { integer, list, parse, text, UsageError, type Io } from './args.ts';
import { startFeatures } from './features.ts';
import { DEFAULT_FUZZ_SEED, fuzzInput } from './fuzz.ts';
import { importAzureFile } from './import.ts';
import { realClusterInput } from './real-cluster.ts';
import { DEFAULT_BACKENDS } from './replay.ts';
import { runTraceInput } from './run-trace.ts';

/** Fuzz runs `check` makes: a few seconds, while the features run beside it. */
const CHECK_FUZZ_RUNS = 300;

export const CHECK_USAGE = `ratelimiter-sim check [options]        (what \`npm start\` runs)
  On the bundled inputs: every feature scenario (tsx features/run.ts), fast-check model-based
  runs, and both bundled traces replayed through memory and TigerBeetle on the simulated
  cluster (and a real cluster when TB_BIN is set). Prints a summary, writes an HTML report and
  exits non-zero on any difference or violation.
  --seed S           fuzz seed (default ${DEFAULT_FUZZ_SEED})
  --runs N           fuzz runs (default ${CHECK_FUZZ_RUNS})
  --steps M          commands per fuzz run, at most (default 60)
  --skip LIST        any of features, fuzz, traces, real
  --backends LIST    default memory,tigerbeetle
  --report FILE      default reports/sim-report.html
  --trace-rows N     replay only the first N rows of each trace (quick runs)`;

export const TRACE_FOLDER = 'sim/traces/data';

const OPTIONS = {
  seed: { type: 'string' },
  runs: { type: 'string' },
  steps: { type: 'string' },
  skip: { type: 'string' },
  backends: { type: 'string' },
  report: { type: 'string' },
  'trace-rows': { type: 'string' },
} as const;

const STEPS = ['features', 'fuzz', 'traces', 'real'];

export async function checkCommand(args: string[], io: Io): Promise<number> {
  const parsed = parse(args, OPTIONS);
  if (parsed.positionals.length > 0) throw new UsageError('check: takes no arguments');
  const skip = new Set(list(parsed, 'skip', []));
  for (const step of skip) {
    if (!STEPS.includes(step)) {
      throw new UsageError(`--skip: ${step} is not one of ${STEPS.join(', ')}`);
    }
  }
  const seed = integer(parsed, 'seed', DEFAULT_FUZZ_SEED);
  const backends = list(parsed, 'backends', DEFAULT_BACKENDS);
  const reportFile = text(parsed, 'report') ?? 'reports/sim-report.html';

  io.out(
    `ratelimiter-sim check: drives ${backends.join(' and ')} at the same simulated instants ` +
      'over the Gherkin scenarios, fast-check model runs and two real LLM traces; every answer ' +
      'is compared field by field and every invariant of spec/simulator.md is checked after ' +
      'each step. Progress goes to stderr.',
  );

  // The features run in a child process, beside the simulator.
  const features = skip.has('features') ? undefined : startFeatures(io);
  const results: InputResult[] = [];

  if (!skip.has('fuzz')) {
    results.push(await fuzzInput({
      seed,
      runs: integer(parsed, 'runs', CHECK_FUZZ_RUNS, 1),
      steps: integer(parsed, 'steps', 60, 1),
      backends,
      faults: true,
    }, io));
  }
  if (!skip.has('traces')) {
    const rows = parsed.values['trace-rows'] === undefined
      ? undefined
      : integer(parsed, 'trace-rows', 0, 1);
    for (const file of bundledTraces()) results.push(await traceInput(file, backends, io, rows));
  }
  if (!skip.has('real')) results.push(await realClusterInput(io));
  if (features !== undefined) results.unshift(await features);

  for (const line of summaryTable(results)) io.out(line);
  for (const result of results) {
    if (result.kind === 'skipped') io.out(result.note);
    if (!failed(result)) continue;
    io.out(`${result.name}: ${result.differences} differences, ${result.violations} violations`);
    for (const f of result.findings.slice(0, 5)) {
      io.out(`  ${f.kind} (${f.rule})${f.target ? ` on ${f.target}` : ''} at operation ` +
        `${f.opIndex}: ${f.message}`);
    }
    for (const command of result.replay.slice(0, 3)) io.out(`  replay: ${command}`);
  }
  for (const line of wallLines(results)) io.out(line);

  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, renderReport(results, {
    title: 'ratelimiter-sim check',
    command: ['npx tsx sim/cli.ts check', ...args].join(' '),
    seed,
  }));
  io.out(`report: ${reportFile}`);

  const failures = results.filter(failed);
  if (failures.length === 0) {
    io.out('verdict: ok: the backends agreed on every answer and read-out; no invariant broke');
    return 0;
  }
  io.out(`verdict: FAILED on ${failures.map((r) => r.name).join(', ')}: replay commands above`);
  return 1;
}

export function bundledTraces(): string[] {
  if (!existsSync(TRACE_FOLDER)) return [];
  return readdirSync(TRACE_FOLDER)
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .map((name) => join(TRACE_FOLDER, name));
}

/** A bundled CSV, converted on the fly and replayed; kept as a file only if it found something. */
async function traceInput(
  file: string,
  backends: string[],
  io: Io,
  rows: number | undefined,
): Promise<InputResult> {
  const name = basename(file, '.csv');
  const trace = importAzureFile(file, {}, rows);
  const savedAs = `reports/traces/${name}${rows === undefined ? '' : `-${rows}-rows`}.jsonl`;
  // Converted here, by the simulator's own importer: valid by construction.
  const result = await runTraceInput({ ...traceToRun(trace), trusted: true }, {
    name: rows === undefined ? `trace ${name}` : `trace ${name} (first ${rows} rows)`,
    backends,
    io,
    timeline: true,
    replayCommand: `npx tsx sim/cli.ts replay ${savedAs} --backends ${backends.join(',')}`,
  });
  if (failed(result)) {
    mkdirSync(dirname(savedAs), { recursive: true });
    writeFileSync(savedAs, formatTrace(trace));
  }
  return result;
}
