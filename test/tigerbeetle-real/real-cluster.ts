import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A single-replica TigerBeetle started from `$TB_BIN` for the real-cluster tests: a fresh data
 * file in a temporary folder, listening on a free port of 127.0.0.1 only. Its output is kept so
 * that a failing test can show it.
 */
export interface RealCluster {
  address: string;
  /** Everything the format and start commands printed so far. */
  output(): string;
  /** Freezes the replica (SIGSTOP) so that requests hang, as an unreachable cluster's do. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

export async function startRealCluster(tbBin: string): Promise<RealCluster> {
  const folder = await mkdtemp(join(tmpdir(), 'tb-real-'));
  const dataFile = join(folder, '0_0.tigerbeetle');
  let log = '';

  const formatted = await run(tbBin, [
    'format',
    '--cluster=0',
    '--replica=0',
    '--replica-count=1',
    '--development',
    dataFile,
  ]);
  log += `$ ${tbBin} format ...\n${formatted.output}`;
  if (formatted.error !== undefined) {
    await rm(folder, { recursive: true, force: true });
    throw new Error(`tigerbeetle format failed: ${formatted.error}\n${log}`);
  }

  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(tbBin, ['start', `--addresses=${address}`, '--development', dataFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  log += `$ ${tbBin} start --addresses=${address} --development ${dataFile}\n`;
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited with code ${code} signal ${signal}`));

  const stop = async (): Promise<void> => {
    if (exited === undefined && child.pid !== undefined) {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await waitForExit(child);
    }
    await rm(folder, { recursive: true, force: true });
  };

  try {
    await waitForPort(port, () => exited);
  } catch (error) {
    await stop();
    throw new Error(`tigerbeetle did not start: ${(error as Error).message}\n${log}`);
  }

  return {
    address,
    output: () => log,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop,
  };
}

function run(file: string, args: string[]): Promise<{ output: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: START_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ output: `${stdout}${stderr}`, error: error === null ? undefined : error.message });
    });
  });
}

/** A port that was free a moment ago on 127.0.0.1 (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const problem = exited();
    if (problem !== undefined) throw new Error(`the replica ${problem}`);
    if (await accepts(port)) return;
    if (Date.now() > deadline) {
      throw new Error(`port ${port} not open after ${START_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
  });
}
