/** The admin API: PUT and GET /v1/admin/limits, GET /v1/admin/limits/{key}. */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { BACKEND_ERROR, INVALID_REQUEST, KIND_IMMUTABLE } from '../../domain/errors.ts';
import { validateDefinition, validateLimitKey } from '../../domain/validate.ts';
import {
  backendFailure,
  invalidRequest,
  kindImmutable,
  unknownLimit,
} from '../http-errors.ts';
import { wireLimitView } from '../wire.ts';
import { jsonBody, ok, respond, type Answer, type RouteContext } from './context.ts';

export function adminRoutes(app: FastifyInstance, context: RouteContext): void {
  const { backend, metrics } = context;
  const admin = (request: FastifyRequest): void =>
    context.checkAdmin(request.headers.authorization);

  app.put(
    '/v1/admin/limits',
    respond(context, 'put_limit', async (request): Promise<Answer> => {
      admin(request);
      const checked = validateDefinition(jsonBody(request));
      if (!checked.ok) throw invalidRequest(checked.detail);

      const answer = await backend.putLimit(checked.value);
      if (answer.ok) {
        metrics.registryWrite(answer.status);
        return ok({ ok: true, status: answer.status });
      }

      metrics.registryWrite(answer.error === KIND_IMMUTABLE ? KIND_IMMUTABLE : 'error');
      switch (answer.error) {
        case KIND_IMMUTABLE:
          throw kindImmutable(answer.detail ?? 'kind: cannot change for an existing limit');
        case INVALID_REQUEST:
          throw invalidRequest(answer.detail ?? 'body: refused by the backend');
        case BACKEND_ERROR:
        default:
          throw backendFailure();
      }
    }),
  );

  app.get(
    '/v1/admin/limits',
    respond(context, 'list_limits', async (request): Promise<Answer> => {
      admin(request);
      return ok({ limits: await backend.listLimits() });
    }),
  );

  app.get(
    '/v1/admin/limits/:key',
    respond(context, 'get_limit', async (request): Promise<Answer> => {
      admin(request);
      const checked = validateLimitKey((request.params as { key: unknown }).key, 'key');
      if (!checked.ok) throw invalidRequest(checked.detail);

      const view = await backend.getLimit(checked.value);
      if (view === undefined) throw unknownLimit(checked.value);
      return ok({ limit: wireLimitView(view) });
    }),
  );
}
