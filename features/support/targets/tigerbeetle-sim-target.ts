import { createTigerBeetleBackend } from '../../../src/backends/tigerbeetle/index.ts';
import { LimitRegistry } from '../../../src/registry/registry.ts';
import { FakeClock } from '../../../src/time/fake-clock.ts';
import { SeededRandom } from '../../../src/time/random.ts';
import { SimulatedCluster } from '../../../sim/cluster/index.ts';
import { BackendTarget, fakeTime } from './backend-target.ts';
import { ClusterClock } from './cluster-clock.ts';
import type { Target, TargetSettings } from './target.ts';

/**
 * The TigerBeetle backend over a simulated cluster. Both follow the scenario's fake clock; the
 * cluster through a ClusterClock, which does not step back with the host's clock.
 */
export async function createSimTarget(settings: TargetSettings): Promise<Target> {
  const clock = new FakeClock(settings.startMs);
  const clusterClock = new ClusterClock(clock);
  const cluster = new SimulatedCluster({ clock: clusterClock });
  const backend = await createTigerBeetleBackend({
    clock,
    random: new SeededRandom(settings.jitterSeed),
    registry: LimitRegistry.inMemory(),
    ledgers: [cluster.client()],
  });
  const time = fakeTime(clock, backend, () => clusterClock.keepTime());
  return new BackendTarget('tigerbeetle-sim', clock, backend, time);
}
