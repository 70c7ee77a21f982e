/** Limit definitions, batch envelopes and keys: each rule's exact detail. */
import { describe, expect, it } from 'vitest';

import {
  validateBatchEnvelope,
  validateDefinition,
  validateLimitKey,
} from '../../src/domain/validate.ts';

function detail(value: unknown): string | undefined {
  const checked = validateDefinition(value);
  return checked.ok ? undefined : checked.detail;
}

const rolling = { key: 'tokens', kind: 'rolling', capacity: 10, window_seconds: 60 };
const concurrency = { key: 'slots', kind: 'concurrency', capacity: 4, timeout_seconds: 30 };

describe('validateDefinition', () => {
  it('accepts a rolling limit and defaults overage to debt', () => {
    expect(validateDefinition(rolling)).toEqual({
      ok: true,
      value: { ...rolling, overage: 'debt' },
    });
  });

  it('keeps every given field of a concurrency limit', () => {
    const full = { ...concurrency, overage: 'deny', unit: 'calls', description: 'in flight' };
    expect(validateDefinition(full)).toEqual({ ok: true, value: full });
  });

  it('accepts capacity 0 and 2^53 - 1, durations 1 and 2^32 - 1', () => {
    expect(detail({ ...rolling, capacity: 0 })).toBeUndefined();
    expect(detail({ ...rolling, capacity: 9007199254740991 })).toBeUndefined();
    expect(detail({ ...rolling, window_seconds: 1 })).toBeUndefined();
    expect(detail({ ...rolling, window_seconds: 4294967295 })).toBeUndefined();
    expect(detail({ ...concurrency, timeout_seconds: 4294967295 })).toBeUndefined();
  });

  it.each([
    [{ ...rolling, kind: 'fixed' }, 'kind: must be "rolling" or "concurrency"'],
    [{ ...rolling, capacity: -1 }, 'capacity: must be an integer from 0 to 9007199254740991'],
    [{ ...rolling, capacity: 2 ** 53 }, 'capacity: must be an integer from 0 to 9007199254740991'],
    [{ ...rolling, capacity: 1.5 }, 'capacity: must be an integer from 0 to 9007199254740991'],
    [{ ...rolling, overage: 'allow' }, 'overage: must be "deny" or "debt"'],
    [{ ...rolling, window_seconds: 0 }, 'window_seconds: must be an integer from 1 to 4294967295'],
    [
      { ...rolling, window_seconds: 2 ** 32 },
      'window_seconds: must be an integer from 1 to 4294967295',
    ],
    [{ ...rolling, window_seconds: undefined }, 'window_seconds: is required for rolling limits'],
    [{ ...rolling, timeout_seconds: 5 }, 'timeout_seconds: is only for concurrency limits'],
    [
      { ...concurrency, timeout_seconds: undefined },
      'timeout_seconds: is required for concurrency limits',
    ],
    [{ ...concurrency, window_seconds: 5 }, 'window_seconds: is only for rolling limits'],
    [
      { ...concurrency, timeout_seconds: 0.5 },
      'timeout_seconds: must be an integer from 1 to 4294967295',
    ],
    [{ ...rolling, unit: 'u'.repeat(1025) }, 'unit: must be a string of at most 1024 characters'],
    [{ ...rolling, description: 3 }, 'description: must be a string of at most 1024 characters'],
    [
      { ...rolling, key: 'has space' },
      'key: must be 1 to 256 printable ASCII characters without whitespace',
    ],
    [{ ...rolling, colour: 'red' }, 'colour: is not a known field'],
    ['tokens', 'body: must be an object'],
  ])('refuses %j', (value, expected) => {
    expect(detail(value)).toBe(expected);
  });
});

describe('validateBatchEnvelope', () => {
  it('accepts 1 to maxItems items and hands them on unchecked', () => {
    expect(validateBatchEnvelope({ requests: [1, 'x'] }, 2)).toEqual({ ok: true, value: [1, 'x'] });
  });

  it.each([
    [{ requests: [] }, 'requests: must be an array of 1 to 2 requests'],
    [{ requests: [1, 2, 3] }, 'requests: must be an array of 1 to 2 requests'],
    [{}, 'requests: must be an array of 1 to 2 requests'],
    [{ requests: [1], more: true }, 'more: is not a known field'],
    [[1], 'body: must be an object'],
  ])('refuses %j', (value, expected) => {
    expect(validateBatchEnvelope(value, 2)).toEqual({ ok: false, detail: expected });
  });
});

describe('validateLimitKey', () => {
  it('names the field it was given', () => {
    expect(validateLimitKey('a b', 'path.key')).toEqual({
      ok: false,
      detail: 'path.key: must be 1 to 256 printable ASCII characters without whitespace',
    });
    expect(validateLimitKey('tenant:acme:llm:daily_tokens')).toEqual({
      ok: true,
      value: 'tenant:acme:llm:daily_tokens',
    });
  });
});
