import { DEFAULT_DECREASE_POLL_MS } from '../../../src/backends/options.ts';
import { createTigerBeetleBackend } from '../../../src/backends/tigerbeetle/index.ts';
import { createRealLedgerClient } from '../../../src/backends/tigerbeetle/real-ledger-client.ts';
import { LimitRegistry } from '../../../src/registry/registry.ts';
import { Ticker } from '../../../src/server/ticker.ts';
import { sleep } from '../../../src/time/clock.ts';
import { SeededRandom } from '../../../src/time/random.ts';
import { SystemClock } from '../../../src/time/system-clock.ts';
import { BackendTarget } from './backend-target.ts';
import { startRealCluster, type RealCluster } from './real-cluster.ts';
import type { Target, TargetSettings } from './target.ts';

/**
 * The TigerBeetle backend on a real cluster started from TB_BIN, in real time. One cluster
 * serves the whole run; every scenario gets its own backend and client, and the World gives its
 * keys a prefix of their own, so scenarios never share an account.
 */
let cluster: RealCluster | undefined;

export async function beginRun(): Promise<void> {
  const binary = process.env.TB_BIN;
  if (!binary) throw new Error('TB_BIN is not set');
  cluster = await startRealCluster(binary);
}

export async function endRun(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
}

export async function createRealTarget(settings: TargetSettings): Promise<Target> {
  if (cluster === undefined) throw new Error('no real cluster is running (beginRun first)');
  const clock = new SystemClock();
  const backend = await createTigerBeetleBackend({
    clock,
    random: new SeededRandom(settings.jitterSeed),
    registry: LimitRegistry.inMemory(),
    ledgers: [createRealLedgerClient({ clusterId: 0n, addresses: [cluster.address] })],
  });

  // The ticker the server runs, on whole seconds of the system clock; real time just passes.
  const ticker = new Ticker(clock, DEFAULT_DECREASE_POLL_MS, () => backend.tick());
  ticker.start();
  return new BackendTarget('tigerbeetle-real', clock, backend, {
    simulated: false,
    advance: (ms) => sleep(clock, ms),
    stop: () => ticker.stop(),
  });
}
