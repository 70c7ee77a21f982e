/** The LLM helper: key names, the token upper bound in UTF-8 bytes, and the matching actuals. */
import { describe, expect, it } from 'vitest';

import {
  llmActuals,
  llmKeys,
  llmQueue,
  llmRequirements,
  tokenUpperBound,
  utf8ByteLength,
} from '../../src/client/llm.ts';

describe('LLM helper', () => {
  it('counts UTF-8 bytes, not characters or UTF-16 units', () => {
    expect(utf8ByteLength('hello')).toBe(5);
    expect(utf8ByteLength('héllo')).toBe(6); // é is 2 bytes
    expect(utf8ByteLength('日本')).toBe(6); // 3 bytes each
    expect(utf8ByteLength('👍')).toBe(4); // one code point, two UTF-16 units, 4 bytes
    expect('👍'.length).toBe(2);
  });

  it('the token upper bound is prompt bytes plus max output tokens, over every part', () => {
    expect(tokenUpperBound({ prompt: 'héllo 👍', maxOutputTokens: 100 })).toBe(6 + 1 + 4 + 100);
    expect(tokenUpperBound({ prompt: ['日本', 'ok'], maxOutputTokens: 0 })).toBe(8);
    expect(tokenUpperBound({ prompt: '', maxOutputTokens: 0 })).toBe(1);
    expect(() => tokenUpperBound({ prompt: 'x', maxOutputTokens: 1.5 })).toThrow(
      'maxOutputTokens: must be a whole number of tokens, got 1.5',
    );
  });

  it('requirements: rpm 1, tpm and the tenant budget the bound, concurrency 1', () => {
    const call = {
      provider: 'openai',
      model: 'gpt-4o',
      prompt: 'Grüße',
      maxOutputTokens: 256,
      tenant: 'acme',
    };
    const bound = 7 + 256;
    expect(llmRequirements(call)).toEqual([
      { key: 'llm:openai:gpt-4o:rpm', amount: 1 },
      { key: 'llm:openai:gpt-4o:tpm', amount: bound },
      { key: 'llm:openai:gpt-4o:concurrency', amount: 1 },
      { key: 'tenant:acme:llm:daily_tokens', amount: bound },
    ]);
    expect(llmRequirements({ ...call, tenant: undefined }, { concurrency: false })).toEqual([
      { key: 'llm:openai:gpt-4o:rpm', amount: 1 },
      { key: 'llm:openai:gpt-4o:tpm', amount: bound },
    ]);
    expect(llmQueue(call)).toBe('openai:gpt-4o');
    expect(llmKeys.tenantDailyTokens('acme')).toBe('tenant:acme:llm:daily_tokens');
  });

  it('actuals: prompt + completion tokens on the token keys, 1 on rpm', () => {
    const call = { provider: 'p', model: 'm', prompt: 'x', maxOutputTokens: 10, tenant: 't' };
    expect(llmActuals(call, { promptTokens: 3, completionTokens: 4 })).toEqual([
      { key: 'llm:p:m:rpm', actual_amount: 1 },
      { key: 'llm:p:m:tpm', actual_amount: 7 },
      { key: 'tenant:t:llm:daily_tokens', actual_amount: 7 },
    ]);
  });

  it('refuses names that cannot make a key', () => {
    expect(() =>
      llmRequirements({ provider: 'open ai', model: 'm', prompt: '', maxOutputTokens: 1 }),
    ).toThrow(/printable ASCII/);
  });
});
