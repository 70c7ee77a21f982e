/**
 * The HTTP API of spec/http-api.md, checked over real HTTP against one backend. Written once and
 * run per backend (http.test.ts): each endpoint's rules, every 400 naming its field and rule,
 * batches, replay, decreases, the admin token, metrics and recording.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { parseExactJson } from '../../src/domain/exact-json.ts';
import { MAX_AMOUNT } from '../../src/domain/numbers.ts';
import type { ServerOptions } from '../../src/server/app.ts';
import { FileTraceSink, MemoryTraceSink, TraceRecorder } from '../../src/server/recorder.ts';
import type { TraceEvent, TraceHeader } from '../../src/trace/format.ts';
import { START_MS, startHarness, type BackendFactory, type Harness } from './server-harness.ts';

const ULID_RULE = 'must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)';
const AMOUNT_RULE = `must be an integer from 1 to ${MAX_AMOUNT}`;
const ACTUAL_RULE = `must be an integer from 0 to ${MAX_AMOUNT}`;

const rolling = (key: string, capacity: number, windowSeconds = 60, extra = {}) => ({
  key,
  kind: 'rolling',
  capacity,
  window_seconds: windowSeconds,
  ...extra,
});
const concurrency = (key: string, capacity: number, timeoutSeconds = 30) => ({
  key,
  kind: 'concurrency',
  capacity,
  timeout_seconds: timeoutSeconds,
});

export function httpContract(name: string, makeBackend: BackendFactory): void {
  describe(`HTTP API over the ${name} backend`, () => {
    const open: Harness[] = [];
    const start = async (overrides: Partial<ServerOptions> = {}): Promise<Harness> => {
      const harness = await startHarness(makeBackend, overrides);
      open.push(harness);
      return harness;
    };
    afterEach(async () => {
      for (const harness of open.splice(0)) await harness.close();
    });

    const reserve = (h: Harness, requirements: unknown, leaseId = h.ids.next()) =>
      h.call('POST', '/v1/reserve', { lease_id: leaseId, requirements });
    const put = (h: Harness, definition: unknown) => h.call('PUT', '/v1/admin/limits', definition);
    const usage = async (h: Harness, key: string) =>
      (await h.call('GET', `/v1/admin/limits/${encodeURIComponent(key)}`)).body.limit.usage;

    describe('400 names the field and the rule', () => {
      const LEASE = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
      const needs = (requirements: string) =>
        `{"lease_id":"${LEASE}","requirements":${requirements}}`;
      const KEY_RULE = 'must be 1 to 256 printable ASCII characters without whitespace';
      const cases: Array<[string, string, string]> = [
        ['lease id', '{"lease_id":"nope","requirements":[{"key":"k","amount":1}]}',
          `lease_id: ${ULID_RULE}`],
        ['no requirements', needs('[]'),
          'requirements: must be an array of 1 to 32 requirements'],
        ['2^53 + 1, which JSON.parse would round', needs('[{"key":"k","amount":9007199254740993}]'),
          `requirements[0].amount: ${AMOUNT_RULE}`],
        ['a fraction', needs('[{"key":"k","amount":1.5}]'),
          `requirements[0].amount: ${AMOUNT_RULE}`],
        ['1.0, a fraction in form', needs('[{"key":"k","amount":1.0}]'),
          `requirements[0].amount: ${AMOUNT_RULE}`],
        ['1e3, an exponent', needs('[{"key":"k","amount":1e3}]'),
          `requirements[0].amount: ${AMOUNT_RULE}`],
        ['a string amount', needs('[{"key":"k","amount":"1"}]'),
          `requirements[0].amount: ${AMOUNT_RULE}`],
        ['amount 0', needs('[{"key":"k","amount":0}]'), `requirements[0].amount: ${AMOUNT_RULE}`],
        ['a key twice', needs('[{"key":"k","amount":1},{"key":"k","amount":2}]'),
          'requirements[1].key: must not repeat the key of an earlier item'],
        ['a key with a space', needs('[{"key":"a b","amount":1}]'),
          `requirements[0].key: ${KEY_RULE}`],
        ['an unknown field', needs('[{"key":"k","amount":1,"x":1}]'),
          'requirements[0].x: is not a known field'],
        ['not an object', '[1,2]', 'body: must be an object'],
      ];
      for (const [label, text, detail] of cases) {
        it(`reserve: ${label}`, async () => {
          const h = await start();
          const reply = await h.raw('POST', '/v1/reserve', text);
          expect(reply.status).toBe(400);
          expect(reply.body).toEqual({ error: 'invalid_request', detail });
        });
      }

      it('invalid JSON says so', async () => {
        const h = await start();
        const reply = await h.raw('POST', '/v1/reserve', '{"lease_id": ');
        expect(reply.status).toBe(400);
        expect(reply.body.error).toBe('invalid_request');
        expect(reply.body.detail).toMatch(/^body: must be valid JSON \(/);
      });

      it('an empty JSON body says so', async () => {
        const h = await start();
        const reply = await h.raw('POST', '/v1/complete', '');
        expect(reply.status).toBe(400);
        expect(reply.body.detail).toBe('body: must be a JSON object, got an empty body');
      });

      it('a body that is not JSON is 415', async () => {
        const h = await start();
        const reply = await h.raw('POST', '/v1/reserve', 'lease_id=1', 'text/plain');
        expect(reply.status).toBe(415);
        expect(reply.body).toEqual({
          error: 'unsupported_media_type',
          detail: 'content-type: must be application/json',
        });
      });

      it('complete: a negative actual and a fraction', async () => {
        const h = await start();
        const lease = h.ids.next();
        const negative = await h.call('POST', '/v1/complete', {
          lease_id: lease,
          actuals: [{ key: 'k', actual_amount: -1 }],
        });
        expect(negative.status).toBe(400);
        expect(negative.body.detail).toBe(
          `actuals[0].actual_amount: must be an integer from 0 to ${MAX_AMOUNT}`,
        );
        const fraction = await h.raw(
          'POST',
          '/v1/complete',
          `{"lease_id":"${lease}","actuals":[{"key":"k","actual_amount":2.5}]}`,
        );
        expect(fraction.body.detail).toBe(
          `actuals[0].actual_amount: must be an integer from 0 to ${MAX_AMOUNT}`,
        );
      });

      it('put: capacity over 2^53 - 1, window over u32, a bad kind, no window', async () => {
        const h = await start();
        const big = await h.raw(
          'PUT',
          '/v1/admin/limits',
          '{"key":"k","kind":"rolling","capacity":9007199254740993,"window_seconds":1}',
        );
        expect(big.status).toBe(400);
        expect(big.body.detail).toBe(`capacity: must be an integer from 0 to ${MAX_AMOUNT}`);

        const window = await put(h, rolling('k', 1, 2 ** 32));
        expect(window.body.detail).toBe('window_seconds: must be an integer from 1 to 4294967295');

        const kind = await put(h, { key: 'k', kind: 'leaky', capacity: 1 });
        expect(kind.body.detail).toBe('kind: must be "rolling" or "concurrency"');

        const missing = await put(h, { key: 'k', kind: 'rolling', capacity: 1 });
        expect(missing.body.detail).toBe('window_seconds: is required for rolling limits');
      });

      it('batch envelope: missing, empty, too long', async () => {
        const h = await start({ batchMax: 3 });
        const missing = await h.call('POST', '/v1/reserve/batch', { items: [] });
        expect(missing.status).toBe(400);
        expect(missing.body.detail).toBe('items: is not a known field');

        const expected = 'requests: must be an array of 1 to 3 requests';
        const empty = await h.call('POST', '/v1/reserve/batch', { requests: [] });
        expect(empty.body).toEqual({ error: 'invalid_request', detail: expected });
        const four = await h.call('POST', '/v1/complete/batch', { requests: [{}, {}, {}, {}] });
        expect(four.body).toEqual({ error: 'invalid_request', detail: expected });
      });

      it('GET of a malformed key', async () => {
        const h = await start();
        const reply = await h.call('GET', '/v1/admin/limits/a%20b');
        expect(reply.status).toBe(400);
        expect(reply.body.detail).toBe(
          'key: must be 1 to 256 printable ASCII characters without whitespace',
        );
      });
    });

    it('admin: create, read with usage, list; keys are URL-encoded', async () => {
      const h = await start();
      expect((await put(h, rolling('a/b?c', 10))).body).toEqual({ ok: true, status: 'active' });
      expect((await put(h, concurrency('conc', 2))).body).toEqual({ ok: true, status: 'active' });

      const got = await h.call('GET', `/v1/admin/limits/${encodeURIComponent('a/b?c')}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({
        limit: {
          definition: { ...rolling('a/b?c', 10), overage: 'debt' },
          status: 'active',
          pending_decrease_to: null,
          usage: { held: 0, available: 10, debt: 0 },
        },
      });

      const list = await h.call('GET', '/v1/admin/limits');
      expect(list.body.limits.map((s: any) => s.definition.key)).toEqual(['a/b?c', 'conc']);
    });

    it('reserve holds, complete releases, and both are idempotent', async () => {
      const h = await start();
      await put(h, rolling('tpm', 100));
      await put(h, concurrency('conc', 1));
      const lease = h.ids.next();
      const requirements = [
        { key: 'tpm', amount: 60 },
        { key: 'conc', amount: 1 },
      ];

      const first = await reserve(h, requirements, lease);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        allowed: true,
        retry_after_ms: 0,
        reserved_at_unix_ms: START_MS,
        error: '',
      });

      await h.advance(1000);
      const again = await reserve(h, [...requirements].reverse(), lease);
      expect(again.body).toEqual(first.body);
      expect(await usage(h, 'tpm')).toEqual({ held: 60, available: 40, debt: 0 });

      const more = [{ key: 'tpm', amount: 61 }, requirements[1]];
      const changed = await reserve(h, more, lease);
      expect(changed.body.error).toBe('lease_conflict');

      const actuals = [{ key: 'tpm', actual_amount: 20 }];
      const done = await h.call('POST', '/v1/complete', { lease_id: lease, actuals });
      expect(done.body).toEqual({ ok: true, error: '' });
      expect(await usage(h, 'tpm')).toEqual({ held: 20, available: 80, debt: 0 });
      expect(await usage(h, 'conc')).toEqual({ held: 0, available: 1, debt: 0 });

      const twice = await h.call('POST', '/v1/complete', { lease_id: lease, actuals });
      expect(twice.body).toEqual({ ok: true, error: '' });
      expect(await usage(h, 'tpm')).toEqual({ held: 20, available: 80, debt: 0 });
      expect((await reserve(h, requirements, lease)).body.error).toBe('lease_completed');
    });

    it('denials: capacity with a hint, unknown key, exceeds capacity', async () => {
      const h = await start();
      await put(h, rolling('rpm', 1));

      expect((await reserve(h, [{ key: 'rpm', amount: 1 }])).body.allowed).toBe(true);
      const denied = await reserve(h, [{ key: 'rpm', amount: 1 }]);
      expect(denied.status).toBe(200);
      expect(denied.body.allowed).toBe(false);
      expect(denied.body.error).toBe('');
      expect(denied.body.retry_after_ms).toBeGreaterThanOrEqual(5000);

      const unknown = await reserve(h, [{ key: 'rpm', amount: 1 }, { key: 'nope', amount: 1 }]);
      expect(unknown.body).toEqual({
        allowed: false,
        retry_after_ms: 0,
        reserved_at_unix_ms: 0,
        error: 'unknown_limit_key:nope',
      });

      const tooBig = await reserve(h, [{ key: 'rpm', amount: 2 }]);
      expect(tooBig.body.error).toBe('exceeds_capacity:rpm');
      expect(tooBig.body.retry_after_ms).toBe(0);
    });

    it('a decrease waits for room, refuses reserves meanwhile, applies on a tick', async () => {
      const h = await start();
      await put(h, rolling('tpm', 10, 2));
      expect((await reserve(h, [{ key: 'tpm', amount: 8 }])).body.allowed).toBe(true);

      const decrease = await put(h, rolling('tpm', 5, 2));
      expect(decrease.body).toEqual({ ok: true, status: 'decreasing' });
      const state = (await h.call('GET', '/v1/admin/limits/tpm')).body.limit;
      expect(state.status).toBe('decreasing');
      expect(state.pending_decrease_to).toBe(5);
      expect(state.definition.capacity).toBe(10);

      const refused = await reserve(h, [{ key: 'tpm', amount: 1 }]);
      expect(refused.body.error).toBe('limit_decreasing:tpm');
      expect(refused.body.retry_after_ms).toBe(10000);

      await h.advance(1000);
      expect((await h.call('GET', '/v1/admin/limits/tpm')).body.limit.status).toBe('decreasing');
      await h.advance(1000);
      const applied = (await h.call('GET', '/v1/admin/limits/tpm')).body.limit;
      expect(applied.status).toBe('active');
      expect(applied.definition.capacity).toBe(5);
      expect(applied.pending_decrease_to).toBeNull();
    });

    it('batch: results in request order, invalid items answered on their own', async () => {
      const h = await start();
      await put(h, rolling('k', 2));
      const item = (amount: number) => ({
        lease_id: h.ids.next(),
        requirements: [{ key: 'k', amount }],
      });
      const requests = [item(1), { lease_id: 'bad', requirements: [] }, item(1), item(1)];

      const reply = await h.call('POST', '/v1/reserve/batch', { requests });
      expect(reply.status).toBe(200);
      const results = reply.body.results;
      expect(results).toHaveLength(4);
      expect(results[0]).toMatchObject({ allowed: true, reserved_at_unix_ms: START_MS });
      expect(results[1]).toEqual({
        allowed: false,
        retry_after_ms: 0,
        reserved_at_unix_ms: 0,
        error: 'invalid_request',
        detail: `requests[1].lease_id: ${ULID_RULE}`,
      });
      expect(results[2]).toMatchObject({ allowed: true });
      // Item 3 sees items 0 and 2: the key is full.
      expect(results[3]).toMatchObject({ allowed: false, error: '' });

      const completes = [
        { lease_id: requests[0]!.lease_id, actuals: [{ key: 'k', actual_amount: 0 }] },
        { lease_id: requests[2]!.lease_id, actuals: [{ key: 'k', actual_amount: -5 }] },
      ];
      const done = await h.call('POST', '/v1/complete/batch', { requests: completes });
      expect(done.body.results).toEqual([
        { ok: true, error: '' },
        {
          ok: false,
          error: 'invalid_request',
          detail: `requests[1].actuals[0].actual_amount: ${ACTUAL_RULE}`,
        },
      ]);
      expect(await usage(h, 'k')).toEqual({ held: 1, available: 1, debt: 0 });
    });

    it('debt beyond 2^53 - 1 is written as a decimal string', async () => {
      const h = await start();
      await put(h, rolling('d', 1, 1));
      for (let i = 0; i < 2; i++) {
        const lease = h.ids.next();
        expect((await reserve(h, [{ key: 'd', amount: 1 }], lease)).body.allowed).toBe(true);
        const actuals = [{ key: 'd', actual_amount: MAX_AMOUNT }];
        expect((await h.call('POST', '/v1/complete', { lease_id: lease, actuals })).body.ok).toBe(
          true,
        );
        await h.advance(1000);
      }
      const debt = (BigInt(MAX_AMOUNT) - 1n) * 2n;
      expect(await usage(h, 'd')).toEqual({ held: 0, available: 1, debt: debt.toString() });
    });

    it('a key that is not validly percent-encoded is a 400 in the usual shape', async () => {
      const h = await start();
      const bad = await h.call('GET', '/v1/admin/limits/%ZZ');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        error: 'invalid_request',
        detail: 'url: must be validly percent-encoded',
      });
    });

    it('404 for an unknown limit and an unknown route; 409 for a kind change', async () => {
      const h = await start();
      const missing = await h.call('GET', '/v1/admin/limits/nope');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'unknown_limit', detail: 'key: no limit named nope' });
      expect((await h.call('GET', '/v1/nothing')).status).toBe(404);

      await put(h, rolling('k', 5));
      const changed = await put(h, concurrency('k', 5));
      expect(changed.status).toBe(409);
      expect(changed.body.error).toBe('kind_immutable');
      expect(changed.body.detail).toMatch(/^kind: /);
      const kept = (await h.call('GET', '/v1/admin/limits/k')).body.limit.definition;
      expect(kept.kind).toBe('rolling');
    });

    it('413 for a body over the limit', async () => {
      const h = await start({ bodyLimitBytes: 1024 });
      const reply = await h.raw('POST', '/v1/reserve', JSON.stringify({ pad: 'x'.repeat(2000) }));
      expect(reply.status).toBe(413);
      expect(reply.body).toEqual({
        error: 'payload_too_large',
        detail: 'body: must be at most 1024 bytes',
      });
    });

    it('admin token: required on admin endpoints when set, not on reserve', async () => {
      const token = 'secret-token-0123456789';
      const h = await start({ adminToken: token });
      const definition = rolling('k', 5);

      const none = await put(h, definition);
      expect(none.status).toBe(401);
      expect(none.body.error).toBe('unauthorized');
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await h.call('PUT', '/v1/admin/limits', definition, {
        authorization: 'Bearer wrong-token-0123456789',
      });
      expect(wrong.status).toBe(401);
      expect((await h.call('GET', '/v1/admin/limits')).status).toBe(401);
      expect((await h.call('GET', '/v1/admin/limits/k')).status).toBe(401);

      const right = await h.call('PUT', '/v1/admin/limits', definition, {
        authorization: `Bearer ${token}`,
      });
      expect(right.status).toBe(200);
      expect((await reserve(h, [{ key: 'k', amount: 1 }])).body.allowed).toBe(true);
    });

    it('admin endpoints are open when no token is set', async () => {
      const h = await start();
      expect((await put(h, rolling('k', 5))).status).toBe(200);
      expect((await h.call('GET', '/v1/admin/limits')).status).toBe(200);
    });

    it('a backend that throws gives 503 backend_error, never a hang', async () => {
      const h = await start();
      const failing = new Proxy(h.backend, {
        get(target, property, receiver) {
          if (property === 'reserve' || property === 'reserveBatch') {
            return async () => {
              throw new Error('ledger unreachable');
            };
          }
          return Reflect.get(target, property, receiver);
        },
      });
      const h2 = await start({ backend: failing });
      const reply = await reserve(h2, [{ key: 'k', amount: 1 }]);
      expect(reply.status).toBe(503);
      expect(reply.body.error).toBe('backend_error');
      const batch = await h2.call('POST', '/v1/reserve/batch', {
        requests: [{ lease_id: h2.ids.next(), requirements: [{ key: 'k', amount: 1 }] }],
      });
      expect(batch.status).toBe(503);
      expect(batch.body.error).toBe('backend_error');
    });

    it('healthz and metrics', async () => {
      const h = await start();
      const health = await h.call('GET', '/healthz');
      expect(health.body).toEqual({ ok: true, backend: h.backend.name });

      await put(h, rolling('k', 1));
      await reserve(h, [{ key: 'k', amount: 1 }]);
      await reserve(h, [{ key: 'k', amount: 1 }]);
      await reserve(h, [{ key: 'zz', amount: 1 }]);
      await h.raw('POST', '/v1/reserve', '{');
      await h.call('POST', '/v1/reserve/batch', {
        requests: [{ lease_id: h.ids.next(), requirements: [{ key: 'k', amount: 1 }] }],
      });

      const metrics = await h.call('GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = metrics.body as string;
      expect(text).toContain('ratelimiter_reserves_total{result="allowed",reason=""} 1');
      expect(text).toContain('ratelimiter_reserves_total{result="denied",reason="capacity"} 2');
      expect(text).toContain(
        'ratelimiter_reserves_total{result="denied",reason="unknown_limit_key"} 1',
      );
      expect(text).toContain(
        'ratelimiter_reserves_total{result="error",reason="invalid_request"} 1',
      );
      expect(text).toContain('ratelimiter_key_reserves_total{key="k",result="denied"} 2');
      expect(text).toContain('ratelimiter_registry_writes_total{outcome="active"} 1');
      expect(text).toContain('ratelimiter_batch_size_count{op="reserve"} 1');
      expect(text).toContain(
        'ratelimiter_http_request_duration_seconds_count{route="/v1/reserve"} 4',
      );
      expect(text).toContain(
        'ratelimiter_http_requests_total{route="/v1/reserve",status="400"} 1',
      );
    });

    it('recording writes a trace that parses back: header, then events in order', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'ratelimiterd-trace-'));
      try {
        const file = join(folder, 'trace.jsonl');
        const recorder = new TraceRecorder({ sink: new FileTraceSink(file), seed: 42 });
        const h = await start({ recorder });
        const r1 = await put(h, rolling('k', 3));
        await h.advance(250);
        const lease = h.ids.next();
        const r2 = await reserve(h, [{ key: 'k', amount: 2 }], lease);
        const r3 = await h.raw(
          'POST',
          '/v1/reserve',
          `{"lease_id":"${h.ids.next()}","requirements":[{"key":"k","amount":9007199254740993}]}`,
        );
        await h.advance(250);
        const r4 = await h.call('POST', '/v1/complete', {
          lease_id: lease,
          actuals: [{ key: 'k', actual_amount: 1 }],
        });
        const r5 = await h.call('GET', '/v1/admin/limits/k');
        await h.close();
        open.splice(open.indexOf(h), 1);
        await recorder.close();

        const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
        const [header, ...events] = lines.map((line) => parseExactJson(line)) as [
          TraceHeader,
          ...TraceEvent[],
        ];
        expect(header).toEqual({
          type: 'header',
          format: 'ratelimiter-trace',
          version: 1,
          source: 'ratelimiterd',
          limits: [],
          seed: 42,
          decrease_poll_ms: 1000,
        });
        expect(events.map((e) => [e.op, e.at_ms, e.status])).toEqual([
          ['put_limit', START_MS, 200],
          ['reserve', START_MS + 250, 200],
          ['reserve', START_MS + 250, 400],
          ['complete', START_MS + 500, 200],
          ['get_limit', START_MS + 500, 200],
        ]);
        expect(events[0]!.request).toEqual(rolling('k', 3));
        expect(events[0]!.response).toEqual(r1.body);
        expect(events[1]!.response).toEqual(r2.body);
        // The unrepresentable number is kept as received, never rounded.
        expect((events[2]!.request as any).requirements[0].amount).toEqual({
          $inexactNumber: '9007199254740993',
        });
        expect(events[2]!.response).toEqual(r3.body);
        expect(events[3]!.response).toEqual(r4.body);
        expect(events[4]!.key).toBe('k');
        expect(events[4]!.response).toEqual(r5.body);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('recording leaves out admin calls refused for their token', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'ratelimiterd-trace-'));
      try {
        const file = join(folder, 'trace.jsonl');
        const token = 'secret-token-0123456789';
        const recorder = new TraceRecorder({ sink: new FileTraceSink(file), seed: 1 });
        const h = await start({ recorder, adminToken: token });
        expect((await put(h, rolling('k', 3))).status).toBe(401);
        const granted = await h.call('PUT', '/v1/admin/limits', rolling('k', 5), {
          authorization: `Bearer ${token}`,
        });
        expect(granted.status).toBe(200);
        await h.close();
        open.splice(open.indexOf(h), 1);
        await recorder.close();

        const events = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);
        const recorded = events.map((line) => JSON.parse(line) as TraceEvent);
        expect(recorded.map((e) => [e.op, e.status, e.request])).toEqual([
          ['put_limit', 200, rolling('k', 5)],
        ]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('a recording started over a decreasing limit replays into the same state', async () => {
      const h = await start();
      await put(h, rolling('k', 10));
      await reserve(h, [{ key: 'k', amount: 8 }]);
      await put(h, rolling('k', 4));

      const sink = new MemoryTraceSink();
      const recorder = new TraceRecorder({ sink });
      await start({ backend: h.backend, recorder });
      const [header, generated] = sink.lines.map((line) => JSON.parse(line));
      expect(header.limits).toEqual([{ ...rolling('k', 10), overage: 'debt' }]);
      expect(generated).toEqual({
        type: 'event',
        at_ms: START_MS,
        op: 'put_limit',
        request: { ...rolling('k', 4), overage: 'debt' },
      });
    });
  });
}
