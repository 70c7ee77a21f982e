import type { Backend } from '../../../src/backends/backend.ts';
import type { LimitDefinition, LimitState } from '../../../src/domain/limits.ts';
import { MAX_AMOUNT } from '../../../src/domain/numbers.ts';
import type { SimTarget, TargetContext, TargetFactory } from '../target.ts';
import { memoryTarget } from './memory.ts';

/**
 * The memory backend with a bug planted on purpose: every limit gets one more unit of capacity
 * than asked for, while read-outs show the capacity asked for (so only behaviour betrays it: a
 * reserve allowed where the others deny). The simulator must find it and hand back a command that
 * replays it. Never used except to test the simulator.
 */
export const brokenCapacityTarget: TargetFactory = {
  kind: 'broken-capacity',
  description: 'memory backend with an off-by-one capacity (a planted bug)',
  async create(name: string, context: TargetContext): Promise<SimTarget> {
    const inner = await memoryTarget.create(name, context);
    return { ...inner, backend: offByOneCapacity(inner.backend) };
  },
};

/** The state as asked for: one unit less than what the planted bug holds. */
function narrow<S extends LimitState>(state: S): S {
  const pending = state.pending_decrease_to;
  return {
    ...state,
    definition: { ...state.definition, capacity: state.definition.capacity - 1 },
    pending_decrease_to: pending === null ? null : pending - 1,
  };
}

function offByOneCapacity(backend: Backend): Backend {
  const widen = (definition: LimitDefinition): LimitDefinition => ({
    ...definition,
    capacity: Math.min(MAX_AMOUNT, definition.capacity + 1),
  });
  return {
    name: 'broken-capacity',
    putLimit: (definition) => backend.putLimit(widen(definition)),
    getLimit: async (key) => {
      const view = await backend.getLimit(key);
      if (view === undefined) return undefined;
      const usage = { ...view.usage, available: view.usage.available - 1 };
      return { ...narrow(view), usage };
    },
    listLimits: async () => (await backend.listLimits()).map(narrow),
    reserve: (request) => backend.reserve(request),
    complete: (request) => backend.complete(request),
    reserveBatch: (requests) => backend.reserveBatch(requests),
    completeBatch: (requests) => backend.completeBatch(requests),
    tick: () => backend.tick(),
    close: () => backend.close(),
  };
}
