import type { Clock } from '../time/clock.ts';
import type { RandomSource } from '../time/random.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A lease id: 26 characters of Crockford base-32 in upper case. The first character is at most
 * 7 so that the value fits in 128 bits. Lower case is refused rather than folded, so one lease
 * has exactly one spelling (its spelling names its TigerBeetle transfers).
 */
const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

export function isUlid(value: unknown): value is string {
  return typeof value === 'string' && ULID_PATTERN.test(value);
}

/** Makes ULIDs from an injected clock and random source (48 bits of time, 80 of randomness). */
export class UlidFactory {
  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  next(): string {
    let time = this.clock.now();
    let head = '';
    for (let i = 0; i < 10; i++) {
      head = ALPHABET[time % 32]! + head;
      time = Math.floor(time / 32);
    }

    let tail = '';
    for (let i = 0; i < 16; i++) tail += ALPHABET[this.random.nextUint32() & 31]!;
    return head + tail;
  }
}

/** The millisecond timestamp in a ULID's first ten characters. */
export function ulidTimeMs(ulid: string): number {
  let time = 0;
  for (let i = 0; i < 10; i++) time = time * 32 + ALPHABET.indexOf(ulid[i]!);
  return time;
}
