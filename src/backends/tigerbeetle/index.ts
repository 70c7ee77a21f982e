// The TigerBeetle backend. The client of a real cluster is in real-ledger-client.ts, apart, so
// that importing the backend never loads the native library.
export { createTigerBeetleBackend } from './tigerbeetle-backend.ts';
export type { TigerBeetleBackend, TigerBeetleBackendOptions } from './tigerbeetle-backend.ts';
export { CODE, LEDGER, MAX_EVENTS_PER_REQUEST } from './ledger-client.ts';
export type { LedgerClient } from './ledger-client.ts';
export { DEFAULT_REQUEST_TIMEOUT_MS } from './submitter.ts';
export type { SubmitterSettings } from './submitter.ts';
export { idFromLabel } from './ids.ts';
