/**
 * What the engine runs: a list of operations, each at an absolute simulated instant (`at_ms`,
 * never decreasing along the list). The shapes are those of trace events (src/trace/format.ts)
 * plus the simulator's own time and fault operations, so that any list can be written as a case
 * file and replayed with `ratelimiter-sim replay`.
 *
 * Requests are carried as received (`unknown`): the engine validates them as the server does, so
 * a recorded invalid request is answered `invalid_request` on every backend alike.
 */

/** How a request reached the backends, when not simply once. */
export type DeliveryFault =
  /** Delivered twice in a row, at the same instant. */
  | 'duplicate'
  /** Applied, but the answer never reached the client (which may send it again later). */
  | 'lost'
  /** A copy of an earlier request, delivered again later. */
  | 'late';

export type RequestOpName =
  | 'put_limit'
  | 'reserve'
  | 'complete'
  | 'reserve_batch'
  | 'complete_batch'
  | 'get_limit'
  | 'list_limits';

export interface RequestOp {
  op: RequestOpName;
  at_ms: number;
  /** A reserve or complete body, `{requests: [...]}`, or a limit definition. */
  request?: unknown;
  /** get_limit only. */
  key?: string;
  fault?: DeliveryFault;
  /** Answer recorded by a server, compared when present (replay of a recording). */
  response?: unknown;
  status?: number;
}

/** Only moves time (ticks on the way). */
export interface AdvanceOp {
  op: 'advance';
  at_ms: number;
}

/** An extra tick at the current instant, besides those at multiples of decrease_poll_ms. */
export interface TickOp {
  op: 'tick';
  at_ms: number;
}

/** The TigerBeetle backend's process restarts: a new backend over the same cluster. */
export interface RestartOp {
  op: 'restart';
  at_ms: number;
}

/** The TigerBeetle cluster cannot be reached for `for_ms`. */
export interface UnavailableOp {
  op: 'unavailable';
  at_ms: number;
  for_ms: number;
}

export type SimOp = RequestOp | AdvanceOp | TickOp | RestartOp | UnavailableOp;

export type SimOpName = SimOp['op'];

const REQUEST_OPS: ReadonlySet<string> = new Set<RequestOpName>([
  'put_limit',
  'reserve',
  'complete',
  'reserve_batch',
  'complete_batch',
  'get_limit',
  'list_limits',
]);

export function isRequestOp(op: SimOp): op is RequestOp {
  return REQUEST_OPS.has(op.op);
}

export const SIM_OP_NAMES: ReadonlySet<string> = new Set<string>([
  ...REQUEST_OPS,
  'advance',
  'tick',
  'restart',
  'unavailable',
]);

/** Faults that only the TigerBeetle side can suffer: equality is relaxed after them. */
export function isOneSidedFault(op: SimOp): boolean {
  return op.op === 'restart' || op.op === 'unavailable';
}
