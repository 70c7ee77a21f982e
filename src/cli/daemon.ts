/**
 * Wires a running ratelimiterd from its configuration: the system clock, the random source,
 * the registry, the backend, the trace recorder and the HTTP server. The entry point
 * (ratelimiterd.ts) adds the process: arguments, signals, exit codes.
 */
import { performance } from 'node:perf_hooks';

import type { Backend } from '../backends/backend.ts';
import type { Logger } from '../observability/logger.ts';
import { LimitRegistry } from '../registry/registry.ts';
import { buildServer, type ListenAddress, type RateLimiterServer } from '../server/app.ts';
import { ServerMetrics } from '../server/metrics/server-metrics.ts';
import { FileTraceSink, TraceRecorder } from '../server/recorder.ts';
import type { Clock } from '../time/clock.ts';
import { CryptoRandom } from '../time/crypto-random.ts';
import { SeededRandom } from '../time/random.ts';
import type { DaemonConfig } from './daemon-config.ts';
import { makeBackend } from './make-backend.ts';

export interface Daemon {
  address: ListenAddress;
  server: RateLimiterServer;
  /** Graceful: the server first (finishing requests in flight), then the trace, the backend. */
  stop(): Promise<void>;
}

export async function startDaemon(
  config: DaemonConfig,
  clock: Clock,
  logger: Logger,
): Promise<Daemon> {
  // Jitter need not be secret, only spread: a seeded source, its seed drawn from the operating
  // system when none is given, makes every run's hints replayable from its recorded seed.
  const seed = config.seed ?? new CryptoRandom().nextUint32();
  const random = new SeededRandom(seed);
  const registry = LimitRegistry.open(config.registry);
  const metrics = new ServerMetrics();
  const backend: Backend = await makeBackend(
    config,
    { clock, random, registry, retryPolicy: config.retryPolicy, logger },
    metrics.ledger,
  );

  let recorder: TraceRecorder | undefined;
  let server: RateLimiterServer | undefined;
  try {
    if (config.record !== undefined) {
      const sink = new FileTraceSink(config.record);
      recorder = new TraceRecorder({ sink, seed });
    }
    server = await buildServer({
      backend,
      clock,
      logger,
      metrics,
      batchMax: config.batchMax,
      bodyLimitBytes: config.bodyLimitBytes,
      decreasePollMs: config.decreasePollMs,
      latencyTimerMs: () => performance.now(),
      ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
      ...(recorder === undefined ? {} : { recorder }),
    });
    const address = await server.listen(config.listen);
    logger.log('info', 'started', {
      url: address.url,
      backend: backend.name,
      registry: config.registry,
      record: config.record,
      seed,
      admin_token: config.adminToken !== undefined,
    });

    const running = server;
    return {
      address,
      server: running,
      async stop() {
        await running.close();
        await recorder?.close();
        await backend.close();
      },
    };
  } catch (error) {
    await server?.close().catch(() => undefined);
    await recorder?.close().catch(() => undefined);
    await backend.close().catch(() => undefined);
    throw error;
  }
}
