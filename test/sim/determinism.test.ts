import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runSimCli } from './cli.ts';

/**
 * Goal: the same inputs and seed give byte-identical output and report. Method: run `check` twice
 * (fuzz, both bundled traces cut to their first 1500 rows; the features have their own runner)
 * and compare stdout, stderr and the HTML report, after dropping only what is marked as wall
 * time: lines starting with `wall:` and the report's one `class="wall"` paragraph.
 */
const folder = mkdtempSync(join(tmpdir(), 'sim-determinism-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function check(name: string): { stdout: string; stderr: string; report: string } {
  const report = join(folder, `${name}.html`);
  const run = runSimCli(['check', '--skip', 'features', '--runs', '15', '--trace-rows', '1500',
    '--report', report]);
  expect(run.stderr).not.toContain('Error');
  const html = readFileSync(report, 'utf8');
  return {
    stdout: run.stdout.split('\n').filter((line) => !line.startsWith('wall:')).join('\n')
      .replace(report, 'REPORT'),
    stderr: run.stderr,
    report: html.replace(/<p class="wall">[^\n]*<\/p>/, '').replace(report, 'REPORT'),
  };
}

describe('determinism', () => {
  it('two runs of check print and report the same bytes, wall time apart', () => {
    const first = check('first');
    const second = check('second');
    expect(first.stdout).toContain('trace azure-llm-conv-2023 (first 1500 rows)');
    expect(first.report).toContain('<svg');
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    expect(second.report).toBe(first.report);
  }, 180_000);
});
