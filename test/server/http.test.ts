/**
 * The HTTP contract suite (http-contract.ts), run once per backend: the memory backend, and the
 * TigerBeetle backend over the simulated cluster, both on a FakeClock.
 */
import { createMemoryBackend } from '../../src/backends/memory/index.ts';
import { createTigerBeetleBackend } from '../../src/backends/tigerbeetle/index.ts';
import { SimulatedCluster } from '../../sim/cluster/index.ts';
import { httpContract } from './http-contract.ts';

httpContract('memory', async (options) => createMemoryBackend(options));

httpContract('tigerbeetle (simulated cluster)', async (options) => {
  const cluster = new SimulatedCluster({ clock: options.clock });
  return createTigerBeetleBackend({ ...options, ledgers: [cluster.client()] });
});
