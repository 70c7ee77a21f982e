/**
 * ratelimiter-loadtest: loads a ratelimiterd on this machine (or a bare fastify route, or a
 * ratelimiterd started in this process) and reports rates, latencies and answers, then checks
 * that no rolling key admitted more than its capacity in any window. Exit 0 when the check
 * passes, 1 when it finds a violation or the run fails, 2 for a bad option.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { createMemoryBackend } from '../backends/memory/index.ts';
import { HttpLimiter } from '../client/http-client.ts';
import { fetchTransport, nodeHttpTransport } from '../client/transport.ts';
import { UlidFactory } from '../domain/ulid.ts';
import { LimitRegistry } from '../registry/registry.ts';
import { buildServer } from '../server/app.ts';
import { CryptoRandom } from '../time/crypto-random.ts';
import { SystemClock } from '../time/system-clock.ts';
import { startBareServer } from './loadtest/bare-server.ts';
import { parseLoadtestConfig, type LoadtestConfig } from './loadtest/loadtest-config.ts';
import { RawLoadClient } from './loadtest/raw-client.ts';
import { percentile, runLoad, type LoadClient, type LoadResult } from './loadtest/run-load.ts';
import { findWindowViolations, type RollingLimit } from './loadtest/window-check.ts';
import { TurnClock } from './turn-clock.ts';

interface Target {
  url: string;
  label: string;
  /** Whether the target has the admin API (limits to create and check). */
  limited: boolean;
  close(): Promise<void>;
}

async function startTarget(config: LoadtestConfig, clock: TurnClock): Promise<Target> {
  if (config.target === 'bare') {
    const bare = await startBareServer(clock);
    return { url: bare.url, label: 'bare fastify (in process)', limited: false, close: bare.close };
  }
  if (config.target === 'in-process') {
    const backend = createMemoryBackend({
      clock,
      random: new CryptoRandom(),
      registry: LimitRegistry.inMemory(),
    });
    const server = await buildServer({
      backend,
      clock,
      latencyTimerMs: () => performance.now(),
    });
    const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
    return {
      url,
      label: 'ratelimiterd, memory backend (in process)',
      limited: true,
      close: async () => {
        await server.close();
        await backend.close();
      },
    };
  }
  if (config.target === 'bare-url') {
    return { url: config.url, label: 'bare fastify', limited: false, close: async () => undefined };
  }
  return { url: config.url, label: 'ratelimiterd', limited: true, close: async () => undefined };
}

function report(config: LoadtestConfig, target: Target, result: LoadResult): string[] {
  const rate = (n: number): string => (n / result.elapsedS).toFixed(0);
  const ms = (v: number): string => v.toFixed(2);
  const reserveItems = result.reserves.allowed + result.reserves.denied + result.reserves.error;
  const completes = result.completes.ok + result.completes.error;
  const latency = [...result.reserveLatencyMs].sort((a, b) => a - b);
  const batch = config.mode === 'batch' ? ` of ${config.batchSize}` : '';
  return [
    `target     ${target.label} at ${target.url}`,
    `load       ${config.mode}${batch}, ${config.connections} connections (${config.client}), ` +
      `${result.elapsedS.toFixed(1)} s`,
    `requests   ${result.httpRequests} HTTP (${rate(result.httpRequests)}/s)`,
    `reserves   ${reserveItems} (${rate(reserveItems)}/s): allowed ${result.reserves.allowed}, ` +
      `denied ${result.reserves.denied}, error ${result.reserves.error}`,
    `completes  ${completes} (${rate(completes)}/s): ok ${result.completes.ok}, ` +
      `error ${result.completes.error}`,
    `latency    reserve requests: p50 ${ms(percentile(latency, 50))} ms, ` +
      `p95 ${ms(percentile(latency, 95))} ms, p99 ${ms(percentile(latency, 99))} ms, ` +
      `max ${ms(latency.at(-1) ?? 0)} ms`,
    ...result.errorSamples.map((sample) => `error      ${sample}`),
  ];
}

/**
 * Serves the bare route in this process until a signal or the duration ends, so that it can be
 * loaded from another process exactly as a ratelimiterd is (the like-for-like ratio).
 */
async function serveBare(clock: TurnClock, durationS: number): Promise<number> {
  const bare = await startBareServer(clock);
  process.stdout.write(`bare fastify listening at ${bare.url}\n`);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, durationS * 1000);
    const stop = (): void => (clearTimeout(timer), resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await bare.close();
  return 0;
}

async function main(): Promise<number> {
  const parsed = parseLoadtestConfig(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`ratelimiter-loadtest: ${parsed.message}\n`);
    return 2;
  }
  const config = parsed.config;
  const clock = new TurnClock(new SystemClock());
  if (config.target === 'serve-bare') return serveBare(clock, config.durationS);
  const target = await startTarget(config, clock);
  let limiterToClose: HttpLimiter | undefined;
  let loadToClose: RawLoadClient | undefined;
  try {
    const adminToken = config.adminToken === undefined ? {} : { adminToken: config.adminToken };
    const transport =
      config.client === 'fetch'
        ? fetchTransport()
        : nodeHttpTransport({ maxSockets: config.connections });
    const limiter = new HttpLimiter({ baseUrl: target.url, transport, ...adminToken });
    limiterToClose = limiter;
    // The admin calls go through HttpLimiter; the load, by default, through raw connections.
    const load: LoadClient = config.client === 'raw' ? new RawLoadClient(target.url) : limiter;
    loadToClose = load instanceof RawLoadClient ? load : undefined;

    // Fresh keys for every run, so that nothing from an earlier run shares their windows.
    const run = randomBytes(4).toString('hex');
    const keys = Array.from({ length: config.keys }, (_, i) => `loadtest:${run}:rolling:${i}`);
    if (target.limited) {
      for (const key of keys) {
        const put = await limiter.putLimit({
          key,
          kind: 'rolling',
          capacity: config.capacity,
          window_seconds: config.windowSeconds,
          overage: 'deny',
        });
        if (!put.ok) throw new Error(`cannot create ${key}: ${put.error} ${put.detail ?? ''}`);
      }
    }

    const ids = new UlidFactory(clock, new CryptoRandom());
    const result = await runLoad(load, ids, { ...config, keys });
    for (const line of report(config, target, result)) process.stdout.write(line + '\n');
    if (!target.limited) return 0;

    const limits = new Map<string, RollingLimit>();
    for (const key of keys) {
      const view = await limiter.getLimit(key);
      if (view === undefined) throw new Error(`limit ${key} disappeared`);
      const windowMs = (view.definition.window_seconds ?? 0) * 1000;
      limits.set(key, { capacity: view.definition.capacity, windowMs });
    }
    const violations = findWindowViolations(result.admissions, limits);
    if (violations.length === 0) {
      process.stdout.write(
        `check      ${result.admissions.length} admissions on ${keys.length} keys: ` +
          'no key over its capacity in any window\n',
      );
      return 0;
    }
    for (const v of violations) {
      process.stdout.write(
        `VIOLATION  ${v.key}: ${v.held} held at ${v.atMs}, capacity ${v.capacity}\n`,
      );
    }
    return 1;
  } finally {
    limiterToClose?.close();
    loadToClose?.close();
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ratelimiter-loadtest: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
