import type { Backend } from '../../src/backends/backend.ts';
import type { PreparedRequest } from './prepare.ts';

/** What sends a prepared request to one backend (called once per delivery). */
export function sendRequest(
  backend: Backend,
  prepared: Exclude<PreparedRequest, { op: 'invalid' }>,
  batch: boolean,
): () => Promise<unknown> {
  switch (prepared.op) {
    case 'put_limit':
      return () => backend.putLimit(prepared.definition);
    case 'get_limit':
      return () => backend.getLimit(prepared.key);
    case 'list_limits':
      return () => backend.listLimits();
    case 'reserve':
      return () => runItems(prepared.items, batch, (r) => backend.reserve(r), (rs) =>
        backend.reserveBatch(rs));
    case 'complete':
      return () => runItems(prepared.items, batch, (r) => backend.complete(r), (rs) =>
        backend.completeBatch(rs));
  }
}

/** Valid items go to the backend (a batch in one call); invalid ones keep their answer. */
async function runItems<R, A>(
  items: ReadonlyArray<{ valid: true; request: R } | { valid: false; answer: unknown }>,
  batch: boolean,
  one: (request: R) => Promise<A>,
  many: (requests: R[]) => Promise<A[]>,
): Promise<unknown> {
  if (!batch) {
    const item = items[0]!;
    return item.valid ? one(item.request) : item.answer;
  }
  const valid = items.flatMap((item) => (item.valid ? [item.request] : []));
  const answers = valid.length > 0 ? await many(valid) : [];
  let next = 0;
  return items.map((item) => (item.valid ? answers[next++] : item.answer));
}

