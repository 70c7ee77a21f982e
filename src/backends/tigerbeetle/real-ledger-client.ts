// The only module that loads tigerbeetle-node's native client; everything else imports types
// or the pure-JS enums, so that the simulator and the tests never need the native library.
import { createClient } from 'tigerbeetle-node';

import type { LedgerClient } from './ledger-client.ts';

export interface RealLedgerClientOptions {
  clusterId: bigint;
  /** Replica addresses, e.g. `127.0.0.1:3000` (a bare port means 127.0.0.1). */
  addresses: string[];
}

/**
 * A LedgerClient over a real TigerBeetle cluster. The native client retries on its own until
 * the cluster answers, so a request to an unreachable cluster never fails by itself: the
 * backend's bounded wait is what turns it into `backend_error`.
 */
export function createRealLedgerClient(options: RealLedgerClientOptions): LedgerClient {
  const client = createClient({
    cluster_id: options.clusterId,
    replica_addresses: options.addresses,
  });
  return {
    createAccounts: (batch) => client.createAccounts(batch),
    createTransfers: (batch) => client.createTransfers(batch),
    lookupAccounts: (ids) => client.lookupAccounts(ids),
    lookupTransfers: (ids) => client.lookupTransfers(ids),
    destroy: () => client.destroy(),
  };
}
