/**
 * parseExactJson never rounds: a number literal JSON.parse would change, or that is not a plain
 * safe integer, becomes an InexactNumber, which validation refuses with the field's own rule.
 */
import { describe, expect, it } from 'vitest';

import { isInexactNumber, parseExactJson } from '../../src/domain/exact-json.ts';
import { validateReserve } from '../../src/domain/validate.ts';

const LEASE = '01HZY3F6J8K9M0N1P2Q3R4S5T6';

function amountOf(literal: string): unknown {
  const body = parseExactJson(`{"requirements":[{"key":"k","amount":${literal}}]}`) as {
    requirements: Array<{ amount: unknown }>;
  };
  return body.requirements[0]!.amount;
}

describe('parseExactJson', () => {
  it('keeps plain safe integers as numbers', () => {
    expect(amountOf('9007199254740991')).toBe(9007199254740991);
    expect(amountOf('-9007199254740991')).toBe(-9007199254740991);
    expect(amountOf('0')).toBe(0);
    expect(parseExactJson('{"a":[1,2,{"b":3}],"c":"x","d":true,"e":null}')).toEqual({
      a: [1, 2, { b: 3 }],
      c: 'x',
      d: true,
      e: null,
    });
  });

  it.each([
    '1.0000000000000001',
    '9007199254740993',
    '9007199254740992',
    '1.5',
    '1.0',
    '1e3',
    '-2.5E-3',
  ])('turns %s into an InexactNumber carrying the literal', (literal) => {
    const value = amountOf(literal);
    expect(isInexactNumber(value)).toBe(true);
    expect(value).toEqual({ $inexactNumber: literal });
  });

  it('leaves numbers inside strings alone, escaped quotes included', () => {
    expect(parseExactJson('{"k":"1.5","j":"a\\"2.5","n":7}')).toEqual({
      k: '1.5',
      j: 'a"2.5',
      n: 7,
    });
  });

  it.each(['[1-2]', '[01]', '{"a":1.}', '{"a":}', 'nope'])(
    'refuses malformed JSON %s as JSON.parse does',
    (text) => {
      expect(() => parseExactJson(text)).toThrow(SyntaxError);
    },
  );

  it.each(['1.0000000000000001', '9007199254740993'])(
    'makes validation refuse an amount of %s instead of rounding it',
    (literal) => {
      const text = `{"lease_id":"${LEASE}","requirements":[{"key":"a","amount":${literal}}]}`;
      expect(validateReserve(parseExactJson(text))).toEqual({
        ok: false,
        detail: 'requirements[0].amount: must be an integer from 1 to 9007199254740991',
      });
    },
  );

  it('makes validation refuse an inexact number where an object is expected', () => {
    const text = `{"lease_id":"${LEASE}","requirements":[1.5]}`;
    expect(validateReserve(parseExactJson(text))).toEqual({
      ok: false,
      detail: 'requirements[0]: must be an object',
    });
  });
});
