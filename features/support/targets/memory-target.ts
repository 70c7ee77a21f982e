import { createMemoryBackend } from '../../../src/backends/memory/index.ts';
import { LimitRegistry } from '../../../src/registry/registry.ts';
import { FakeClock } from '../../../src/time/fake-clock.ts';
import { SeededRandom } from '../../../src/time/random.ts';
import { BackendTarget, fakeTime } from './backend-target.ts';
import type { Target, TargetSettings } from './target.ts';

/** The memory backend in this process, on a fake clock. */
export function createMemoryTarget(settings: TargetSettings): Target {
  const clock = new FakeClock(settings.startMs);
  const backend = createMemoryBackend({
    clock,
    random: new SeededRandom(settings.jitterSeed),
    registry: LimitRegistry.inMemory(),
  });
  return new BackendTarget('memory', clock, backend, fakeTime(clock, backend));
}
