import type { Target, TargetName, TargetSettings } from './target.ts';

type Factory = (settings: TargetSettings) => Target | Promise<Target>;

/** What a target module offers: a factory per scenario, and optional work around a run. */
interface TargetModule {
  create: Factory;
  beginRun?: () => Promise<void>;
  endRun?: () => Promise<void>;
}

/**
 * Each target's module is loaded only when asked for, so a target whose implementation is
 * missing fails on its own, with the reason, and the others still run.
 */
const MODULES: Record<TargetName, () => Promise<TargetModule>> = {
  memory: async () => ({ create: (await import('./memory-target.ts')).createMemoryTarget }),
  'tigerbeetle-sim': async () => ({
    create: (await import('./tigerbeetle-sim-target.ts')).createSimTarget,
  }),
  http: async () => ({ create: (await import('./http-target.ts')).createHttpTarget }),
  'tigerbeetle-real': async () => {
    const real = await import('./tigerbeetle-real-target.ts');
    return { create: real.createRealTarget, beginRun: real.beginRun, endRun: real.endRun };
  },
};

/** Loads a target's code; throws, naming the target, when it cannot be loaded. */
export async function loadTarget(name: TargetName): Promise<TargetModule> {
  try {
    return await MODULES[name]();
  } catch (error) {
    throw new Error(`target ${name} cannot be built: ${(error as Error).message}`);
  }
}

/** Builds a fresh target for one scenario. */
export async function createTarget(name: TargetName, settings: TargetSettings): Promise<Target> {
  return (await loadTarget(name)).create(settings);
}

/** Starts what a whole run on `name` shares (a real cluster); most targets need nothing. */
export async function beginRun(name: TargetName): Promise<void> {
  await (await loadTarget(name)).beginRun?.();
}

export async function endRun(name: TargetName): Promise<void> {
  await (await loadTarget(name)).endRun?.();
}
