import { DEFAULT_DECREASE_POLL_MS } from '../../src/backends/options.ts';
import type { LimitDefinition } from '../../src/domain/limits.ts';
import type { RequestOp, SimOp } from '../engine/operations.ts';
import type { SimTrace, SimTraceEvent } from './trace-io.ts';

/** A trace made ready for the engine: its operations, where time starts, its seed. */
export interface TraceRun {
  ops: SimOp[];
  startMs: number;
  seed: number;
  decreasePollMs: number;
  /** Made by the simulator's own importer: its requests are valid by construction. */
  trusted: boolean;
}

/**
 * The limits of the header (or `limits`, replacing them) are put at the first event's instant,
 * before it; then every event becomes an operation, as recorded.
 */
export function traceToRun(trace: SimTrace, limits?: LimitDefinition[], seed = 1): TraceRun {
  const startMs = trace.events[0]?.at_ms ?? 0;
  const ops: SimOp[] = (limits ?? trace.header.limits).map((definition) => ({
    op: 'put_limit',
    at_ms: startMs,
    request: definition,
  }));
  for (const event of trace.events) ops.push(eventToOp(event));
  return {
    ops,
    startMs,
    seed: trace.header.seed ?? seed,
    decreasePollMs: trace.header.decrease_poll_ms ?? DEFAULT_DECREASE_POLL_MS,
    trusted: false,
  };
}

export function eventToOp(event: SimTraceEvent): SimOp {
  switch (event.op) {
    case 'advance':
    case 'tick':
    case 'restart':
      return { op: event.op, at_ms: event.at_ms };
    case 'unavailable':
      return { op: 'unavailable', at_ms: event.at_ms, for_ms: event.for_ms ?? 0 };
    default: {
      const op: RequestOp = { op: event.op, at_ms: event.at_ms, request: event.request };
      if (event.key !== undefined) op.key = event.key;
      if (event.fault !== undefined) op.fault = event.fault;
      if (event.response !== undefined) op.response = event.response;
      if (event.status !== undefined) op.status = event.status;
      return op;
    }
  }
}

/** The inverse of eventToOp: how a case file writes an operation. */
export function opToEvent(op: SimOp): SimTraceEvent {
  const { op: name, at_ms, ...rest } = op;
  return { type: 'event', at_ms, op: name, ...rest } as SimTraceEvent;
}
