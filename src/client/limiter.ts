import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../domain/requests.ts';

/** Per-call options. A limiter that does no I/O may ignore them. */
export interface CallOptions {
  /**
   * Gives up on the call when aborted: the promise rejects with the signal's reason. The outcome
   * of a reserve abandoned this way is unknown (it may hold capacity until released or expired).
   */
  signal?: AbortSignal;
}

/**
 * What a program calls to be rate limited. Requests are checked by the implementation: a
 * malformed one is answered with `error: invalid_request` and a `detail` naming the field and
 * the rule, never thrown. A call whose outcome the implementation cannot know (a timeout, a lost
 * connection) is answered with `error: backend_error`: retry it with the same lease.
 */
export interface Limiter {
  reserve(request: ReserveRequest, options?: CallOptions): Promise<ReserveResponse>;
  complete(request: CompleteRequest, options?: CallOptions): Promise<CompleteResponse>;
  reserveBatch(requests: ReserveRequest[], options?: CallOptions): Promise<ReserveResponse[]>;
  completeBatch(requests: CompleteRequest[], options?: CallOptions): Promise<CompleteResponse[]>;
}
