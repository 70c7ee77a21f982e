import type { LimitView } from '../../src/domain/limits.ts';
import { wireLimitView } from '../../src/server/wire.ts';
import { jsonDifferences } from '../check/same-json.ts';
import type { RequestOp } from './operations.ts';

interface Wire {
  status: number;
  body: unknown;
}

/**
 * How a replayed answer differs from the one a server recorded, or undefined if it does not.
 * A success is compared field by field on what the recording holds; a refusal by its status and
 * error name (the server words its own `detail`); a server-side failure (5xx) cannot be replayed
 * and is not compared.
 */
export function recordedDifference(op: RequestOp, answer: unknown): string | undefined {
  const recordedStatus = op.status ?? 200;
  if (recordedStatus >= 500) return undefined;

  const wire = toWire(op, answer);
  if (recordedStatus !== wire.status) {
    return `status ${recordedStatus} recorded, ${wire.status} replayed ` +
      `(${JSON.stringify(wire.body)})`;
  }
  if (op.response === undefined) return undefined;

  if (recordedStatus >= 400) {
    const recordedError = (op.response as { error?: unknown }).error;
    const replayedError = (wire.body as { error?: unknown }).error;
    if (recordedError === replayedError) return undefined;
    return `error ${JSON.stringify(recordedError)} recorded, ` +
      `${JSON.stringify(replayedError)} replayed`;
  }

  const paths = jsonDifferences(op.response, wire.body);
  if (paths.length === 0) return undefined;
  return `${paths.slice(0, 4).join(', ')} differ: recorded ${JSON.stringify(op.response)}, ` +
    `replayed ${JSON.stringify(wire.body)}`;
}

/** The HTTP status and body the server would write for an answer (SEMANTICS, HTTP shapes). */
function toWire(op: RequestOp, answer: unknown): Wire {
  const refusal = answer as { ok?: boolean; error?: string; detail?: string } | undefined;
  if (refusal?.error === 'invalid_request' && !isBatch(op)) {
    return { status: 400, body: { error: 'invalid_request', detail: refusal.detail } };
  }

  switch (op.op) {
    case 'reserve_batch':
    case 'complete_batch':
      if (!Array.isArray(answer)) return { status: 400, body: answer };
      return { status: 200, body: { results: answer } };
    case 'put_limit':
      if (refusal?.ok === false && refusal.error === 'kind_immutable') {
        return { status: 409, body: { error: 'kind_immutable' } };
      }
      return { status: 200, body: answer };
    case 'get_limit':
      if (answer === undefined) return { status: 404, body: { error: 'unknown_limit' } };
      return { status: 200, body: { limit: wireLimitView(answer as LimitView) } };
    case 'list_limits':
      return { status: 200, body: { limits: answer } };
    default:
      return { status: 200, body: answer };
  }
}

function isBatch(op: RequestOp): boolean {
  return op.op === 'reserve_batch' || op.op === 'complete_batch';
}
