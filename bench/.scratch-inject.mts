import { performance } from 'node:perf_hooks';
import { buildServer } from '../src/server/app.ts';
import { createMemoryBackend } from '../src/backends/memory/index.ts';
import { LimitRegistry } from '../src/registry/registry.ts';
import { SystemClock } from '../src/time/system-clock.ts';
import { CryptoRandom } from '../src/time/crypto-random.ts';
import { UlidFactory } from '../src/domain/ulid.ts';
const clock = new SystemClock();
const backend = createMemoryBackend({ clock, random: new CryptoRandom(), registry: LimitRegistry.inMemory() });
const server = await buildServer({ backend, clock });
await backend.putLimit({ key: 'k', kind: 'rolling', capacity: 1e12, window_seconds: 1, overage: 'deny' });
const ids = new UlidFactory(clock, new CryptoRandom());
for (const round of [1, 2, 3]) {
  const n = 5000; const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await server.app.inject({ method: 'POST', url: '/v1/reserve', payload: { lease_id: ids.next(), requirements: [{ key: 'k', amount: 1 }] } });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
  const t1 = performance.now();
  for (let i = 0; i < n; i++) await backend.reserve({ lease_id: ids.next(), requirements: [{ key: 'k', amount: 1 }] });
  const t2 = performance.now();
  console.log(`inject ${((t1 - t0) / n * 1000).toFixed(1)} us/req; backend alone ${((t2 - t1) / n * 1000).toFixed(1)} us/req`);
}
await server.close();
