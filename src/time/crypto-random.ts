import { randomFillSync } from 'node:crypto';

import type { RandomSource } from './random.ts';

/** Operating-system randomness, for production lease ids. Refilled in blocks to stay cheap. */
export class CryptoRandom implements RandomSource {
  private readonly words = new Uint32Array(256);
  private index = this.words.length;

  nextUint32(): number {
    if (this.index === this.words.length) {
      randomFillSync(this.words);
      this.index = 0;
    }
    return this.words[this.index++]!;
  }
}
