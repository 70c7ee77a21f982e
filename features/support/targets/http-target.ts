import { createMemoryBackend } from '../../../src/backends/memory/index.ts';
import { DEFAULT_DECREASE_POLL_MS } from '../../../src/backends/options.ts';
import { HttpLimiter } from '../../../src/client/http-client.ts';
import type { LimitDefinition, LimitView } from '../../../src/domain/limits.ts';
import { LimitRegistry } from '../../../src/registry/registry.ts';
import { buildServer, type RateLimiterServer } from '../../../src/server/app.ts';
import { FakeClock } from '../../../src/time/fake-clock.ts';
import { SeededRandom } from '../../../src/time/random.ts';
import { advanceWithTicks } from '../../../src/time/ticks.ts';
import type { AdminAnswer, Target, TargetSettings } from './target.ts';

/**
 * ratelimiterd over the memory backend, listening on an ephemeral loopback port, driven through
 * the HTTP client exactly as a remote program would. The server shares the scenario's fake clock;
 * its scheduled ticks are off and each tick instant runs `server.tick()`, the path those
 * scheduled ticks take.
 */
export async function createHttpTarget(settings: TargetSettings): Promise<Target> {
  const clock = new FakeClock(settings.startMs);
  const backend = createMemoryBackend({
    clock,
    random: new SeededRandom(settings.jitterSeed),
    registry: LimitRegistry.inMemory(),
  });
  const server = await buildServer({ backend, clock, startTicks: false });
  const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
  return new HttpTarget(clock, server, new HttpLimiter({ baseUrl: url }), async () => {
    await backend.close();
  });
}

class HttpTarget implements Target {
  readonly name = 'http';
  readonly simulatedTime = true;

  constructor(
    readonly clock: FakeClock,
    private readonly server: RateLimiterServer,
    readonly limiter: HttpLimiter,
    private readonly closeBackend: () => Promise<void>,
  ) {}

  putLimit(definition: unknown): Promise<AdminAnswer> {
    // Sent as written: the server, not the client, decides what is malformed.
    return this.limiter.putLimit(definition as LimitDefinition);
  }

  getLimit(key: string): Promise<LimitView | undefined> {
    return this.limiter.getLimit(key);
  }

  advance(ms: number): Promise<void> {
    return advanceWithTicks(this.clock, ms, DEFAULT_DECREASE_POLL_MS, () => this.server.tick());
  }

  stepBack(ms: number): void {
    this.clock.set(this.clock.now() - ms);
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.closeBackend();
  }
}
