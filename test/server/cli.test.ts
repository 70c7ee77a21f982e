/**
 * The ratelimiterd process itself: --help, a bad option (exit 2), and a start on 127.0.0.1 with
 * an ephemeral port, a request, and a graceful SIGTERM (exit 0) that leaves a complete trace.
 * These run real processes and real time, each bounded by a timeout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/ratelimiterd.js');
const folder = mkdtempSync(join(tmpdir(), 'ratelimiterd-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runToEnd(args: string[]): Promise<Finished> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const limit = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      done({ code, stdout, stderr });
    });
  });
}

/** No RATELIMITERD_* from the environment running the tests. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('RATELIMITERD_')),
  );
}

describe('ratelimiterd process', () => {
  it('--help prints the options and exits 0', async () => {
    const result = await runToEnd(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--listen HOST:PORT');
    expect(result.stdout).toContain('RATELIMITERD_ADMIN_TOKEN');
  });

  it('a bad option exits 2 naming the flag and the rule', async () => {
    const result = await runToEnd(['--decrease-poll-ms', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'ratelimiterd: --decrease-poll-ms: must be an integer from 1 to 3600000 (got "soon")\n',
    );
  });

  it('serves on an ephemeral port and shuts down on SIGTERM with exit 0', async () => {
    const registry = join(folder, 'limits.json');
    const trace = join(folder, 'trace.jsonl');
    const child = spawn(
      process.execPath,
      [BIN, '--listen', '127.0.0.1:0', '--registry', registry, '--record', trace, '--seed', '5'],
      { env: cleanEnv() },
    );
    const limit = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stdout = '';
    const exited = new Promise<number | null>((done) => child.on('close', done));

    const url = await new Promise<string>((found, failed) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /"event":"started","url":"(http:\/\/127\.0\.0\.1:[0-9]+)"/.exec(stdout);
        if (match) found(match[1]!);
      });
      child.on('close', () => failed(new Error(`exited before listening: ${stdout}`)));
    });

    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, backend: 'memory' });
    const put = await fetch(`${url}/v1/admin/limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'k', kind: 'concurrency', capacity: 1, timeout_seconds: 5 }),
    });
    expect(put.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    clearTimeout(limit);
    expect(stdout).toContain('"event":"stopped"');

    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'header', seed: 5, limits: [] });
    expect(lines[1]).toMatchObject({ type: 'event', op: 'put_limit', status: 200 });
    expect(JSON.parse(readFileSync(registry, 'utf8')).limits[0].definition.key).toBe('k');
  });
});
