import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

import { emptyResult, type InputResult } from '../report/results.ts';
import type { Io } from './args.ts';

export const FEATURES_RUNNER = 'features/run.ts';

/**
 * Runs every Gherkin scenario on every target (`tsx features/run.ts`, in a child process so it
 * can use the other core while the simulator runs) and sums up its per-target lines:
 * `features <target>: N passed, M failed[, K skipped] (...)`. Only the counts are kept, so the
 * summary stays the same from run to run.
 */
export function startFeatures(io: Io): Promise<InputResult> {
  const result = emptyResult('features', 'features', []);
  if (!existsSync(FEATURES_RUNNER)) {
    result.kind = 'skipped';
    result.note = `features: skipped, ${FEATURES_RUNNER} is not there`;
    return Promise.resolve(result);
  }

  io.err('features: running tsx features/run.ts');
  const started = io.wallMs();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FEATURES_RUNNER], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      result.wallMs = io.wallMs() - started;
      summarise(result, output, code);
      io.err(`features: done (${result.operations} scenarios)`);
      resolve(result);
    });
  });
}

function summarise(result: InputResult, output: string, code: number | null): void {
  const lines: string[] = [];
  const counts = /^features (\S+): (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/gm;
  for (const match of output.matchAll(counts)) {
    const [, target, passed, failedCount, skipped] = match;
    result.backends.push(target!);
    result.operations += Number(passed) + Number(failedCount);
    result.violations += Number(failedCount);
    lines.push(`features ${target}: ${passed} passed, ${failedCount} failed` +
      (skipped === undefined ? '' : `, ${skipped} skipped`));
  }
  for (const match of output.matchAll(/^(tigerbeetle-real: skipped.*)$/gm)) lines.push(match[1]!);
  if (code !== 0 && result.violations === 0) {
    // The runner failed outside any scenario: show why, as a failure.
    result.violations = 1;
    const tail = output.trim().split('\n').slice(-15);
    lines.push(`features/run.ts exited with code ${code}:`, ...tail);
  }
  result.note = lines.join('\n');
}
