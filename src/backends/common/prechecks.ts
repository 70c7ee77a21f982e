import { exceedsCapacity, limitDecreasing, unknownLimitKey } from '../../domain/errors.ts';
import type { LimitState } from '../../domain/limits.ts';
import type { Requirement, ReserveResponse } from '../../domain/requests.ts';
import { denied } from '../../domain/responses.ts';
import type { RetryPolicy } from '../../domain/retry-policy.ts';

/**
 * Steps 2 to 4 of a reserve decision, which need only the limit states: unknown key, decreasing
 * key, impossible amount, each naming the first offending key in request order. Returns
 * undefined when the request may go on to the capacity check. None of these burns the lease.
 */
export function precheckReserve(
  lookup: (key: string) => LimitState | undefined,
  requirements: readonly Requirement[],
  policy: RetryPolicy,
): ReserveResponse | undefined {
  for (const requirement of requirements) {
    if (lookup(requirement.key) === undefined) return denied(unknownLimitKey(requirement.key), 0);
  }
  for (const requirement of requirements) {
    if (lookup(requirement.key)!.status === 'decreasing') {
      return denied(limitDecreasing(requirement.key), policy.decreasing_ms);
    }
  }
  for (const requirement of requirements) {
    if (requirement.amount > lookup(requirement.key)!.definition.capacity) {
      return denied(exceedsCapacity(requirement.key), 0);
    }
  }
  return undefined;
}
