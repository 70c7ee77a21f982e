/** The client library's public API: values first, then types. */
export { LocalLimiter } from './local-limiter.ts';
export { DEFAULT_CALL_TIMEOUT_MS, HttpLimiter, HttpLimiterError } from './http-client.ts';
export { fetchTransport, nodeHttpTransport } from './transport.ts';
export { CallTimeoutError } from './deadline.ts';
export { Batcher } from './batcher.ts';
export { ReserveFailedError, reserveVerdict } from './reserve-verdict.ts';
export {
  completeWithRetry,
  DEADLINE_EXCEEDED,
  releaseLease,
  reserveWithRetry,
} from './reserve-with-retry.ts';
export { DEFAULT_UNKNOWN_BACKOFF } from './backoff.ts';
export { JobTimeoutError, QueueFullError, Scheduler, SchedulerClosedError } from './scheduler.ts';
export {
  llmActuals,
  llmKeys,
  llmQueue,
  llmRequirements,
  tokenUpperBound,
  utf8ByteLength,
} from './llm.ts';
export { UlidFactory } from '../domain/ulid.ts';

export type { CallOptions, Limiter } from './limiter.ts';
export type { HttpLimiterOptions } from './http-client.ts';
export type {
  HttpTransport,
  NodeHttpTransportOptions,
  TransportRequest,
  TransportResponse,
} from './transport.ts';
export type { BatcherOptions } from './batcher.ts';
export type { ReserveVerdict } from './reserve-verdict.ts';
export type { AllowedReservation, CompleteOptions, RetryOptions } from './reserve-with-retry.ts';
export type { UnknownOutcomeBackoff } from './backoff.ts';
export type {
  Job,
  JobContext,
  JobSettlement,
  SchedulerOptions,
  SchedulerStats,
} from './scheduler.ts';
export type { LlmCall, LlmLimits, LlmUsage } from './llm.ts';
export type {
  Actual,
  CompleteRequest,
  CompleteResponse,
  Requirement,
  ReserveRequest,
  ReserveResponse,
} from '../domain/requests.ts';
