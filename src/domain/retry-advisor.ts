import type { LimitDefinition } from './limits.ts';
import { capacityRetryHint, type RetryPolicy } from './retry-policy.ts';
import type { RandomSource } from '../time/random.ts';

/**
 * Keeps each key's denial streak and turns capacity denials into retry hints. Both backends own
 * one, fed with the same seed, and call it at the same points, so their hints are identical.
 */
export class RetryAdvisor {
  private readonly streaks = new Map<string, number>();

  constructor(
    readonly policy: RetryPolicy,
    private readonly random: RandomSource,
  ) {}

  /** A capacity denial on `definition`'s key: the hint, and the key's streak grows by one. */
  denied(definition: LimitDefinition): number {
    const streak = this.streaks.get(definition.key) ?? 0;
    const hint = capacityRetryHint(this.policy, definition, streak, this.random);
    this.streaks.set(definition.key, streak + 1);
    return hint;
  }

  /** An allowed reserve resets the streak of each of its keys. */
  allowed(keys: Iterable<string>): void {
    for (const key of keys) this.streaks.delete(key);
  }

  streak(key: string): number {
    return this.streaks.get(key) ?? 0;
  }
}
