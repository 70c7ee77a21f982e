/**
 * What a TigerBeetle backend may report about its ledger requests. The server hands one to the
 * backend (see src/server/metrics/server-metrics.ts) so the figures appear on /metrics; the
 * default discards them. Defined here, below both, so backends never import the server.
 */
export interface LedgerMetrics {
  /** One request sent to the cluster: its operation, how many events, how long it took. */
  request(operation: string, events: number, durationMs: number): void;

  /** Results of one request, by status name (`created`, `exists`, `exceeds_credits`, ...). */
  statuses(operation: string, status: string, count: number): void;
}

export const discardLedgerMetrics: LedgerMetrics = {
  request: () => undefined,
  statuses: () => undefined,
};
