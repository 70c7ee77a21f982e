/**
 * Reserve and complete validation: each rule refuses with its exact `<field>: <rule>` detail, and
 * what passes comes out unchanged (nothing rounded, clamped or defaulted).
 */
import { describe, expect, it } from 'vitest';

import { validateComplete, validateReserve } from '../../src/domain/validate.ts';

const LEASE = '01HZY3F6J8K9M0N1P2Q3R4S5T6';
const AMOUNT_RULE = 'must be an integer from 1 to 9007199254740991';
const ULID_RULE = 'must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)';
const KEY_RULE = 'must be 1 to 256 printable ASCII characters without whitespace';

function reserve(requirements: unknown, extra: Record<string, unknown> = {}): unknown {
  return { lease_id: LEASE, requirements, ...extra };
}

function reserveDetail(value: unknown): string | undefined {
  const checked = validateReserve(value);
  return checked.ok ? undefined : checked.detail;
}

function completeDetail(value: unknown): string | undefined {
  const checked = validateComplete(value);
  return checked.ok ? undefined : checked.detail;
}

const keys = (n: number): Array<{ key: string; amount: number }> =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, amount: 1 }));

describe('validateReserve', () => {
  it('accepts a valid request unchanged', () => {
    const request = reserve(
      [
        { key: 'global:llm:openai:gpt-4o:tpm', amount: 9007199254740991 },
        { key: 'k', amount: 1 },
      ],
      { job_id: 'job-7' },
    );
    expect(validateReserve(request)).toEqual({ ok: true, value: request });
  });

  it.each([
    ['a string', 'x'],
    ['null', null],
    ['an array', []],
  ])('refuses a body that is %s', (_label, body) => {
    expect(reserveDetail(body)).toBe('body: must be an object');
  });

  it('refuses an unknown field', () => {
    expect(reserveDetail(reserve(keys(1), { priority: 1 }))).toBe('priority: is not a known field');
    expect(reserveDetail(reserve([{ key: 'k', amount: 1, unit: 'x' }]))).toBe(
      'requirements[0].unit: is not a known field',
    );
  });

  it.each([
    ['lower case', '01hzy3f6j8k9m0n1p2q3r4s5t6'],
    ['25 characters', LEASE.slice(1)],
    ['27 characters', `${LEASE}0`],
    ['a first character above 7', `8${LEASE.slice(1)}`],
    ['an I', `${LEASE.slice(0, 25)}I`],
    ['an L', `${LEASE.slice(0, 25)}L`],
    ['an O', `${LEASE.slice(0, 25)}O`],
    ['a U', `${LEASE.slice(0, 25)}U`],
    ['a number', 12],
  ])('refuses a lease id with %s', (_label, leaseId) => {
    expect(reserveDetail({ lease_id: leaseId, requirements: keys(1) })).toBe(
      `lease_id: ${ULID_RULE}`,
    );
  });

  it('refuses 0 or more than 32 requirements, accepts 1 and 32', () => {
    const rule = 'requirements: must be an array of 1 to 32 requirements';
    expect(reserveDetail(reserve([]))).toBe(rule);
    expect(reserveDetail(reserve(keys(33)))).toBe(rule);
    expect(reserveDetail(reserve({ key: 'k', amount: 1 }))).toBe(rule);
    expect(reserveDetail(reserve(keys(1)))).toBeUndefined();
    expect(reserveDetail(reserve(keys(32)))).toBeUndefined();
  });

  it('refuses a requirement that is not an object', () => {
    expect(reserveDetail(reserve([{ key: 'a', amount: 1 }, 'b']))).toBe(
      'requirements[1]: must be an object',
    );
  });

  it.each([
    ['0', 0],
    ['-1', -1],
    ['a fraction', 1.5],
    ['2^53', 2 ** 53],
    ['a string', '5'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['missing', undefined],
  ])('refuses an amount that is %s', (_label, amount) => {
    const requirements = [{ key: 'a', amount: 1 }, { key: 'b', amount: 2 }, { key: 'c', amount }];
    expect(reserveDetail(reserve(requirements))).toBe(`requirements[2].amount: ${AMOUNT_RULE}`);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'a b'],
    ['with a tab', 'a\tb'],
    ['non-ASCII', 'clé'],
    ['257 characters', 'k'.repeat(257)],
    ['a number', 7],
  ])('refuses a key that is %s', (_label, key) => {
    expect(reserveDetail(reserve([{ key, amount: 1 }]))).toBe(`requirements[0].key: ${KEY_RULE}`);
  });

  it('accepts a key of 256 characters', () => {
    expect(reserveDetail(reserve([{ key: 'k'.repeat(256), amount: 1 }]))).toBeUndefined();
  });

  it('refuses a key given twice, naming the later item', () => {
    const requirements = [
      { key: 'a', amount: 1 },
      { key: 'b', amount: 1 },
      { key: 'a', amount: 2 },
    ];
    expect(reserveDetail(reserve(requirements))).toBe(
      'requirements[2].key: must not repeat the key of an earlier item',
    );
  });

  it('refuses a job id that is not a string of at most 256 characters', () => {
    const rule = 'job_id: must be a string of at most 256 characters';
    expect(reserveDetail(reserve(keys(1), { job_id: 5 }))).toBe(rule);
    expect(reserveDetail(reserve(keys(1), { job_id: 'j'.repeat(257) }))).toBe(rule);
    expect(reserveDetail(reserve(keys(1), { job_id: 'j'.repeat(256) }))).toBeUndefined();
  });

  it('names fields inside a batch item with the item prefix', () => {
    const checked = validateReserve(reserve([{ key: 'a', amount: 0 }]), 'requests[3]');
    expect(checked).toEqual({
      ok: false,
      detail: `requests[3].requirements[0].amount: ${AMOUNT_RULE}`,
    });
  });
});

describe('validateComplete', () => {
  const complete = (actuals: unknown): unknown => ({ lease_id: LEASE, actuals });

  it('accepts 0 actuals and an actual amount of 0', () => {
    expect(completeDetail(complete([]))).toBeUndefined();
    expect(validateComplete(complete([{ key: 'a', actual_amount: 0 }]))).toEqual({
      ok: true,
      value: { lease_id: LEASE, actuals: [{ key: 'a', actual_amount: 0 }] },
    });
  });

  it('refuses more than 32 actuals', () => {
    const actuals = Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, actual_amount: 1 }));
    expect(completeDetail(complete(actuals))).toBe('actuals: must be an array of 0 to 32 actuals');
  });

  it.each([
    ['-1', -1],
    ['a fraction', 0.5],
    ['2^53', 2 ** 53],
  ])('refuses an actual amount that is %s', (_label, amount) => {
    expect(completeDetail(complete([{ key: 'a', actual_amount: amount }]))).toBe(
      'actuals[0].actual_amount: must be an integer from 0 to 9007199254740991',
    );
  });

  it('refuses a key given twice and a bad lease id', () => {
    const twice = [
      { key: 'a', actual_amount: 1 },
      { key: 'a', actual_amount: 1 },
    ];
    expect(completeDetail(complete(twice))).toBe(
      'actuals[1].key: must not repeat the key of an earlier item',
    );
    expect(completeDetail({ lease_id: 'nope', actuals: [] })).toBe(`lease_id: ${ULID_RULE}`);
  });
});
