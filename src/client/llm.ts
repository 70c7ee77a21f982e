/**
 * Requirements for one LLM call, and the actuals to report after it.
 *
 * Key naming convention (any key is 1-256 printable ASCII characters without whitespace):
 *   llm:<provider>:<model>:rpm           rolling, window 60 s: requests per minute, amount 1
 *   llm:<provider>:<model>:tpm           rolling, window 60 s: tokens per minute
 *   llm:<provider>:<model>:concurrency   concurrency: calls in flight, amount 1
 *   tenant:<tenant>:llm:daily_tokens     rolling, window 86400 s: a tenant's daily token budget
 *
 * Before a call the token count is not known, so the reserve asks for an upper bound: the
 * prompt's UTF-8 byte length (no tokenizer produces more tokens than bytes) plus the most output
 * tokens the call may produce. After the call the actual is prompt + completion tokens as the
 * provider reports them; the server then shrinks (or, rarely, grows) the hold.
 */
import { isLimitKey } from '../domain/keys.ts';
import type { Actual, Requirement } from '../domain/requests.ts';
import { MAX_AMOUNT } from '../domain/numbers.ts';

export interface LlmCall {
  provider: string;
  model: string;
  /** The prompt text, or its parts (messages); every part is counted. */
  prompt: string | readonly string[];
  /** The call's max output tokens (the provider's `max_tokens`). */
  maxOutputTokens: number;
  /** When set, the tenant's daily budget is reserved too. */
  tenant?: string;
}

/** Which limits to reserve on; each is on by default except where noted. */
export interface LlmLimits {
  rpm?: boolean;
  tpm?: boolean;
  concurrency?: boolean;
  /** Reserved only when the call names a tenant (default true then). */
  tenantDailyTokens?: boolean;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

export const llmKeys = {
  rpm: (provider: string, model: string): string => `llm:${provider}:${model}:rpm`,
  tpm: (provider: string, model: string): string => `llm:${provider}:${model}:tpm`,
  concurrency: (provider: string, model: string): string =>
    `llm:${provider}:${model}:concurrency`,
  tenantDailyTokens: (tenant: string): string => `tenant:${tenant}:llm:daily_tokens`,
} as const;

/** The queue key a Scheduler should use for calls to one model. */
export function llmQueue(call: Pick<LlmCall, 'provider' | 'model'>): string {
  return `${call.provider}:${call.model}`;
}

export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Prompt bytes plus max output tokens: no call can use more tokens than this. */
export function tokenUpperBound(call: Pick<LlmCall, 'prompt' | 'maxOutputTokens'>): number {
  const parts = typeof call.prompt === 'string' ? [call.prompt] : call.prompt;
  const promptBytes = parts.reduce((sum, part) => sum + utf8ByteLength(part), 0);
  const bound = promptBytes + wholeTokens(call.maxOutputTokens, 'maxOutputTokens');
  if (bound > MAX_AMOUNT) throw new RangeError(`token upper bound ${bound} exceeds 2^53 - 1`);
  return Math.max(1, bound);
}

export function llmRequirements(call: LlmCall, limits: LlmLimits = {}): Requirement[] {
  const { provider, model } = call;
  const tokens = tokenUpperBound(call);
  const requirements: Requirement[] = [];
  if (limits.rpm !== false) requirements.push({ key: llmKeys.rpm(provider, model), amount: 1 });
  if (limits.tpm !== false) {
    requirements.push({ key: llmKeys.tpm(provider, model), amount: tokens });
  }
  if (limits.concurrency !== false) {
    requirements.push({ key: llmKeys.concurrency(provider, model), amount: 1 });
  }
  if (call.tenant !== undefined && limits.tenantDailyTokens !== false) {
    requirements.push({ key: llmKeys.tenantDailyTokens(call.tenant), amount: tokens });
  }
  return checkedKeys(requirements);
}

/**
 * The actuals matching llmRequirements: tokens used on the token keys, 1 on rpm (the request
 * was made). The concurrency key needs none: completing releases it.
 */
export function llmActuals(call: LlmCall, usage: LlmUsage, limits: LlmLimits = {}): Actual[] {
  const { provider, model } = call;
  const used =
    wholeTokens(usage.promptTokens, 'promptTokens') +
    wholeTokens(usage.completionTokens, 'completionTokens');
  const actuals: Actual[] = [];
  if (limits.rpm !== false) {
    actuals.push({ key: llmKeys.rpm(provider, model), actual_amount: 1 });
  }
  if (limits.tpm !== false) {
    actuals.push({ key: llmKeys.tpm(provider, model), actual_amount: used });
  }
  if (call.tenant !== undefined && limits.tenantDailyTokens !== false) {
    actuals.push({ key: llmKeys.tenantDailyTokens(call.tenant), actual_amount: used });
  }
  return actuals;
}

function wholeTokens(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field}: must be a whole number of tokens, got ${value}`);
  }
  return value;
}

function checkedKeys<T extends { key: string }>(items: T[]): T[] {
  for (const item of items) {
    if (!isLimitKey(item.key)) {
      throw new RangeError(`key ${JSON.stringify(item.key)}: provider, model and tenant must ` +
        'make a key of 1 to 256 printable ASCII characters without whitespace');
    }
  }
  return items;
}
