import type { LedgerMetrics } from '../../observability/ledger-metrics.ts';
import type { Clock } from '../../time/clock.ts';
import type { LedgerClient } from './ledger-client.ts';
import { CreateAccountStatus, transferStatusName } from './statuses.ts';

/**
 * A LedgerClient that reports each request (operation, events, duration on the injected clock)
 * and the statuses of create requests to `metrics`, for the server's /metrics.
 */
export function measuredLedger(
  ledger: LedgerClient,
  metrics: LedgerMetrics,
  clock: Clock,
): LedgerClient {
  const timed = <T>(operation: string, events: number, request: () => Promise<T>): Promise<T> => {
    const startedMs = clock.now();
    const done = (): void => metrics.request(operation, events, clock.now() - startedMs);
    return request().then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  };

  const tally = (operation: string, names: string[]): void => {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const [name, count] of counts) metrics.statuses(operation, name, count);
  };

  return {
    createAccounts: async (batch) => {
      const results = await timed('create_accounts', batch.length, () =>
        ledger.createAccounts(batch),
      );
      const name = (s: number): string => CreateAccountStatus[s] ?? `unknown_status_${s}`;
      tally('create_accounts', results.map((r) => name(r.status)));
      return results;
    },
    createTransfers: async (batch) => {
      const results = await timed('create_transfers', batch.length, () =>
        ledger.createTransfers(batch),
      );
      tally('create_transfers', results.map((r) => transferStatusName(r.status)));
      return results;
    },
    lookupAccounts: (ids) => timed('lookup_accounts', ids.length, () => ledger.lookupAccounts(ids)),
    lookupTransfers: (ids) =>
      timed('lookup_transfers', ids.length, () => ledger.lookupTransfers(ids)),
    destroy: () => ledger.destroy(),
  };
}
