/**
 * HttpLimiter against a real ratelimiterd server (memory backend, FakeClock, 127.0.0.1 on an
 * ephemeral port), and against fetches that fail, to show what each failure is answered as.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { createMemoryBackend } from '../../src/backends/memory/index.ts';
import { HttpLimiter, HttpLimiterError } from '../../src/client/http-client.ts';
import { Batcher } from '../../src/client/batcher.ts';
import { nodeHttpTransport } from '../../src/client/transport.ts';
import type { LimitDefinition } from '../../src/domain/limits.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { startHarness, START_MS, type Harness } from '../server/server-harness.ts';
import { advanceBy } from './fake-limiter.ts';

const TOKEN = 'client-test-token-0123';

describe('HttpLimiter', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function serve(adminToken?: string): Promise<Harness> {
    const overrides = adminToken === undefined ? {} : { adminToken };
    harness = await startHarness(async (o) => createMemoryBackend(o), overrides);
    return harness;
  }

  it('reserves, completes and reads limits over HTTP', async () => {
    const h = await serve(TOKEN);
    const client = new HttpLimiter({ baseUrl: h.url, adminToken: TOKEN });
    const limit: LimitDefinition = {
      key: 'k',
      kind: 'rolling',
      capacity: 5,
      window_seconds: 60,
      overage: 'debt',
    };
    expect(await client.putLimit(limit)).toEqual({ ok: true, status: 'active' });

    const lease = h.ids.next();
    expect(await client.reserve({ lease_id: lease, requirements: [{ key: 'k', amount: 4 }] }))
      .toEqual({ allowed: true, retry_after_ms: 0, reserved_at_unix_ms: START_MS, error: '' });
    const denied = await client.reserve({
      lease_id: h.ids.next(),
      requirements: [{ key: 'k', amount: 2 }],
    });
    expect(denied).toMatchObject({ allowed: false, error: '' });
    const actuals = [{ key: 'k', actual_amount: 1 }];
    expect(await client.complete({ lease_id: lease, actuals })).toEqual({ ok: true, error: '' });

    const view = await client.getLimit('k');
    expect(view?.usage).toEqual({ held: 1, available: 4, debt: 0n });
    expect(await client.getLimit('missing')).toBeUndefined();
    expect((await client.listLimits()).map((s) => s.definition.key)).toEqual(['k']);

    const changed = await client.putLimit({
      key: 'k',
      kind: 'concurrency',
      capacity: 1,
      timeout_seconds: 1,
      overage: 'debt',
    });
    expect(changed).toMatchObject({ ok: false, error: 'kind_immutable' });
  });

  it('batches go through the batch endpoints, per-item answers in order', async () => {
    const h = await serve();
    const client = new HttpLimiter({ baseUrl: h.url });
    await client.putLimit({
      key: 'k',
      kind: 'rolling',
      capacity: 1,
      window_seconds: 1,
      overage: 'deny',
    });
    const answers = await client.reserveBatch([
      { lease_id: h.ids.next(), requirements: [{ key: 'k', amount: 1 }] },
      { lease_id: 'bad', requirements: [{ key: 'k', amount: 1 }] },
      { lease_id: h.ids.next(), requirements: [{ key: 'k', amount: 1 }] },
    ]);
    expect(answers.map((a) => [a.allowed, a.error])).toEqual([
      [true, ''],
      [false, 'invalid_request'],
      [false, ''],
    ]);

    // A batcher over the HTTP client sends one batch for concurrent callers.
    const clock = new FakeClock(0);
    const batcher = new Batcher(client, { clock, maxBatch: 2 });
    const both = await Promise.all([
      batcher.complete({ lease_id: h.ids.next(), actuals: [] }),
      batcher.complete({ lease_id: h.ids.next(), actuals: [] }),
    ]);
    expect(both).toEqual([{ ok: true, error: '' }, { ok: true, error: '' }]);
  });

  it('a malformed request is answered invalid_request with the detail', async () => {
    const h = await serve();
    const client = new HttpLimiter({ baseUrl: h.url });
    const answer = await client.reserve({ lease_id: 'x', requirements: [] });
    expect(answer).toEqual({
      allowed: false,
      retry_after_ms: 0,
      reserved_at_unix_ms: 0,
      error: 'invalid_request',
      detail:
        'lease_id: must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)',
    });
  });

  it('a wrong admin token throws; it is not an answer', async () => {
    const h = await serve(TOKEN);
    const client = new HttpLimiter({ baseUrl: h.url, adminToken: 'wrong-token-0123456789' });
    const refusal = { status: 401, error: 'unauthorized' };
    await expect(client.listLimits()).rejects.toMatchObject(refusal);
    await expect(client.listLimits()).rejects.toBeInstanceOf(HttpLimiterError);
  });

  it('a refused connection is an unknown outcome: backend_error', async () => {
    const h = await serve();
    const url = h.url;
    await h.close();
    harness = undefined;
    const client = new HttpLimiter({ baseUrl: url });
    const answer = await client.reserve({
      lease_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      requirements: [{ key: 'k', amount: 1 }],
    });
    expect(answer.error).toBe('backend_error');
    expect(answer.detail).toMatch(/^transport: /);
    const batch = await client.completeBatch([
      { lease_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', actuals: [] },
    ]);
    expect(batch[0]).toMatchObject({ ok: false, error: 'backend_error' });
  });

  it('a call with no answer times out on the injected clock: backend_error', async () => {
    const clock = new FakeClock(0);
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      });
    const client = new HttpLimiter({
      baseUrl: 'http://127.0.0.1:9',
      clock,
      timeoutMs: 2000,
      fetch: hanging,
    });
    const pending = client.reserve({
      lease_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      requirements: [{ key: 'k', amount: 1 }],
    });
    await advanceBy(clock, 2000);
    expect(await pending).toMatchObject({
      error: 'backend_error',
      detail: 'transport: no answer within 2000 ms',
    });
  });

  it('the caller\'s abort throws its reason', async () => {
    const clock = new FakeClock(0);
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      });
    const client = new HttpLimiter({ baseUrl: 'http://127.0.0.1:9', clock, fetch: hanging });
    const controller = new AbortController();
    const request = { lease_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', actuals: [] };
    const pending = client
      .complete(request, { signal: controller.signal })
      .catch((e: Error) => e.message);
    controller.abort(new Error('stop'));
    expect(await pending).toBe('stop');
  });

  it('a 5xx without an answer body is an unknown outcome', async () => {
    const failing: typeof fetch = async () => new Response('bad gateway', { status: 502 });
    const client = new HttpLimiter({ baseUrl: 'http://127.0.0.1:9', fetch: failing });
    expect(
      await client.reserve({
        lease_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        requirements: [{ key: 'k', amount: 1 }],
      }),
    ).toMatchObject({ error: 'backend_error', detail: 'http: status 502' });
  });
});

describe('HttpLimiter over node:http', () => {
  it('gives the same answers as over fetch, and unknown outcomes alike', async () => {
    const h = await startHarness(async (o) => createMemoryBackend(o));
    const transport = nodeHttpTransport();
    const client = new HttpLimiter({ baseUrl: h.url, transport });
    try {
      await client.putLimit({
        key: 'k',
        kind: 'concurrency',
        capacity: 1,
        timeout_seconds: 5,
        overage: 'debt',
      });
      const lease = h.ids.next();
      expect(await client.reserve({ lease_id: lease, requirements: [{ key: 'k', amount: 1 }] }))
        .toMatchObject({ allowed: true, reserved_at_unix_ms: START_MS });
      expect(await client.reserve({ lease_id: 'x', requirements: [] })).toMatchObject({
        error: 'invalid_request',
      });
      expect(await client.complete({ lease_id: lease, actuals: [] })).toEqual({
        ok: true,
        error: '',
      });
      expect((await client.getLimit('k'))?.usage.held).toBe(0);
    } finally {
      client.close();
      await h.close();
    }

    const refused = await client.reserve({
      lease_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      requirements: [{ key: 'k', amount: 1 }],
    });
    expect(refused).toMatchObject({ error: 'backend_error' });
    expect(refused.detail).toMatch(/^transport: .*ECONNREFUSED/);
  });
});
