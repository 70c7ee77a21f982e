/**
 * The server's lifecycle on a FakeClock: ticks at whole multiples of the period and never two at
 * once; close() lets a request in flight finish and answer, then stops.
 */
import { describe, expect, it } from 'vitest';

import { createMemoryBackend } from '../../src/backends/memory/index.ts';
import type { ReserveResponse } from '../../src/domain/requests.ts';
import { Ticker } from '../../src/server/ticker.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { startHarness } from './server-harness.ts';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Ticker', () => {
  it('ticks on whole multiples of the period, from the first one after the start', async () => {
    const clock = new FakeClock(1500);
    const at: number[] = [];
    const ticker = new Ticker(clock, 1000, async () => void at.push(clock.now()));
    ticker.start();
    clock.advance(499);
    expect(at).toEqual([]);
    for (let i = 0; i < 3; i++) {
      clock.advance(i === 0 ? 1 : 1000);
      await flush();
    }
    expect(at).toEqual([2000, 3000, 4000]);
    await ticker.stop();
    clock.advance(5000);
    expect(at).toEqual([2000, 3000, 4000]);
  });

  it('skips a scheduled tick while one is still running; tick() waits for it', async () => {
    const clock = new FakeClock(0);
    let running = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const ticker = new Ticker(clock, 1000, async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => (release = resolve));
      running--;
    });
    ticker.start();
    clock.advance(3000);
    expect(running).toBe(1);
    const explicit = ticker.tick();
    release();
    await flush();
    release();
    await explicit;
    expect(most).toBe(1);
    await ticker.stop();
  });
});

describe('server close', () => {
  it('finishes the request in flight, answers it, then refuses new connections', async () => {
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (entered = resolve));
    const h = await startHarness(async (options) => {
      const backend = createMemoryBackend(options);
      return new Proxy(backend, {
        get(target, property, receiver) {
          if (property !== 'reserve') return Reflect.get(target, property, receiver);
          return async (request: Parameters<typeof backend.reserve>[0]) => {
            entered();
            await new Promise<void>((resolve) => (release = resolve));
            return target.reserve(request);
          };
        },
      });
    });
    await h.call('PUT', '/v1/admin/limits', {
      key: 'k',
      kind: 'rolling',
      capacity: 1,
      window_seconds: 1,
    });

    const inFlight = h.call('POST', '/v1/reserve', {
      lease_id: h.ids.next(),
      requirements: [{ key: 'k', amount: 1 }],
    });
    await reached;
    let closed = false;
    const closing = h.server.close().then(() => (closed = true));
    await flush();
    expect(closed).toBe(false);

    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect((answer.body as ReserveResponse).allowed).toBe(true);
    await closing;
    await expect(fetch(`${h.url}/healthz`)).rejects.toThrow();
    await h.backend.close();
  });
});
