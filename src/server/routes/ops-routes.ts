/** GET /healthz and GET /metrics: for operators and probes, never recorded in a trace. */
import type { FastifyInstance } from 'fastify';

import type { RouteContext } from './context.ts';

export function opsRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get('/healthz', async () => ({ ok: true, backend: context.backend.name }));

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return context.metrics.render();
  });
}
