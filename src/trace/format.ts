/**
 * The trace format: JSON lines, written by `ratelimiterd --record` and by `ratelimiter-sim
 * import`, replayed by `ratelimiter-sim replay`. spec/trace-format.md describes it for people.
 *
 * Line 1 is a TraceHeader; every later line is a TraceEvent in time order (`at_ms` never
 * decreases). Requests are written as received (after JSON parsing), responses as answered;
 * `response` is absent when the trace was generated rather than recorded.
 */
import type { LimitDefinition } from '../domain/limits.ts';

export const TRACE_FORMAT = 'ratelimiter-trace';
export const TRACE_VERSION = 1;

export interface TraceHeader {
  type: 'header';
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** Where the trace came from: `ratelimiterd`, `import:azure:<file>`, ... */
  source: string;
  /** Limits in force when the trace starts (a recording writes the registry it started with). */
  limits: LimitDefinition[];
  /** The seed of the retry-jitter source, when known, so hints can be replayed exactly. */
  seed?: number;
  decrease_poll_ms?: number;
  /** Attribution of the data the trace was derived from, kept with every copy. */
  attribution?: string;
}

export type TraceOp =
  | 'reserve'
  | 'complete'
  | 'reserve_batch'
  | 'complete_batch'
  | 'put_limit'
  | 'get_limit'
  | 'list_limits';

export interface TraceEvent {
  type: 'event';
  at_ms: number;
  op: TraceOp;
  /** The body as received: a reserve or complete request, `{requests: [...]}`, a definition. */
  request: unknown;
  /** For get_limit: the key asked for. */
  key?: string;
  /** HTTP status, when recorded by the server. */
  status?: number;
  response?: unknown;
}

export type TraceLine = TraceHeader | TraceEvent;
