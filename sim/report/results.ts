import type { Finding } from '../check/findings.ts';
import type { Timeline } from './timeline.ts';

/** One line of the summary: an input run through the backends, or a step that was skipped. */
export interface InputResult {
  name: string;
  kind: 'features' | 'fuzz' | 'trace' | 'skipped';
  backends: string[];
  operations: number;
  allowed: number;
  denied: number;
  debt: bigint;
  differences: number;
  violations: number;
  /** Simulated time covered, ms. */
  simulatedMs: number;
  /** Wall time, ms: shown only on the marked timing lines. */
  wallMs: number;
  /** The first findings (a run may find many), with what replays them. */
  findings: Finding[];
  replay: string[];
  /** One line of context: scenario counts, why it was skipped, the fuzz seed. */
  note: string;
  timeline?: Timeline;
}

export const MAX_LISTED_FINDINGS = 20;

export function emptyResult(
  name: string,
  kind: InputResult['kind'],
  backends: string[],
): InputResult {
  return {
    name,
    kind,
    backends,
    operations: 0,
    allowed: 0,
    denied: 0,
    debt: 0n,
    differences: 0,
    violations: 0,
    simulatedMs: 0,
    wallMs: 0,
    findings: [],
    replay: [],
    note: '',
  };
}

export function failed(result: InputResult): boolean {
  return result.differences + result.violations > 0;
}

/** Counts findings by kind (all of them, in `counts`) and keeps the first few for the report. */
export function addFindings(
  result: InputResult,
  findings: readonly Finding[],
  counts?: { differences: number; violations: number },
): void {
  if (counts !== undefined) {
    result.differences += counts.differences;
    result.violations += counts.violations;
  } else {
    for (const finding of findings) {
      if (finding.kind === 'difference') result.differences++;
      else result.violations++;
    }
  }
  const room = MAX_LISTED_FINDINGS - result.findings.length;
  if (room > 0) result.findings.push(...findings.slice(0, room));
}
