import { failed, type InputResult } from './results.ts';

/**
 * The summary table printed at the end of `check`. Everything in it is determined by the inputs
 * and the seed; wall-clock figures go on separate lines that all start with `wall`, so that a
 * determinism test can drop them.
 */
export function summaryTable(results: readonly InputResult[]): string[] {
  const header = ['input', 'backends', 'operations', 'allowed', 'denied', 'debt',
    'differences', 'violations', 'simulated span', 'result'];
  const rows = results.map((r) => [
    r.name,
    r.backends.join(',') || '-',
    r.kind === 'skipped' ? '-' : String(r.operations),
    r.kind === 'trace' || r.kind === 'fuzz' ? String(r.allowed) : '-',
    r.kind === 'trace' || r.kind === 'fuzz' ? String(r.denied) : '-',
    r.kind === 'trace' ? String(r.debt) : '-',
    r.kind === 'skipped' ? '-' : String(r.differences),
    r.kind === 'skipped' ? '-' : String(r.violations),
    r.kind === 'trace' || r.kind === 'fuzz' ? span(r.simulatedMs) : '-',
    r.kind === 'skipped' ? 'skipped' : failed(r) ? 'FAIL' : 'ok',
  ]);
  return table(header, rows);
}

/** Timing lines, each starting with `wall:` (the only lines that change from run to run). */
export function wallLines(results: readonly InputResult[]): string[] {
  return results
    .filter((r) => r.kind !== 'skipped')
    .map((r) => {
      const seconds = `${(r.wallMs / 1000).toFixed(3)} s`;
      const perSecond = Math.round((r.operations * 1000) / r.wallMs);
      const rate = r.wallMs > 0 ? `, ${perSecond} operations/s` : '';
      const speedUp = r.simulatedMs > 0 && r.wallMs > 0
        ? `, ${Math.round(r.simulatedMs / r.wallMs)}x simulated time` : '';
      return `wall: ${r.name}: ${seconds}${rate}${speedUp}`;
    });
}

export function span(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)];
}
