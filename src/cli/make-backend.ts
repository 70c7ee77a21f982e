/** Builds the backend the configuration names. The TigerBeetle modules load only when asked. */
import type { Backend } from '../backends/backend.ts';
import type { BackendOptions } from '../backends/options.ts';
import type { LedgerMetrics } from '../observability/ledger-metrics.ts';
import type { DaemonConfig } from './daemon-config.ts';

export async function makeBackend(
  config: DaemonConfig,
  options: BackendOptions,
  ledgerMetrics: LedgerMetrics,
): Promise<Backend> {
  if (config.backend === 'memory') {
    const { createMemoryBackend } = await import('../backends/memory/index.ts');
    return createMemoryBackend(options);
  }

  const { createTigerBeetleBackend } = await import('../backends/tigerbeetle/index.ts');
  const { createRealLedgerClient } = await import('../backends/tigerbeetle/real-ledger-client.ts');
  const ledgers = Array.from({ length: config.tbClients }, () =>
    createRealLedgerClient({ clusterId: config.tbCluster, addresses: config.tbAddresses }),
  );
  return createTigerBeetleBackend({
    ...options,
    ledgers,
    requestTimeoutMs: config.tbRequestTimeoutMs,
    metrics: ledgerMetrics,
  });
}
