/**
 * What a client should do with a reserve answer. The rules, from the contract:
 * - allowed: go ahead.
 * - unknown outcome (`backend_error`, which the HTTP client also answers for timeouts, lost
 *   connections and 5xx): the reserve may have held capacity, so retry with the SAME lease;
 *   the replay rules make that safe and never hold twice.
 * - capacity denial (`error: ""`) or `limit_decreasing:<key>`: wait the hint, then a NEW lease
 *   (a denied lease is burned and stays denied).
 * - `lease_expired`: the lease held and expired before its answer was seen; a new lease.
 * - `exceeds_capacity:<key>`, `unknown_limit_key:<key>`, `invalid_request`, `lease_conflict`,
 *   `lease_completed`: waiting cannot help; fail the job.
 */
import { BACKEND_ERROR, LEASE_EXPIRED } from '../domain/errors.ts';
import type { ReserveResponse } from '../domain/requests.ts';

export type ReserveVerdict =
  | { action: 'allowed'; reservedAtMs: number }
  | { action: 'retry_same_lease' }
  | { action: 'retry_new_lease'; waitMs: number }
  | { action: 'fail'; error: string; detail?: string };

export function reserveVerdict(answer: ReserveResponse): ReserveVerdict {
  if (answer.allowed) return { action: 'allowed', reservedAtMs: answer.reserved_at_unix_ms };
  if (answer.error === BACKEND_ERROR) return { action: 'retry_same_lease' };
  if (answer.error === '' || answer.error.startsWith('limit_decreasing:')) {
    return { action: 'retry_new_lease', waitMs: answer.retry_after_ms };
  }
  if (answer.error === LEASE_EXPIRED) return { action: 'retry_new_lease', waitMs: 0 };

  const failure: ReserveVerdict = { action: 'fail', error: answer.error };
  if (answer.detail !== undefined) failure.detail = answer.detail;
  return failure;
}

/** A reserve that cannot succeed by waiting, or that ran out of time. */
export class ReserveFailedError extends Error {
  override name = 'ReserveFailedError';

  constructor(
    readonly error: string,
    readonly detail?: string,
  ) {
    const reason = detail === undefined ? error : `${error} (${detail})`;
    super(`reserve failed: ${reason}`);
  }
}
