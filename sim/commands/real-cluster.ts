import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

import { emptyResult, type InputResult } from '../report/results.ts';
import type { Io } from './args.ts';

export const REAL_HARNESS = 'test/tigerbeetle-real';
const VITEST = 'node_modules/vitest/vitest.mjs';
const RESULTS = 'reports/real-cluster.json';

/**
 * A real TigerBeetle, when TB_BIN names one: runs the real-cluster harness (vitest on
 * test/tigerbeetle-real, which starts a replica on 127.0.0.1) and counts its tests. A real replica
 * keeps real time, its own timestamps and its own expiry, so an hour-long trace cannot be
 * squeezed into it; the harness drives the TigerBeetle backend through the contract in real time
 * instead. Without TB_BIN (or the harness), one line says why it was skipped.
 */
export function realClusterInput(io: Io): Promise<InputResult> {
  const result = emptyResult('real cluster', 'skipped', ['tigerbeetle-real']);
  const tbBin = process.env.TB_BIN;
  if (tbBin === undefined || tbBin === '') {
    result.note = 'real cluster: skipped because TB_BIN is not set';
  } else if (!existsSync(REAL_HARNESS)) {
    result.note = `real cluster: skipped because ${REAL_HARNESS}/ is not there`;
  }
  if (result.note !== '') {
    io.err(result.note);
    return Promise.resolve(result);
  }

  result.kind = 'features';
  io.err(`real cluster: running vitest on ${REAL_HARNESS} with TB_BIN=${tbBin}`);
  const started = io.wallMs();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VITEST, 'run', REAL_HARNESS, '--reporter=json',
      `--outputFile=${RESULTS}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('close', (code) => {
      result.wallMs = io.wallMs() - started;
      try {
        const report = JSON.parse(readFileSync(RESULTS, 'utf8')) as {
          numPassedTests: number;
          numFailedTests: number;
        };
        result.operations = report.numPassedTests + report.numFailedTests;
        result.violations = report.numFailedTests;
        result.note = `real cluster: ${report.numPassedTests} passed, ${report.numFailedTests} ` +
          `failed (vitest ${REAL_HARNESS})`;
      } catch {
        result.violations = 1;
        result.note = `real cluster: vitest exited with code ${code}: ${errors.trim().slice(-500)}`;
      }
      resolve(result);
    });
  });
}
