import type { LimitDefinition } from '../../src/domain/limits.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  PutLimitResponse,
  ReserveRequest,
  ReserveResponse,
} from '../../src/domain/requests.ts';
import { invalidComplete, invalidReserve } from '../../src/domain/responses.ts';
import {
  validateBatchEnvelope,
  validateComplete,
  validateDefinition,
  validateLimitKey,
  validateReserve,
  type Validated,
} from '../../src/domain/validate.ts';
import { DEFAULT_BATCH_MAX } from '../../src/domain/numbers.ts';
import type { RequestOp } from './operations.ts';

/**
 * A request operation checked once, as the server checks it, before it reaches any backend. Only
 * valid items go to a backend (the Backend interface takes validated input); an invalid item is
 * answered `invalid_request` the same way on every target, as LocalLimiter does.
 */
export type PreparedRequest =
  | { op: 'put_limit'; definition: LimitDefinition }
  | { op: 'reserve'; items: Item<ReserveRequest>[] }
  | { op: 'complete'; items: Item<CompleteRequest>[] }
  | { op: 'get_limit'; key: string }
  | { op: 'list_limits' }
  | { op: 'invalid'; answer: unknown };

/** One item of a request: a valid request, or the answer its invalidity earns. */
export type Item<R> = { valid: true; request: R } | { valid: false; answer: unknown };

export interface PreparedOp {
  prepared: PreparedRequest;
  /** Batches answer a list; single requests one answer. */
  batch: boolean;
}

/**
 * With `trusted`, single reserves and completes are taken as valid without checking: for
 * operations the simulator generated itself (an imported trace), which are valid by
 * construction. Everything else is always checked.
 */
export function prepareRequest(op: RequestOp, trusted = false): PreparedOp {
  if (trusted && op.op === 'reserve') {
    const request = op.request as ReserveRequest;
    return { prepared: { op: 'reserve', items: [{ valid: true, request }] }, batch: false };
  }
  if (trusted && op.op === 'complete') {
    const request = op.request as CompleteRequest;
    return { prepared: { op: 'complete', items: [{ valid: true, request }] }, batch: false };
  }
  switch (op.op) {
    case 'put_limit': {
      const checked = validateDefinition(op.request);
      if (!checked.ok) return single(invalidPut(checked.detail));
      return { prepared: { op: 'put_limit', definition: checked.value }, batch: false };
    }
    case 'reserve':
      return {
        prepared: { op: 'reserve', items: [reserveItem(validateReserve(op.request))] },
        batch: false,
      };
    case 'complete':
      return {
        prepared: { op: 'complete', items: [completeItem(validateComplete(op.request))] },
        batch: false,
      };
    case 'reserve_batch':
    case 'complete_batch':
      return prepareBatch(op);
    case 'get_limit': {
      const checked = validateLimitKey(op.key);
      if (!checked.ok) return single(invalidPut(checked.detail));
      return { prepared: { op: 'get_limit', key: checked.value }, batch: false };
    }
    case 'list_limits':
      return { prepared: { op: 'list_limits' }, batch: false };
  }
}

function prepareBatch(op: RequestOp): PreparedOp {
  const envelope = validateBatchEnvelope(op.request, DEFAULT_BATCH_MAX);
  if (!envelope.ok) return single(invalidPut(envelope.detail));
  const raw = envelope.value;

  if (op.op === 'reserve_batch') {
    const items = raw.map((r, i) => reserveItem(validateReserve(r, `requests[${i}]`)));
    return { prepared: { op: 'reserve', items }, batch: true };
  }
  const items = raw.map((r, i) => completeItem(validateComplete(r, `requests[${i}]`)));
  return { prepared: { op: 'complete', items }, batch: true };
}

function reserveItem(checked: Validated<ReserveRequest>): Item<ReserveRequest> {
  if (checked.ok) return { valid: true, request: checked.value };
  return { valid: false, answer: invalidReserve(checked.detail) satisfies ReserveResponse };
}

function completeItem(checked: Validated<CompleteRequest>): Item<CompleteRequest> {
  if (checked.ok) return { valid: true, request: checked.value };
  return { valid: false, answer: invalidComplete(checked.detail) satisfies CompleteResponse };
}

function invalidPut(detail: string): PutLimitResponse {
  return { ok: false, error: 'invalid_request', detail };
}

function single(answer: unknown): PreparedOp {
  return { prepared: { op: 'invalid', answer }, batch: false };
}
