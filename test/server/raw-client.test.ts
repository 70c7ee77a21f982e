/**
 * The load tool's raw keep-alive client against a real ratelimiterd (memory backend, FakeClock):
 * it must read answers exactly as the server sent them, turn refusals into counted errors, keep
 * one connection per concurrent caller, and survive a server that closes the connection.
 */
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { RawLoadClient } from '../../src/cli/loadtest/raw-client.ts';
import { createMemoryBackend } from '../../src/backends/memory/index.ts';
import { startHarness, START_MS, type Harness } from './server-harness.ts';

let harness: Harness | undefined;
let client: RawLoadClient | undefined;

afterEach(async () => {
  client?.close();
  await harness?.close();
  harness = undefined;
  client = undefined;
});

async function setUp(capacity: number): Promise<{ h: Harness; c: RawLoadClient }> {
  const h = await startHarness(async (options) => createMemoryBackend(options));
  const put = await h.call('PUT', '/v1/admin/limits', {
    key: 'k',
    kind: 'concurrency',
    capacity,
    timeout_seconds: 60,
  });
  expect(put.status).toBe(200);
  harness = h;
  client = new RawLoadClient(h.url);
  return { h, c: client };
}

describe('RawLoadClient', () => {
  it('reserves, is denied at capacity, completes, in single and batch calls', async () => {
    const { h, c } = await setUp(3);
    const lease = h.ids.next();

    const first = await c.reserve({ lease_id: lease, requirements: [{ key: 'k', amount: 2 }] });
    expect(first).toEqual({
      allowed: true,
      retry_after_ms: 0,
      reserved_at_unix_ms: START_MS,
      error: '',
    });
    const second = await c.reserve({
      lease_id: h.ids.next(),
      requirements: [{ key: 'k', amount: 2 }],
    });
    expect(second.allowed).toBe(false);
    expect(second.error).toBe('');

    expect(await c.complete({ lease_id: lease, actuals: [{ key: 'k', actual_amount: 2 }] }))
      .toEqual({ ok: true, error: '' });

    const batch = await c.reserveBatch([
      { lease_id: h.ids.next(), requirements: [{ key: 'k', amount: 1 }] },
      { lease_id: h.ids.next(), requirements: [{ key: 'k', amount: 0 }] },
    ]);
    expect(batch.map((a) => a.allowed)).toEqual([true, false]);
    expect(batch[1]!.error).toBe('invalid_request');
  });

  it('turns a refused request into a backend_error answer that says what came back', async () => {
    const { c } = await setUp(3);
    const answer = await c.reserve({ lease_id: 'not-a-ulid', requirements: [] });

    expect(answer.allowed).toBe(false);
    expect(answer.error).toBe('backend_error');
    expect(answer.detail).toMatch(/^http: status 400: \{"error":"invalid_request"/);
  });

  it('keeps one connection per concurrent caller, reused across calls', async () => {
    const { h, c } = await setUp(1000);
    const accepted: net.Socket[] = [];
    h.server.app.server.on('connection', (socket: net.Socket) => accepted.push(socket));

    for (let round = 0; round < 3; round++) {
      const calls = Array.from({ length: 8 }, () =>
        c.reserve({ lease_id: h.ids.next(), requirements: [{ key: 'k', amount: 1 }] }),
      );
      const answers = await Promise.all(calls);
      expect(answers.every((a) => a.allowed)).toBe(true);
    }
    expect(accepted).toHaveLength(8);
  });

  it('reconnects after the server closes a connection, failing only the call in flight', async () => {
    const { h, c } = await setUp(1000);
    const reserve = () =>
      c.reserve({ lease_id: h.ids.next(), requirements: [{ key: 'k', amount: 1 }] });
    expect((await reserve()).allowed).toBe(true);

    // Drop every open connection: the next call finds its socket closed and opens a new one.
    h.server.app.server.closeAllConnections();
    await new Promise((resolve) => setImmediate(resolve));
    const after = await reserve();
    const again = await reserve();

    if (!after.allowed) expect(after.detail).toMatch(/^transport: /);
    expect(again.allowed).toBe(true);
  });
});
