import { describe, expect, it } from 'vitest';

import { isUlid, UlidFactory, ulidTimeMs } from '../../src/domain/ulid.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';

describe('ULIDs', () => {
  it('accepts upper-case Crockford base-32 with a first character of 0 to 7', () => {
    expect(isUlid('01HZY3F6J8K9M0N1P2Q3R4S5T6')).toBe(true);
    expect(isUlid('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(true);
    expect(isUlid('8ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(false);
    expect(isUlid('01hzy3f6j8k9m0n1p2q3r4s5t6')).toBe(false);
    expect(isUlid(undefined)).toBe(false);
  });

  it('are made from the clock and the random source: time first, then 80 random bits', () => {
    const clock = new FakeClock(1_700_000_000_123);
    const factory = new UlidFactory(clock, new SeededRandom(5));

    const first = factory.next();
    expect(isUlid(first)).toBe(true);
    expect(ulidTimeMs(first)).toBe(1_700_000_000_123);

    clock.advance(877);
    const second = factory.next();
    expect(ulidTimeMs(second)).toBe(1_700_000_001_000);
    expect(second > first).toBe(true);
    expect(second.slice(10)).not.toBe(first.slice(10));
  });

  it('are repeatable for a seed', () => {
    const make = (): string[] => {
      const factory = new UlidFactory(new FakeClock(42), new SeededRandom(9));
      return [factory.next(), factory.next()];
    };
    expect(make()).toEqual(make());
    expect(make()[0]!.slice(0, 10)).toBe('000000001A');
  });
});
