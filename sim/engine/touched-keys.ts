import type { ReferenceModel } from '../check/reference-model.ts';
import type { PreparedRequest } from './prepare.ts';

/**
 * The keys whose usage an operation may have changed, in a stable order: a put's key; a
 * reserve's requirements; for a complete, the lease's keys (a concurrency hold is released
 * without an actual) and then the actuals' keys that exist.
 */
export function touchedKeys(
  prepared: PreparedRequest,
  models: readonly ReferenceModel[],
): string[] {
  if (prepared.op === 'put_limit') return [prepared.definition.key];
  const keys: string[] = [];
  const add = (key: string): void => {
    if (!keys.includes(key)) keys.push(key);
  };
  if (prepared.op === 'reserve') {
    for (const item of prepared.items) {
      if (item.valid) for (const r of item.request.requirements) add(r.key);
    }
  }
  if (prepared.op === 'complete') {
    for (const item of prepared.items) {
      if (!item.valid) continue;
      for (const model of models) {
        const lease = model.leases.get(item.request.lease_id);
        if (lease !== undefined) for (const r of lease.requirements) add(r.key);
      }
      for (const a of item.request.actuals) if (models[0]!.keys.has(a.key)) add(a.key);
    }
  }
  return keys;
}
