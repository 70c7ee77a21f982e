import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../domain/requests.ts';

/**
 * What a program calls to be rate limited. Requests are checked by the implementation: a
 * malformed one is answered with `error: invalid_request` and a `detail` naming the field and
 * the rule, never thrown.
 */
export interface Limiter {
  reserve(request: ReserveRequest): Promise<ReserveResponse>;
  complete(request: CompleteRequest): Promise<CompleteResponse>;
  reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]>;
  completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]>;
}
