import { InputError } from '../../input-error.ts';
import type { TargetFactory } from '../target.ts';
import { brokenCapacityTarget } from './broken.ts';
import { memoryTarget } from './memory.ts';
import { tigerbeetleSimTarget } from './tigerbeetle-sim.ts';

/** Every target `--backends` can name. */
export const TARGET_FACTORIES: readonly TargetFactory[] = [
  memoryTarget,
  tigerbeetleSimTarget,
  brokenCapacityTarget,
];

export function targetFactory(kind: string): TargetFactory {
  const factory = TARGET_FACTORIES.find((f) => f.kind === kind);
  if (factory === undefined) {
    const known = TARGET_FACTORIES.map((f) => f.kind).join(', ');
    throw new InputError(`unknown backend "${kind}" (known: ${known})`);
  }
  return factory;
}

/** `memory,memory` → names `memory`, `memory#2`: every target of a run has its own name. */
export function targetNames(kinds: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return kinds.map((kind) => {
    const count = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, count);
    return count === 1 ? kind : `${kind}#${count}`;
  });
}
