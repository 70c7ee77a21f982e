/**
 * Starts ratelimiterd's server over a backend on 127.0.0.1 (an ephemeral port) with a FakeClock,
 * and talks to it over real HTTP. Time moves only when the test moves it.
 */
import type { Backend } from '../../src/backends/backend.ts';
import type { BackendOptions } from '../../src/backends/options.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { LimitRegistry } from '../../src/registry/registry.ts';
import { buildServer, type RateLimiterServer, type ServerOptions } from '../../src/server/app.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { advanceWithTicks } from '../../src/time/ticks.ts';

export type BackendFactory = (options: BackendOptions) => Promise<Backend>;

/** A start instant on a whole second, so ticks fall at start + k·1000. */
export const START_MS = 1_700_000_000_000;

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: any;
}

export interface Harness {
  clock: FakeClock;
  backend: Backend;
  server: RateLimiterServer;
  url: string;
  ids: UlidFactory;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  /** Sends `text` as it is, with a JSON content type unless told otherwise. */
  raw(method: string, path: string, text: string, contentType?: string): Promise<Reply>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  makeBackend: BackendFactory,
  overrides: Partial<ServerOptions> = {},
  registry = LimitRegistry.inMemory(),
): Promise<Harness> {
  const clock = new FakeClock(START_MS);
  const backend = await makeBackend({ clock, random: new SeededRandom(42), registry });
  const server = await buildServer({ backend, clock, startTicks: false, ...overrides });
  const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
  const ids = new UlidFactory(clock, new SeededRandom(7));

  const send = async (
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<Reply> => {
    const response = await fetch(url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (e.g. /metrics): keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  return {
    clock,
    backend,
    server,
    url,
    ids,
    call: (method, path, body, headers = {}) =>
      send(
        method,
        path,
        body === undefined ? undefined : JSON.stringify(body),
        body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ),
    raw: (method, path, text, contentType = 'application/json') =>
      send(method, path, text, { 'content-type': contentType }),
    advance: (ms) => advanceWithTicks(clock, ms, 1000, () => server.tick()),
    close: async () => {
      await server.close();
      await backend.close();
    },
  };
}
