import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMemoryBackend } from '../../src/backends/memory/index.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { buildServer, type RateLimiterServer } from '../../src/server/app.ts';
import { MemoryTraceSink, TraceRecorder } from '../../src/server/recorder.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { advanceWithTicks } from '../../src/time/ticks.ts';
import { runOps } from '../../sim/engine/run-ops.ts';
import type { RequestOp } from '../../sim/engine/operations.ts';
import { parseTrace, type SimTrace, type SimTraceEvent } from '../../sim/traces/trace-io.ts';
import { traceToRun } from '../../sim/traces/trace-ops.ts';
import { waitForQuiet } from './cli.ts';

/**
 * Goal: what `ratelimiterd --record` writes, `replay` runs again to the same answers, on memory and
 * on TigerBeetle. Method: drive the real server (in-process, fastify inject, fake clock, jitter
 * seed 42) through allowed and denied reserves, a replay, an invalid request, a complete with
 * overage, batches, a decrease applied on a later tick and read-outs; replay the recording and
 * expect no finding. Then change one recorded answer and expect the replay to point at it.
 */
const START_MS = 1_700_000_000_000;

let server: RateLimiterServer;
let recorded: SimTrace;

async function record(): Promise<SimTrace> {
  const clock = new FakeClock(START_MS);
  const backend = createMemoryBackend({
    clock,
    random: new SeededRandom(42),
    registry: LimitRegistry.inMemory(),
  });
  const sink = new MemoryTraceSink();
  const recorder = new TraceRecorder({ sink, seed: 42 });
  server = await buildServer({ backend, clock, startTicks: false, recorder });
  const ids = new UlidFactory(clock, new SeededRandom(3));
  const send = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const reply = await server.app.inject({ method, url, payload: body,
      headers: payload === undefined ? {} : { 'content-type': 'application/json' } });
    return { status: reply.statusCode, body: reply.json() };
  };
  const advance = (ms: number) => advanceWithTicks(clock, ms, 1000, () => server.tick());
  const [a, b, c, d] = [ids.next(), ids.next(), ids.next(), ids.next()];

  await send('PUT', '/v1/admin/limits',
    { key: 'k', kind: 'rolling', capacity: 5, window_seconds: 2 });
  await send('PUT', '/v1/admin/limits',
    { key: 'c', kind: 'concurrency', capacity: 2, timeout_seconds: 3, overage: 'deny' });
  await advance(250);
  expect((await send('POST', '/v1/reserve', { lease_id: a,
    requirements: [{ key: 'k', amount: 3 }, { key: 'c', amount: 1 }] })).body.allowed).toBe(true);
  const denied = await send('POST', '/v1/reserve',
    { lease_id: b, requirements: [{ key: 'k', amount: 3 }] });
  expect(denied.body.allowed).toBe(false);
  expect(denied.body.retry_after_ms).toBeGreaterThan(0);
  await send('POST', '/v1/reserve', { lease_id: b, requirements: [{ key: 'k', amount: 3 }] });
  expect((await send('POST', '/v1/reserve',
    `{"lease_id":"${c}","requirements":[{"key":"k","amount":1.5}]}`)).status).toBe(400);
  await advance(700);
  await send('POST', '/v1/complete', { lease_id: a, actuals: [{ key: 'k', actual_amount: 6 }] });
  await send('POST', '/v1/reserve/batch', { requests: [
    { lease_id: c, requirements: [{ key: 'k', amount: 1 }] },
    { lease_id: d, requirements: [{ key: 'nope', amount: 1 }] },
  ] });
  expect((await send('PUT', '/v1/admin/limits',
    { key: 'k', kind: 'rolling', capacity: 2, window_seconds: 2 })).body.status).toBe('decreasing');
  await send('GET', '/v1/admin/limits/k');
  await advance(3000);
  await send('GET', '/v1/admin/limits/k');
  await send('GET', '/v1/admin/limits');
  await send('POST', '/v1/complete/batch', { requests: [
    { lease_id: c, actuals: [{ key: 'k', actual_amount: 0 }] },
    { lease_id: b, actuals: [] },
  ] });
  await send('GET', '/v1/admin/limits/missing');

  await recorder.flush();
  return parseTrace(sink.lines.join(''), 'recording');
}

beforeAll(async () => {
  recorded = await record();
});
afterAll(() => server.close());

describe('record and replay', () => {
  it('records every request with its answer', () => {
    expect(recorded.header.seed).toBe(42);
    expect(recorded.events.map((e) => e.op)).toEqual([
      'put_limit', 'put_limit', 'reserve', 'reserve', 'reserve', 'reserve', 'complete',
      'reserve_batch', 'put_limit', 'get_limit', 'get_limit', 'list_limits', 'complete_batch',
      'get_limit',
    ]);
    const answered = (e: SimTraceEvent): boolean =>
      e.response !== undefined && e.status !== undefined;
    expect(recorded.events.every(answered)).toBe(true);
  });

  it('replays to the recorded answers on memory and TigerBeetle, with no finding', async () => {
    const run = traceToRun(recorded);
    const outcome = await runOps(run.ops, { backends: ['memory', 'tigerbeetle'], seed: run.seed,
      startMs: run.startMs, waitForQuiet });
    expect(outcome.findings).toEqual([]);
    expect(outcome.stats.allowed).toBe(2);
    expect(outcome.stats.denied).toBe(2);
  });

  it('points at a recorded answer that the replay does not give', async () => {
    const run = traceToRun(recorded);
    const tampered = run.ops.map((op) => ({ ...op })) as RequestOp[];
    const deniedIndex = 3;
    const response = tampered[deniedIndex]!.response as { retry_after_ms: number };
    tampered[deniedIndex]!.response = { ...response, retry_after_ms: response.retry_after_ms + 1 };

    const outcome = await runOps(tampered, { backends: ['memory'], seed: run.seed,
      startMs: run.startMs, waitForQuiet });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({ kind: 'difference', target: 'recording',
      opIndex: deniedIndex });
    expect(outcome.findings[0]!.message).toContain('retry_after_ms');
  });
});
