export { SimulatedCluster } from './cluster.ts';
export type { SimulatedClusterOptions, TransferInspection } from './cluster.ts';
export { SimulatedClientError, SimulatedLedgerClient } from './client.ts';
export type { ClientErrorCode } from './client.ts';
export type { ClusterCountersSnapshot, ClusterOperation } from './counters.ts';
export type { PendingState } from './ledger-state.ts';
export { TRANSIENT_TRANSFER_STATUSES } from './operations.ts';
