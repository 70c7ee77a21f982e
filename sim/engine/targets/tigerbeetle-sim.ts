import type { Backend } from '../../../src/backends/backend.ts';
import {
  createTigerBeetleBackend,
  type TigerBeetleBackend,
} from '../../../src/backends/tigerbeetle/index.ts';
import type { BackendOptions } from '../../../src/backends/options.ts';
import { LimitRegistry } from '../../../src/registry/registry.ts';
import { FakeClock } from '../../../src/time/fake-clock.ts';
import { sleep } from '../../../src/time/clock.ts';
import { SeededRandom } from '../../../src/time/random.ts';
import { SimulatedCluster } from '../../cluster/index.ts';
import type { SimTarget, TargetContext, TargetFactory } from '../target.ts';

const RESTART_RETRY_MS = 1000;

/**
 * The TigerBeetle backend on a simulated cluster that shares the target's clock. A restart
 * builds a new backend over the same cluster and registry (the lease cache is lost, the holds
 * stay); a cut-off makes the cluster unreachable until an instant of the target's clock.
 */
export const tigerbeetleSimTarget: TargetFactory = {
  kind: 'tigerbeetle',
  description: 'the TigerBeetle backend on the simulated cluster',
  async create(name: string, context: TargetContext): Promise<SimTarget> {
    const clock = new FakeClock(context.startMs);
    const registry = LimitRegistry.inMemory();
    const random = new SeededRandom(context.seed);
    const cluster = new SimulatedCluster({ clock });
    const options: BackendOptions = {
      clock,
      random,
      registry,
      retryPolicy: context.retryPolicy,
      leaseRetentionMs: context.leaseRetentionMs,
    };
    const build = (): Promise<TigerBeetleBackend> =>
      createTigerBeetleBackend({ ...options, ledgers: [cluster.client()] });

    const target: SimTarget = {
      name,
      clock,
      registry,
      random,
      waitsOnClock: true,
      backend: await build(),
      async restart() {
        // The old process is gone: whatever it had in flight is answered to nobody.
        void this.backend.close().catch(() => undefined);
        // A supervisor starts the new one again, once a second, until the cluster answers it.
        for (;;) {
          const reachable = cluster.isAvailable();
          try {
            (this as { backend: Backend }).backend = await build();
            return;
          } catch (error) {
            if (reachable && cluster.isAvailable()) throw error;
            await sleep(clock, RESTART_RETRY_MS);
          }
        }
      },
      readMany(keys: readonly string[]) {
        return (this.backend as TigerBeetleBackend).getLimits(keys);
      },
      cutOff(untilMs: number) {
        cluster.setUnavailable(untilMs);
      },
      reachable: () => cluster.isAvailable(),
      close() {
        return this.backend.close();
      },
    };
    return target;
  },
};
