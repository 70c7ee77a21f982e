/**
 * The library's public API: the contract's types, the two backends, the limit registry, the
 * clocks and random sources they are built from, and the client library. Values first, then
 * types. The server and the simulator are programs, not part of this surface.
 */
export { createMemoryBackend, MemoryBackend } from './backends/memory/index.ts';
export {
  createTigerBeetleBackend,
  DEFAULT_REQUEST_TIMEOUT_MS,
  MAX_EVENTS_PER_REQUEST,
} from './backends/tigerbeetle/index.ts';
// The real TigerBeetle client loads a native library, so it is imported from its own module
// (backends/tigerbeetle/real-ledger-client.ts) only by programs that use a real cluster.
export { LimitRegistry, RegistryFileError } from './registry/registry.ts';
export { FakeClock } from './time/fake-clock.ts';
export { SystemClock } from './time/system-clock.ts';
export { SeededRandom } from './time/random.ts';
export { CryptoRandom } from './time/crypto-random.ts';
export { DEFAULT_RETRY_POLICY } from './domain/retry-policy.ts';
export * as errors from './domain/errors.ts';
export {
  validateComplete,
  validateDefinition,
  validateReserve,
} from './domain/validate.ts';
export { JsonLineLogger, MemoryLogger, silentLogger } from './observability/logger.ts';
export * from './client/index.ts';

export type { Backend } from './backends/backend.ts';
export type { BackendOptions } from './backends/options.ts';
export type { MemoryStats } from './backends/memory/index.ts';
export type {
  LedgerClient,
  TigerBeetleBackend,
  TigerBeetleBackendOptions,
} from './backends/tigerbeetle/index.ts';
export type {
  LimitDefinition,
  LimitKind,
  LimitState,
  LimitStatus,
  LimitView,
  Overage,
  Usage,
} from './domain/limits.ts';
export type {
  Actual,
  CompleteRequest,
  CompleteResponse,
  PutLimitResponse,
  Requirement,
  ReserveRequest,
  ReserveResponse,
} from './domain/requests.ts';
export type { RetryPolicy } from './domain/retry-policy.ts';
export type { Clock, TimerHandle } from './time/clock.ts';
export type { RandomSource } from './time/random.ts';
export type { Logger, LogLevel } from './observability/logger.ts';
