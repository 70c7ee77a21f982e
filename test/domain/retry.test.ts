/** The retry policy's formula and the advisor's streaks (domain/retry-*.ts). */
import { describe, expect, it } from 'vitest';

import type { LimitDefinition } from '../../src/domain/limits.ts';
import { RetryAdvisor } from '../../src/domain/retry-advisor.ts';
import { capacityRetryHint, DEFAULT_RETRY_POLICY } from '../../src/domain/retry-policy.ts';
import type { RandomSource } from '../../src/time/random.ts';

/** Returns the given words in turn and counts the draws. */
class Script implements RandomSource {
  draws = 0;
  constructor(private readonly words: number[]) {}
  nextUint32(): number {
    return this.words[this.draws++ % this.words.length]!;
  }
}

const rolling = (seconds: number): LimitDefinition => ({
  key: 'r',
  kind: 'rolling',
  capacity: 1,
  window_seconds: seconds,
  overage: 'debt',
});
const concurrency = (seconds: number): LimitDefinition => ({
  key: 'c',
  kind: 'concurrency',
  capacity: 1,
  timeout_seconds: seconds,
  overage: 'deny',
});

describe('capacityRetryHint', () => {
  it('is floor(min(cap, base · factor^streak)) plus a jitter in [0, jitter_ms]', () => {
    const zero = new Script([0]);
    expect(capacityRetryHint(DEFAULT_RETRY_POLICY, rolling(1), 3, zero)).toBe(337);
    expect(capacityRetryHint(DEFAULT_RETRY_POLICY, rolling(2), 0, zero)).toBe(200);
    expect(capacityRetryHint(DEFAULT_RETRY_POLICY, rolling(3600), 0, zero)).toBe(5000);
    expect(capacityRetryHint(DEFAULT_RETRY_POLICY, concurrency(1), 9, zero)).toBe(1000);
    expect(capacityRetryHint(DEFAULT_RETRY_POLICY, concurrency(60), 9, zero)).toBe(2000);

    // Word 50 of span 51 is the largest jitter: 50 for rolling keys, 25 for concurrency keys.
    expect(capacityRetryHint(DEFAULT_RETRY_POLICY, rolling(1), 0, new Script([50]))).toBe(150);
    expect(capacityRetryHint(DEFAULT_RETRY_POLICY, concurrency(1), 0, new Script([25]))).toBe(75);
  });

  it('draws exactly once even when jitter is 0', () => {
    const random = new Script([7]);
    const policy = {
      ...DEFAULT_RETRY_POLICY,
      rolling: { ...DEFAULT_RETRY_POLICY.rolling, jitter_ms: 0 },
    };
    expect(capacityRetryHint(policy, rolling(1), 0, random)).toBe(100);
    expect(random.draws).toBe(1);
  });
});

describe('RetryAdvisor', () => {
  it('grows the failing key’s streak and resets it on an allowed reserve', () => {
    const advisor = new RetryAdvisor(DEFAULT_RETRY_POLICY, new Script([0]));
    expect([advisor.denied(rolling(1)), advisor.denied(rolling(1))]).toEqual([100, 150]);
    expect(advisor.denied(concurrency(1))).toBe(50);
    expect(advisor.streak('r')).toBe(2);

    advisor.allowed(['r']);
    expect(advisor.streak('r')).toBe(0);
    expect(advisor.streak('c')).toBe(1);
    expect(advisor.denied(rolling(1))).toBe(100);
  });
});
