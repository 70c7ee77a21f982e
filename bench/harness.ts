/**
 * A tiny benchmark harness. Benchmarks are the one place that measures the wall clock
 * (process.hrtime.bigint): each bench warms up, then times a fixed number of operations. The
 * measure helpers also record the process's CPU time (process.cpuUsage, GC threads included), a
 * steadier figure than wall time on a machine shared with other work.
 *
 * A bench file registers its benches on import (`registerBenches(...)`), so adding one to the
 * run is one import line in run.ts.
 */

export interface Measurement {
  ops: number;
  elapsedNs: bigint;
  /** CPU time of the whole process over the timed part, when the bench measured it. */
  cpuMicros?: number;
}

export interface Bench {
  /** Shown in the table, e.g. `memory: 1-key reserve decisions (sync core)`. */
  name: string;
  /** What one operation is: `decision`, `pair`, `consume`. */
  unit: string;
  run(): Promise<Measurement>;
}

export const BENCHES: Bench[] = [];

export function registerBenches(...benches: Bench[]): void {
  BENCHES.push(...benches);
}

export interface MeasureOptions {
  warmupOps: number;
  ops: number;
}

/** Runs `op(i)` for the warm-up count untimed, then for `ops` timed. */
export function measureSync(options: MeasureOptions, op: (i: number) => void): Measurement {
  for (let i = 0; i < options.warmupOps; i++) op(i);

  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < options.ops; i++) op(options.warmupOps + i);
  return finish(options.ops, started, cpu);
}

/** As measureSync, awaiting each operation before the next starts. */
export async function measureAsync(
  options: MeasureOptions,
  op: (i: number) => Promise<unknown>,
): Promise<Measurement> {
  for (let i = 0; i < options.warmupOps; i++) await op(i);

  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < options.ops; i++) await op(options.warmupOps + i);
  return finish(options.ops, started, cpu);
}

function finish(ops: number, startedNs: bigint, cpuAtStart: NodeJS.CpuUsage): Measurement {
  const elapsedNs = process.hrtime.bigint() - startedNs;
  const cpu = process.cpuUsage(cpuAtStart);
  return { ops, elapsedNs, cpuMicros: cpu.user + cpu.system };
}

export function opsPerSecond(m: Measurement): number {
  return (m.ops * 1e9) / Number(m.elapsedNs);
}

export interface Row {
  name: string;
  unit: string;
  measurement: Measurement;
}

function perCpuSecond(m: Measurement): string {
  if (m.cpuMicros === undefined || m.cpuMicros === 0) return '-';
  return Math.round((m.ops * 1e6) / m.cpuMicros).toLocaleString('en-US');
}

/**
 * A plain-text table: name, operations timed, wall seconds, operations per wall second, and
 * operations per CPU second of the process.
 */
export function formatTable(rows: readonly Row[]): string {
  const header = ['bench', 'ops', 'seconds', 'ops/s', 'ops/cpu-s'];
  const body = rows.map((row) => [
    row.name,
    `${row.measurement.ops.toLocaleString('en-US')} ${row.unit}s`,
    (Number(row.measurement.elapsedNs) / 1e9).toFixed(2),
    Math.round(opsPerSecond(row.measurement)).toLocaleString('en-US'),
    perCpuSecond(row.measurement),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const pad = (cell: string, c: number): string =>
    c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!);
  const line = (cells: string[]): string => cells.map(pad).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
