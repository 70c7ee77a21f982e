import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A single-replica TigerBeetle started from TB_BIN on a loopback port, for one feature run. */
export interface RealCluster {
  readonly address: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;

/**
 * Formats a fresh data file in a temporary folder and starts a replica on an ephemeral
 * 127.0.0.1 port; resolves once the port accepts connections.
 */
export async function startRealCluster(binary: string): Promise<RealCluster> {
  const folder = mkdtempSync(join(tmpdir(), 'features-tigerbeetle-'));
  const dataFile = join(folder, '0_0.tigerbeetle');
  const format = spawnSync(
    binary,
    ['format', '--cluster=0', '--replica=0', '--replica-count=1', '--development', dataFile],
    { encoding: 'utf8' },
  );
  if (format.status !== 0) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`${binary} format failed: ${format.stderr || format.error?.message}`);
  }

  const port = await freeLoopbackPort();
  const address = `127.0.0.1:${port}`;
  const replica = spawn(binary, ['start', `--addresses=${address}`, '--development', dataFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  replica.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));

  const stop = async (): Promise<void> => {
    await terminate(replica);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, replica);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
  return { address, stop };
}

/** Asks the OS for a free port on 127.0.0.1, then releases it for the replica to bind. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, replica: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (replica.exitCode !== null) throw new Error(`the replica exited with ${replica.exitCode}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the replica did not listen on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
