import type { CreateTransferResult, Transfer } from 'tigerbeetle-node/dist/bindings.js';

import { SimulatedCluster } from '../../sim/cluster/index.ts';
import {
  createTigerBeetleBackend,
  type TigerBeetleBackend,
  type TigerBeetleBackendOptions,
} from '../../src/backends/tigerbeetle/index.ts';
import type { LedgerClient } from '../../src/backends/tigerbeetle/ledger-client.ts';
import { MemoryLogger } from '../../src/observability/logger.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';

/** A TigerBeetle backend on a simulated cluster, and what a test needs to restart it. */
export interface SimSetup {
  clock: FakeClock;
  cluster: SimulatedCluster;
  registry: LimitRegistry;
  logger: MemoryLogger;
  backend: TigerBeetleBackend;
  /** A new backend process over the same cluster and registry (the old one is closed). */
  restart(options?: Partial<TigerBeetleBackendOptions>): Promise<TigerBeetleBackend>;
}

export async function simSetup(
  options: Partial<TigerBeetleBackendOptions> & { startMs?: number; seed?: number } = {},
): Promise<SimSetup> {
  const clock = new FakeClock(options.startMs ?? 1_700_000_000_000);
  const cluster = new SimulatedCluster({ clock });
  const registry = options.registry ?? LimitRegistry.inMemory();
  const logger = new MemoryLogger();
  let seed = options.seed ?? 1;

  const make = (extra: Partial<TigerBeetleBackendOptions> = {}): Promise<TigerBeetleBackend> =>
    createTigerBeetleBackend({
      clock,
      random: new SeededRandom(seed++),
      registry,
      logger,
      ledgers: [cluster.client(), cluster.client()],
      ...options,
      ...extra,
    });

  const setup: SimSetup = {
    clock,
    cluster,
    registry,
    logger,
    backend: await make(),
    restart: async (extra) => {
      await setup.backend.close();
      setup.backend = await make(extra);
      return setup.backend;
    },
  };
  return setup;
}

/**
 * A client whose create_transfers answers pass through `rewrite` first, to make the ledger say
 * what a test needs (an unexpected status, a lost reply).
 */
export function rewritingClient(
  inner: LedgerClient,
  rewrite: (batch: Transfer[], results: CreateTransferResult[]) => CreateTransferResult[] | 'drop',
): LedgerClient {
  return {
    createAccounts: (batch) => inner.createAccounts(batch),
    lookupAccounts: (ids) => inner.lookupAccounts(ids),
    lookupTransfers: (ids) => inner.lookupTransfers(ids),
    destroy: () => inner.destroy(),
    createTransfers: async (batch) => {
      const results = await inner.createTransfers(batch);
      const rewritten = rewrite(batch, results);
      if (rewritten !== 'drop') return rewritten;
      return new Promise<CreateTransferResult[]>(() => undefined);
    },
  };
}
