/**
 * A source of random 32-bit words. Backends draw retry jitter from it and the simulator draws
 * everything from it, so a seeded source makes every run repeatable.
 */
export interface RandomSource {
  /** A uniformly drawn unsigned 32-bit integer. */
  nextUint32(): number;
}

/** A whole number drawn uniformly from [min, max], both included (max − min < 2^32). */
export function randomInt(random: RandomSource, min: number, max: number): number {
  const span = max - min + 1;
  if (!Number.isSafeInteger(span) || span <= 0 || span > 2 ** 32) {
    throw new RangeError(`randomInt: bad range [${min}, ${max}]`);
  }
  if (span === 2 ** 32) return min + random.nextUint32();

  // Rejection sampling keeps the draw exactly uniform (no modulo bias).
  const limit = 2 ** 32 - (2 ** 32 % span);
  for (;;) {
    const word = random.nextUint32();
    if (word < limit) return min + (word % span);
  }
}

/** A float in [0, 1) with 32 bits of randomness. */
export function randomUnit(random: RandomSource): number {
  return random.nextUint32() / 2 ** 32;
}

/**
 * xoshiro128** seeded through splitmix32: small, fast, and good enough for jitter and workloads.
 * Never used for anything secret.
 */
export class SeededRandom implements RandomSource {
  readonly seed: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed: must be an integer, got ${seed}`);
    this.seed = seed;

    let state = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;

    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    return result;
  }

  /** An independent stream for a named purpose, so adding draws in one place moves no other. */
  fork(label: string): SeededRandom {
    let hash = 2166136261;
    for (let i = 0; i < label.length; i++) {
      hash = Math.imul(hash ^ label.charCodeAt(i), 16777619) >>> 0;
    }
    return new SeededRandom((this.seed * 31 + hash) % Number.MAX_SAFE_INTEGER);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
