/**
 * ratelimiterd's HTTP server: the contract's endpoints over one Backend (spec/http-api.md).
 * Time comes only from the injected clock; the backend's ticks are scheduled on it.
 */
import type { AddressInfo } from 'node:net';

import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

import type { Backend } from '../backends/backend.ts';
import { DEFAULT_DECREASE_POLL_MS } from '../backends/options.ts';
import { DEFAULT_BATCH_MAX } from '../domain/numbers.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import type { Clock } from '../time/clock.ts';
import { adminGuard } from './admin-auth.ts';
import { errorReply, routeNotFound, shuttingDown } from './http-errors.ts';
import { installJsonBodyParser } from './json-body.ts';
import { ServerMetrics } from './metrics/server-metrics.ts';
import type { TraceRecorder } from './recorder.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { logFailure, type RouteContext } from './routes/context.ts';
import { leaseRoutes } from './routes/lease-routes.ts';
import { opsRoutes } from './routes/ops-routes.ts';
import { Ticker } from './ticker.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export interface ServerOptions {
  backend: Backend;
  clock: Clock;
  logger?: Logger;
  /** When set, the admin endpoints require `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Most items in one batch request (default 256). */
  batchMax?: number;
  /** Largest request body in bytes (default 1 MiB); larger ones get 413. */
  bodyLimitBytes?: number;
  /** Period of backend ticks (default 1000), on whole multiples of it. */
  decreasePollMs?: number;
  recorder?: TraceRecorder;
  /** Schedule ticks on the clock (default true). Tests with a FakeClock call `tick()`. */
  startTicks?: boolean;
  /** Metrics to fill (default: a fresh set); hand `metrics.ledger` to a TigerBeetle backend. */
  metrics?: ServerMetrics;
  /**
   * Reads a monotonic time in fractional milliseconds, for latency histograms only (default:
   * the clock, whose whole milliseconds are coarse). The CLI passes performance.now.
   */
  latencyTimerMs?: () => number;
}

export interface ListenAddress {
  host: string;
  port: number;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
}

export interface RateLimiterServer {
  readonly app: FastifyInstance;
  readonly metrics: ServerMetrics;
  listen(address: { host: string; port: number }): Promise<ListenAddress>;
  /** Runs one backend tick now (after any in progress): the path the scheduled ticks take. */
  tick(): Promise<void>;
  /** Stops accepting, finishes requests in flight, stops ticks, flushes the trace. */
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    startedAtMs: number;
  }
}

export async function buildServer(options: ServerOptions): Promise<RateLimiterServer> {
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? new ServerMetrics();
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const decreasePollMs = options.decreasePollMs ?? DEFAULT_DECREASE_POLL_MS;
  const latencyTimerMs = options.latencyTimerMs ?? (() => options.clock.now());
  const context: RouteContext = {
    backend: options.backend,
    clock: options.clock,
    logger,
    metrics,
    recorder: options.recorder,
    batchMax: options.batchMax ?? DEFAULT_BATCH_MAX,
    bodyLimitBytes,
    checkAdmin: adminGuard(options.adminToken),
  };

  const app = Fastify({
    logger: false,
    bodyLimit: bodyLimitBytes,
    // Keys are up to 256 characters, three times that once URL-encoded.
    routerOptions: { maxParamLength: 1024 },
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // The router refuses some URLs (bad percent-encoding) before any handler runs; answer those
    // in the same shape and from the same place as every other refusal.
    frameworkErrors: (error, _request, reply) => {
      const { http } = errorReply(error, bodyLimitBytes);
      // The framework's own reply type is generic over routes not yet declared here.
      const plain = reply as unknown as FastifyReply;
      void plain.code(http.status).headers(http.headers).send(http.body);
    },
  });
  installJsonBodyParser(app);

  let closing = false;
  app.decorateRequest('startedAtMs', 0);
  // The hooks take callbacks rather than being async: they run on every request, and an async
  // hook costs a promise and a microtask turn each time.
  app.addHook('onRequest', (request, reply, done) => {
    request.startedAtMs = latencyTimerMs();
    if (closing) {
      reply.header('connection', 'close');
      done(shuttingDown());
      return;
    }
    done();
  });
  // While draining, every answer closes its connection, so close() need not wait for idle
  // keep-alive connections to time out. The request is counted here rather than in an
  // onResponse hook: that hook makes fastify listen for each response's 'finish' event, which
  // cost more than the rest of the hooks together. The answer is final once it is sent, so the
  // figures are the same; the latency stops when the answer is handed to the socket.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');

    const route = request.routeOptions.url ?? 'unknown';
    const seconds = Math.max(0, latencyTimerMs() - request.startedAtMs) / 1000;
    metrics.httpRequest(route, reply.statusCode, seconds);
    logger.log('debug', 'http_request', {
      method: request.method,
      route,
      status: reply.statusCode,
      ms: seconds * 1000,
    });
    done(null, payload);
  });

  // Errors raised outside the routes' own handling (body too large, hooks) land here.
  app.setErrorHandler(async (error, request, reply) => {
    const { http, unexpected } = errorReply(error, bodyLimitBytes);
    if (unexpected) logFailure(logger, request, error);
    reply.headers(http.headers);
    reply.code(http.status);
    return http.body;
  });
  app.setNotFoundHandler(async (request) => {
    throw routeNotFound(request.method, request.url);
  });

  leaseRoutes(app, context);
  adminRoutes(app, context);
  opsRoutes(app, context);

  options.recorder?.start(await options.backend.listLimits(), decreasePollMs, options.clock.now());

  const ticker = new Ticker(options.clock, decreasePollMs, async () => {
    try {
      await options.backend.tick();
      metrics.tick('ok');
    } catch (error) {
      metrics.tick('error');
      logger.log('error', 'tick_failed', { error: (error as Error).message });
    }
  });
  if (options.startTicks !== false) ticker.start();
  await app.ready();

  return {
    app,
    metrics,
    async listen({ host, port }) {
      await app.listen({ host, port });
      const bound = app.server.address() as AddressInfo;
      const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
      logger.log('info', 'listening', { host: bound.address, port: bound.port });
      return { host: bound.address, port: bound.port, url: `http://${shownHost}:${bound.port}` };
    },
    tick: () => ticker.tick(),
    async close() {
      closing = true;
      await app.close();
      await ticker.stop();
      await options.recorder?.flush();
      logger.log('info', 'closed', {});
    },
  };
}
