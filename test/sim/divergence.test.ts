import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runOps } from '../../sim/engine/run-ops.ts';
import { formatTrace } from '../../sim/traces/trace-io.ts';
import { traceToRun } from '../../sim/traces/trace-ops.ts';
import { importAzureFile } from '../../sim/commands/import.ts';
import { runFuzz } from '../../sim/workloads/fuzz-run.ts';
import { cliArgs, runSimCli, waitForQuiet } from './cli.ts';

/**
 * Goal: a backend that disagrees is found, reported, and the reported commands replay it.
 * Method: `broken-capacity` is the memory backend with a planted off-by-one (one unit more
 * capacity than asked, while read-outs show the capacity asked for). The fuzzer must find it and
 * shrink it to a handful of operations; running the printed commands must show it again; a
 * trace replay must find it too, with a `--until` command that stops right at it.
 */
const SEED = 7;
const folder = mkdtempSync(join(tmpdir(), 'sim-divergence-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('a planted divergence', () => {
  it('is found by the fuzzer, shrunk, and replayed by both printed commands', async () => {
    console.log(`fuzz seed ${SEED}`);
    const caseFile = join(folder, 'case.jsonl');
    const run = runSimCli(['fuzz', '--seed', String(SEED), '--runs', '50',
      '--backends', 'memory,broken-capacity', '--case', caseFile]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('difference (equality)');
    expect(run.stdout).toMatch(/minimal operation list \((\d) operations/);

    const replays = run.stdout.split('\n').filter((l) => l.startsWith('replay: '));
    expect(replays).toHaveLength(2);
    const byPath = replays.find((l) => l.includes(' fuzz '))!.slice('replay: '.length);
    const byCase = replays.find((l) => l.includes(' replay '))!.slice('replay: '.length);
    expect(byCase).toBe(`npx tsx sim/cli.ts replay ${caseFile} --backends memory,broken-capacity`);

    const again = runSimCli(cliArgs(byPath));
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('difference (equality)');

    const replayed = runSimCli(cliArgs(byCase));
    expect(replayed.status).toBe(1);
    expect(replayed.stdout).toContain('difference (equality)');
    expect(replayed.stdout).toMatch(
      /violation \((held_within_capacity|contract_answer)\) on broken-capacity/,
    );

    // The same case on two correct backends finds nothing: the failure is the planted bug's.
    const control = runSimCli(['replay', caseFile, '--backends', 'memory,tigerbeetle']);
    expect(control.stdout).toMatch(/\|\s+ok$/m);
    expect(control.status).toBe(0);
  }, 120_000);

  it('is shrunk to the operations that matter', async () => {
    const outcome = await runFuzz({ seed: SEED, runs: 50, steps: 60,
      backends: ['memory', 'broken-capacity'], faults: false, waitForQuiet });
    const failure = outcome.failure!;
    expect(failure).toBeDefined();
    expect(failure.minimalOps.length).toBeLessThanOrEqual(3);
    expect(failure.minimalOps.map((op) => op.op)).toContain('put_limit');
    expect(failure.findings.some((f) => f.kind === 'difference')).toBe(true);
  });

  it('is found in a trace replay, and `--until` stops right at it', async () => {
    // Capacities tight enough that the planted unit is used: 20 requests a minute.
    const trace = importAzureFile('sim/traces/data/azure-llm-conv-2023.csv', { rpm: 20 }, 200);
    const file = join(folder, 'conv-200.jsonl');
    writeFileSync(file, formatTrace(trace));

    const outcome = await runOps(traceToRun(trace).ops, {
      backends: ['memory', 'broken-capacity'], seed: 1, waitForQuiet });
    const first = outcome.findings[0]!;
    expect(first.kind).toBe('difference');

    const run = runSimCli(['replay', file, '--backends', 'memory,broken-capacity']);
    expect(run.status).toBe(1);
    const until = run.stdout.split('\n').find((l) => l.startsWith('replay: '))!.slice(8);
    expect(until).toBe(`npx tsx sim/cli.ts replay ${file} --backends memory,broken-capacity ` +
      `--until ${first.opIndex}`);
    const cut = runSimCli(cliArgs(until));
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain(`difference (equality) at operation ${first.opIndex}`);
    expect(cut.stdout).toMatch(/\|\s+FAIL$/m);
  }, 120_000);
});
