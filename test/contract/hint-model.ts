/**
 * The retry hints a backend must give, computed here from the formula in SEMANTICS.md (not from
 * src/domain/retry-policy.ts): hint = ⌊min(cap, b·factor^streak)⌋ + j, with j drawn by
 * randomInt(0, jitter) from a SeededRandom of the backend's seed, one draw per capacity denial in
 * the order the denials happen. A test tells the model every capacity denial and every allowed
 * reserve; any draw or streak change the backend makes elsewhere shows up as a wrong hint.
 */
import type { LimitDefinition } from '../../src/domain/limits.ts';
import type { RetryPolicy } from '../../src/domain/retry-policy.ts';
import { randomInt, SeededRandom } from '../../src/time/random.ts';

export class HintModel {
  private readonly random: SeededRandom;
  private readonly streaks = new Map<string, number>();

  constructor(
    seed: number,
    private readonly policy: RetryPolicy,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** The hint of the next capacity denial, failing on `definition`'s key. */
  denial(definition: LimitDefinition): number {
    const streak = this.streaks.get(definition.key) ?? 0;
    this.streaks.set(definition.key, streak + 1);
    return this.backoffMs(definition, streak) + this.jitterMs(definition);
  }

  /** The part of a hint before jitter: ⌊min(cap, b·factor^streak)⌋. */
  backoffMs(definition: LimitDefinition, streak: number): number {
    if (definition.kind === 'rolling') {
      const p = this.policy.rolling;
      const base = Math.max(p.base_ms, p.window_fraction * 1000 * definition.window_seconds!);
      return Math.floor(Math.min(p.max_ms, base * p.factor ** streak));
    }
    const p = this.policy.concurrency;
    const cap = Math.min(p.max_ms, 1000 * definition.timeout_seconds!);
    return Math.floor(Math.min(cap, p.base_ms * p.factor ** streak));
  }

  /** An allowed reserve resets the streak of each of its keys. */
  allowed(keys: Iterable<string>): void {
    for (const key of keys) this.streaks.delete(key);
  }

  private jitterMs(definition: LimitDefinition): number {
    const policy = definition.kind === 'rolling' ? this.policy.rolling : this.policy.concurrency;
    return randomInt(this.random, 0, policy.jitter_ms);
  }
}
