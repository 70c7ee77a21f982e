import { createMemoryBackend } from '../../../src/backends/memory/index.ts';
import { LimitRegistry } from '../../../src/registry/registry.ts';
import { FakeClock } from '../../../src/time/fake-clock.ts';
import { SeededRandom } from '../../../src/time/random.ts';
import type { SimTarget, TargetContext, TargetFactory } from '../target.ts';

export const memoryTarget: TargetFactory = {
  kind: 'memory',
  description: 'the memory backend',
  async create(name: string, context: TargetContext): Promise<SimTarget> {
    const clock = new FakeClock(context.startMs);
    const registry = LimitRegistry.inMemory();
    const random = new SeededRandom(context.seed);
    const backend = createMemoryBackend({
      clock,
      random,
      registry,
      retryPolicy: context.retryPolicy,
      leaseRetentionMs: context.leaseRetentionMs,
    });
    return {
      name,
      clock,
      registry,
      random,
      waitsOnClock: false,
      backend,
      reachable: () => true,
      close: () => backend.close(),
    };
  },
};
