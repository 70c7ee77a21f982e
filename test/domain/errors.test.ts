import { describe, expect, it } from 'vitest';

import { exceedsCapacity, limitDecreasing, unknownLimitKey } from '../../src/domain/errors.ts';
import { allowed, denied, invalidReserve } from '../../src/domain/responses.ts';

describe('error strings and answers', () => {
  it('are spelled as the contract writes them, with no space after the colon', () => {
    expect(unknownLimitKey('a:b')).toBe('unknown_limit_key:a:b');
    expect(limitDecreasing('k')).toBe('limit_decreasing:k');
    expect(exceedsCapacity('k')).toBe('exceeds_capacity:k');
  });

  it('have every field of a reserve answer', () => {
    expect(allowed(5)).toEqual({
      allowed: true,
      retry_after_ms: 0,
      reserved_at_unix_ms: 5,
      error: '',
    });
    expect(denied('', 120)).toEqual({
      allowed: false,
      retry_after_ms: 120,
      reserved_at_unix_ms: 0,
      error: '',
    });
    expect(invalidReserve('lease_id: x')).toEqual({
      allowed: false,
      retry_after_ms: 0,
      reserved_at_unix_ms: 0,
      error: 'invalid_request',
      detail: 'lease_id: x',
    });
  });
});
