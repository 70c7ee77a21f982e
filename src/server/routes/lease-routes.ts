/** POST /v1/reserve, /v1/complete and their batch forms. */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { BACKEND_ERROR } from '../../domain/errors.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../../domain/requests.ts';
import { invalidComplete, invalidReserve } from '../../domain/responses.ts';
import {
  validateBatchEnvelope,
  validateComplete,
  validateReserve,
  type Validated,
} from '../../domain/validate.ts';
import { HttpError, invalidRequest } from '../http-errors.ts';
import { jsonBody, ok, respond, type Answer, type RouteContext } from './context.ts';

const reserveAnswerSchema = {
  type: 'object',
  properties: {
    allowed: { type: 'boolean' },
    retry_after_ms: { type: 'integer' },
    reserved_at_unix_ms: { type: 'integer' },
    error: { type: 'string' },
    detail: { type: 'string' },
  },
  required: ['allowed', 'retry_after_ms', 'reserved_at_unix_ms', 'error'],
} as const;

const completeAnswerSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    error: { type: 'string' },
    detail: { type: 'string' },
  },
  required: ['ok', 'error'],
} as const;

function batchSchema(item: object): object {
  return {
    response: {
      200: {
        type: 'object',
        properties: { results: { type: 'array', items: item } },
        required: ['results'],
      },
    },
  };
}

/**
 * A backend that could not decide answers `backend_error`; a lone request then gets 503 so that
 * every HTTP client treats the outcome as unknown. Inside a batch the item says so itself.
 */
function singleStatus(error: string): number {
  return error === BACKEND_ERROR ? 503 : 200;
}

/**
 * Validates each item on its own (field names carry `requests[i].`), runs the valid ones in
 * order as one backend batch, and puts each answer back in its item's place. Invalid items
 * change nothing, so leaving them out does not change what the others see.
 */
async function runBatch<Q, A>(
  items: unknown[],
  validate: (item: unknown, field: string) => Validated<Q>,
  run: (valid: Q[]) => Promise<A[]>,
  invalid: (detail: string) => A,
): Promise<Array<{ request: Q | undefined; answer: A }>> {
  const checked = items.map((item, i) => validate(item, `requests[${i}]`));
  const valid = checked.flatMap((c) => (c.ok ? [c.value] : []));
  const answers = valid.length === 0 ? [] : await run(valid);
  if (answers.length !== valid.length) {
    throw new Error(`backend answered ${answers.length} items for ${valid.length}`);
  }

  let next = 0;
  return checked.map((c) =>
    c.ok
      ? { request: c.value, answer: answers[next++]! }
      : { request: undefined, answer: invalid(c.detail) },
  );
}

/** The parsed body; a body that did not parse is counted as refused before it is thrown. */
function counted(request: FastifyRequest, refused: (detail: string) => void): unknown {
  try {
    return jsonBody(request);
  } catch (error) {
    refused(error instanceof HttpError ? error.body.detail : String(error));
    throw error;
  }
}

// Made once per server, not per request: tsx names every function expression it compiles, so a
// closure made in a handler costs a property definition on each request.
function refusals(metrics: RouteContext['metrics']): {
  reserve: (detail: string) => void;
  complete: (detail: string) => void;
} {
  return {
    reserve: (detail) => metrics.reserve(undefined, invalidReserve(detail)),
    complete: (detail) => metrics.complete(invalidComplete(detail)),
  };
}

export function leaseRoutes(app: FastifyInstance, context: RouteContext): void {
  const { backend, metrics } = context;
  const refused = refusals(metrics);

  app.post(
    '/v1/reserve',
    { schema: { response: { 200: reserveAnswerSchema } } },
    respond(context, 'reserve', async (request): Promise<Answer> => {
      const checked = validateReserve(counted(request, refused.reserve));
      if (!checked.ok) {
        refused.reserve(checked.detail);
        throw invalidRequest(checked.detail);
      }
      const answer = await backend.reserve(checked.value);
      metrics.reserve(checked.value, answer);
      return { status: singleStatus(answer.error), body: answer };
    }),
  );

  app.post(
    '/v1/complete',
    { schema: { response: { 200: completeAnswerSchema } } },
    respond(context, 'complete', async (request): Promise<Answer> => {
      const checked = validateComplete(counted(request, refused.complete));
      if (!checked.ok) {
        refused.complete(checked.detail);
        throw invalidRequest(checked.detail);
      }
      const answer = await backend.complete(checked.value);
      metrics.complete(answer);
      return { status: singleStatus(answer.error), body: answer };
    }),
  );

  app.post(
    '/v1/reserve/batch',
    { schema: batchSchema(reserveAnswerSchema) },
    respond(context, 'reserve_batch', async (request): Promise<Answer> => {
      const envelope = validateBatchEnvelope(jsonBody(request), context.batchMax);
      if (!envelope.ok) throw invalidRequest(envelope.detail);
      metrics.batch('reserve', envelope.value.length);

      const results = await runBatch<ReserveRequest, ReserveResponse>(
        envelope.value,
        validateReserve,
        (valid) => backend.reserveBatch(valid),
        invalidReserve,
      );
      for (const { request: item, answer } of results) metrics.reserve(item, answer);
      return ok({ results: results.map((r) => r.answer) });
    }),
  );

  app.post(
    '/v1/complete/batch',
    { schema: batchSchema(completeAnswerSchema) },
    respond(context, 'complete_batch', async (request): Promise<Answer> => {
      const envelope = validateBatchEnvelope(jsonBody(request), context.batchMax);
      if (!envelope.ok) throw invalidRequest(envelope.detail);
      metrics.batch('complete', envelope.value.length);

      const results = await runBatch<CompleteRequest, CompleteResponse>(
        envelope.value,
        validateComplete,
        (valid) => backend.completeBatch(valid),
        invalidComplete,
      );
      for (const { answer } of results) metrics.complete(answer);
      return ok({ results: results.map((r) => r.answer) });
    }),
  );
}
