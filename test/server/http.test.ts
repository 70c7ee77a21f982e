/**
 * The HTTP contract suite (http-contract.ts), run once per backend: the memory backend, and the
 * TigerBeetle backend over the simulated cluster, both on a FakeClock. Then the ledger metrics
 * hook: a TigerBeetle backend handed the server's `metrics.ledger`.
 */
import { describe, expect, it } from 'vitest';

import { createMemoryBackend } from '../../src/backends/memory/index.ts';
import { createTigerBeetleBackend } from '../../src/backends/tigerbeetle/index.ts';
import { SimulatedCluster } from '../../sim/cluster/index.ts';
import { ServerMetrics } from '../../src/server/metrics/server-metrics.ts';
import { httpContract } from './http-contract.ts';
import { startHarness } from './server-harness.ts';

httpContract('memory', async (options) => createMemoryBackend(options));

httpContract('tigerbeetle (simulated cluster)', async (options) => {
  const cluster = new SimulatedCluster({ clock: options.clock });
  return createTigerBeetleBackend({ ...options, ledgers: [cluster.client()] });
});

describe('ledger metrics over the TigerBeetle backend', () => {
  it('the backend reports its ledger requests on the server\'s /metrics', async () => {
    const metrics = new ServerMetrics();
    const h = await startHarness(
      async (options) => {
        const cluster = new SimulatedCluster({ clock: options.clock });
        return createTigerBeetleBackend({
          ...options,
          ledgers: [cluster.client()],
          metrics: metrics.ledger,
        });
      },
      { metrics },
    );
    try {
      await h.call('PUT', '/v1/admin/limits', {
        key: 'k',
        kind: 'rolling',
        capacity: 5,
        window_seconds: 60,
      });
      const requirements = [{ key: 'k', amount: 1 }];
      await h.call('POST', '/v1/reserve', { lease_id: h.ids.next(), requirements });
      const text = (await h.call('GET', '/metrics')).body as string;
      expect(text).toMatch(
        /ratelimiter_ledger_results_total\{operation="create_transfers",status="created"\} [1-9]/,
      );
      const events = 'ratelimiter_ledger_request_events_count{operation="create_transfers"}';
      expect(text).toContain(events);
    } finally {
      await h.close();
    }
  });
});
