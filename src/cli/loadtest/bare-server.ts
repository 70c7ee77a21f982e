/**
 * A bare fastify server with the API's four lease routes answering constants: the same HTTP
 * stack and JSON work with no limiter behind it. The load tool measures it for the ratio of
 * ratelimiterd's throughput to what the HTTP layer alone allows on this machine.
 */
import Fastify from 'fastify';

import type { Clock } from '../../time/clock.ts';

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

export async function startBareServer(clock: Clock): Promise<BareServer> {
  const app = Fastify({ logger: false });
  const allowed = () => ({
    allowed: true,
    retry_after_ms: 0,
    reserved_at_unix_ms: clock.now(),
    error: '',
  });
  const ok = { ok: true, error: '' };
  const count = (body: unknown): number =>
    ((body as { requests?: unknown[] } | null)?.requests ?? []).length;

  app.post('/v1/reserve', async () => allowed());
  app.post('/v1/complete', async () => ok);
  app.post('/v1/reserve/batch', async (request) => ({
    results: Array.from({ length: count(request.body) }, allowed),
  }));
  app.post('/v1/complete/batch', async (request) => ({
    results: Array.from({ length: count(request.body) }, () => ok),
  }));

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
