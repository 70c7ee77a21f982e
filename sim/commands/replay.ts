import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';

import type { LimitDefinition } from '../../src/domain/limits.ts';
import { validateDefinition } from '../../src/domain/validate.ts';
import { failed, type InputResult } from '../report/results.ts';
import { summaryTable, wallLines } from '../report/summary.ts';
import { readTraceFile } from '../traces/trace-io.ts';
import { traceToRun } from '../traces/trace-ops.ts';
import { integer, list, parse, text, UsageError, type Io } from './args.ts';
import { runTraceInput } from './run-trace.ts';

export const REPLAY_USAGE = `ratelimiter-sim replay TRACE [--limits FILE] [--backends LIST] [opts]
  Replays a trace (recorded by ratelimiterd --record, made by import, or a case file) through
  each backend at the recorded instants; compares answers across backends and with the
  recorded ones, and checks every invariant.
  --backends LIST    default memory,tigerbeetle (also: broken-capacity)
  --limits FILE      limits to start with instead of the header's (JSON or YAML: a list, or
                     {limits: [...]})
  --seed N           jitter seed when the header has none (default 1)
  --until N          stop after operation N (operations count the header's limits first)
  --usage MODE       touched (default): read out every key an operation touched; none
  --verbose          print every answer and read-out`;

const OPTIONS = {
  backends: { type: 'string' },
  limits: { type: 'string' },
  seed: { type: 'string' },
  until: { type: 'string' },
  usage: { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

export const DEFAULT_BACKENDS = ['memory', 'tigerbeetle'];

export async function replayCommand(args: string[], io: Io): Promise<number> {
  const parsed = parse(args, OPTIONS);
  const [file, extra] = parsed.positionals;
  if (file === undefined || extra !== undefined) throw new UsageError('expected one TRACE');
  const backends = list(parsed, 'backends', DEFAULT_BACKENDS);
  const limitsFile = text(parsed, 'limits');
  const usage = text(parsed, 'usage') ?? 'touched';
  if (usage !== 'touched' && usage !== 'none') throw new UsageError('--usage: touched or none');

  const trace = readTraceFile(file);
  const limits = limitsFile === undefined ? undefined : readLimits(limitsFile);
  const run = traceToRun(trace, limits, integer(parsed, 'seed', 1));
  const until = parsed.values.until === undefined ? undefined : integer(parsed, 'until', 0);

  const replay = [`npx tsx sim/cli.ts replay ${file}`, `--backends ${backends.join(',')}`];
  if (limitsFile !== undefined) replay.push(`--limits ${limitsFile}`);
  const result = await runTraceInput(run, {
    name: `replay ${file}`,
    backends,
    io,
    until,
    usageChecks: usage,
    verbose: parsed.values.verbose === true,
    replayCommand: replay.join(' '),
  });
  printResult(result, io);
  return failed(result) ? 1 : 0;
}

export function printResult(result: InputResult, io: Io): void {
  for (const line of summaryTable([result])) io.out(line);
  for (const finding of result.findings) {
    const where = finding.target === undefined ? '' : ` on ${finding.target}`;
    io.out(`${finding.kind} (${finding.rule})${where} at operation ${finding.opIndex}, ` +
      `t=${finding.atMs}: ${finding.message}`);
  }
  const total = result.differences + result.violations;
  if (total > result.findings.length) io.out(`... and ${total - result.findings.length} more`);
  for (const command of result.replay) io.out(`replay: ${command}`);
  for (const line of wallLines([result])) io.out(line);
}

/** A limits file: a list of definitions, or `{limits: [...]}`, in JSON or YAML. */
export function readLimits(file: string): LimitDefinition[] {
  const body: unknown = parseYaml(readFileSync(file, 'utf8'));
  const items = Array.isArray(body) ? body : (body as { limits?: unknown })?.limits;
  if (!Array.isArray(items)) throw new UsageError(`${file}: must hold a list of limits`);
  return items.map((item, i) => {
    const checked = validateDefinition(item);
    if (!checked.ok) throw new UsageError(`${file}: limits[${i}].${checked.detail}`);
    return checked.value;
  });
}
