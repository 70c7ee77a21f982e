/**
 * What every route needs, and `respond`, the one wrapper every API route runs through: it takes
 * the request's place in the trace, runs the route's work, turns anything thrown into an error
 * reply (http-errors.ts), logs what was unexpected, and records the answer.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Backend } from '../../backends/backend.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Clock } from '../../time/clock.ts';
import type { TraceOp } from '../../trace/format.ts';
import { errorReply, invalidRequest, unsupportedMediaType } from '../http-errors.ts';
import { ForeignBody, UnparsedBody } from '../json-body.ts';
import type { ServerMetrics } from '../metrics/server-metrics.ts';
import type { TraceRecorder } from '../recorder.ts';

export interface RouteContext {
  backend: Backend;
  clock: Clock;
  logger: Logger;
  metrics: ServerMetrics;
  recorder: TraceRecorder | undefined;
  batchMax: number;
  bodyLimitBytes: number;
  /** Throws 401 unless the Authorization header carries the admin token (when one is set). */
  checkAdmin: (authorization: unknown) => void;
}

/** What a route's work answers: a status and a JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

export function ok(body: unknown): Answer {
  return { status: 200, body };
}

/** The parsed JSON body, or the 400/415 that explains why there is none. */
export function jsonBody(request: FastifyRequest): unknown {
  const body = request.body;
  if (body instanceof UnparsedBody) throw invalidRequest(body.detail);
  if (body instanceof ForeignBody) throw unsupportedMediaType();
  return body;
}

/** The body as the trace records it: what was parsed, or null when nothing was. */
function recordedBody(request: FastifyRequest): unknown {
  const body = request.body;
  if (body === undefined || body instanceof UnparsedBody || body instanceof ForeignBody) {
    return null;
  }
  return body;
}

export function respond(
  context: RouteContext,
  op: TraceOp,
  work: (request: FastifyRequest) => Promise<Answer>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    // The ticket is taken in the same synchronous step as the backend call that follows, so
    // the trace orders requests as the backend saw them.
    const ticket = context.recorder?.begin(op, context.clock.now());

    let answer: Answer;
    try {
      answer = await work(request);
    } catch (error) {
      const { http, unexpected } = errorReply(error, context.bodyLimitBytes);
      if (unexpected) logFailure(context.logger, request, error);
      reply.headers(http.headers);
      answer = { status: http.status, body: http.body };
    }

    if (ticket !== undefined && answer.status === 401) {
      ticket.drop();
    } else if (ticket !== undefined) {
      const key = (request.params as { key?: string } | undefined)?.key;
      ticket.finish({
        request: recordedBody(request),
        ...(key === undefined ? {} : { key }),
        status: answer.status,
        response: answer.body,
      });
    }
    reply.code(answer.status);
    return answer.body;
  };
}

export function logFailure(logger: Logger, request: FastifyRequest, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  logger.log('error', 'backend_failure', {
    method: request.method,
    url: request.url,
    error: failure.message,
    stack: failure.stack,
  });
}
