/** Every error string the contract defines, spelled exactly (no space after a colon). */

export const INVALID_REQUEST = 'invalid_request';
export const LEASE_CONFLICT = 'lease_conflict';
export const LEASE_COMPLETED = 'lease_completed';
export const LEASE_EXPIRED = 'lease_expired';
export const KIND_IMMUTABLE = 'kind_immutable';
export const BACKEND_ERROR = 'backend_error';

export function unknownLimitKey(key: string): string {
  return `unknown_limit_key:${key}`;
}

export function limitDecreasing(key: string): string {
  return `limit_decreasing:${key}`;
}

export function exceedsCapacity(key: string): string {
  return `exceeds_capacity:${key}`;
}
