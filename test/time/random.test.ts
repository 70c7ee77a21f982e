/** The seeded random source and the helpers that draw from it. */
import { describe, expect, it } from 'vitest';

import { randomInt, randomUnit, SeededRandom, type RandomSource } from '../../src/time/random.ts';

const draw = (random: RandomSource, n: number): number[] =>
  Array.from({ length: n }, () => random.nextUint32());

describe('SeededRandom', () => {
  it('is repeatable for a seed and differs between seeds', () => {
    expect(draw(new SeededRandom(42), 20)).toEqual(draw(new SeededRandom(42), 20));
    expect(draw(new SeededRandom(42), 20)).not.toEqual(draw(new SeededRandom(43), 20));
    expect(draw(new SeededRandom(2 ** 40 + 1), 5)).toEqual(draw(new SeededRandom(2 ** 40 + 1), 5));
  });

  it('gives unsigned 32-bit words', () => {
    for (const word of draw(new SeededRandom(1), 1000)) {
      expect(Number.isInteger(word)).toBe(true);
      expect(word).toBeGreaterThanOrEqual(0);
      expect(word).toBeLessThan(2 ** 32);
    }
  });

  it('forks independent, repeatable streams by label', () => {
    const base = new SeededRandom(7);
    const a = draw(base.fork('ids'), 5);
    expect(draw(new SeededRandom(7).fork('ids'), 5)).toEqual(a);
    expect(draw(base.fork('jitter'), 5)).not.toEqual(a);
    expect(draw(base, 5)).toEqual(draw(new SeededRandom(7), 5));
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => new SeededRandom(1.5)).toThrow(RangeError);
  });
});

describe('randomInt', () => {
  it('stays within [min, max] and reaches both ends', () => {
    const random = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = randomInt(random, -2, 3);
      expect(value).toBeGreaterThanOrEqual(-2);
      expect(value).toBeLessThanOrEqual(3);
      seen.add(value);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('returns min for an empty span, after one draw', () => {
    let draws = 0;
    const counting: RandomSource = { nextUint32: () => (draws++, 123) };
    expect(randomInt(counting, 5, 5)).toBe(5);
    expect(draws).toBe(1);
  });

  it('rejects the words that would bias the draw', () => {
    // Span 3: 2^32 mod 3 = 1, so the top word 2^32 - 1 is rejected and the next one used.
    const words = [2 ** 32 - 1, 7];
    const scripted: RandomSource = { nextUint32: () => words.shift()! };
    expect(randomInt(scripted, 0, 2)).toBe(7 % 3);
  });

  it('covers a full 32-bit span and refuses bad ranges', () => {
    const scripted: RandomSource = { nextUint32: () => 2 ** 32 - 1 };
    expect(randomInt(scripted, 0, 2 ** 32 - 1)).toBe(2 ** 32 - 1);
    expect(() => randomInt(scripted, 3, 2)).toThrow(RangeError);
    expect(() => randomInt(scripted, 0, 2 ** 32)).toThrow(RangeError);
  });
});

describe('randomUnit', () => {
  it('is in [0, 1)', () => {
    expect(randomUnit({ nextUint32: () => 0 })).toBe(0);
    expect(randomUnit({ nextUint32: () => 2 ** 32 - 1 })).toBeLessThan(1);
  });
});
