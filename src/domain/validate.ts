/**
 * Validation of everything a caller sends. Each failure names the field and the rule, e.g.
 * `requirements[2].amount: must be an integer from 1 to 9007199254740991`. Nothing is rounded,
 * clamped or defaulted except `overage`, whose documented default is `debt`.
 */
import { isInexactNumber } from './exact-json.ts';
import { isLimitKey, KEY_RULE } from './keys.ts';
import type { LimitDefinition } from './limits.ts';
import { MAX_AMOUNT, MAX_DURATION_SECONDS, MAX_REQUIREMENTS } from './numbers.ts';
import type { Actual, CompleteRequest, Requirement, ReserveRequest } from './requests.ts';
import { isUlid } from './ulid.ts';

export type Validated<T> = { ok: true; value: T } | { ok: false; detail: string };

/** Thrown inside this module only; every exported function turns it into a value. */
class FieldError extends Error {}

function fail(field: string, rule: string): never {
  throw new FieldError(`${field}: ${rule}`);
}

function run<T>(check: () => T): Validated<T> {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, detail: error.message };
    throw error;
  }
}

const ULID_RULE = 'must be a ULID (26 upper-case Crockford base-32 characters, first one 0-7)';
const TEXT_MAX = 1024;

function object(
  value: unknown,
  field: string,
  allowed: readonly string[],
): Record<string, unknown> {
  const isObject =
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isInexactNumber(value);
  if (!isObject) {
    // The top level has no field name of its own: call it the body.
    fail(field === '' ? 'body' : field, 'must be an object');
  }
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) fail(path(field, name), 'is not a known field');
  }
  return value as Record<string, unknown>;
}

function path(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function integerIn(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function text(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length > maxLength) {
    fail(field, `must be a string of at most ${maxLength} characters`);
  }
  return value;
}

function leaseId(value: unknown, field: string): string {
  if (!isUlid(value)) fail(field, ULID_RULE);
  return value;
}

function limitKey(value: unknown, field: string): string {
  if (!isLimitKey(value)) fail(field, KEY_RULE);
  return value;
}

function list(value: unknown, field: string, min: number, max: number, noun: string): unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    fail(field, `must be an array of ${min} to ${max} ${noun}`);
  }
  return value;
}

function checkUniqueKeys(items: ReadonlyArray<{ key: string }>, field: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.key)) {
      fail(`${field}[${i}].key`, 'must not repeat the key of an earlier item');
    }
    seen.add(item.key);
  });
}

function requirement(value: unknown, field: string): Requirement {
  const o = object(value, field, ['key', 'amount']);
  return {
    key: limitKey(o.key, `${field}.key`),
    amount: integerIn(o.amount, `${field}.amount`, 1, MAX_AMOUNT),
  };
}

function actual(value: unknown, field: string): Actual {
  const o = object(value, field, ['key', 'actual_amount']);
  return {
    key: limitKey(o.key, `${field}.key`),
    actual_amount: integerIn(o.actual_amount, `${field}.actual_amount`, 0, MAX_AMOUNT),
  };
}

function checkReserve(value: unknown, field: string): ReserveRequest {
  const o = object(value, field, ['lease_id', 'job_id', 'requirements']);
  const lease = leaseId(o.lease_id, path(field, 'lease_id'));
  const requirementsField = path(field, 'requirements');
  const items = list(o.requirements, requirementsField, 1, MAX_REQUIREMENTS, 'requirements');
  const requirements = items.map((item, i) => requirement(item, `${requirementsField}[${i}]`));
  checkUniqueKeys(requirements, requirementsField);

  const request: ReserveRequest = { lease_id: lease, requirements };
  if (o.job_id !== undefined) request.job_id = text(o.job_id, path(field, 'job_id'), 256);
  return request;
}

function checkComplete(value: unknown, field: string): CompleteRequest {
  const o = object(value, field, ['lease_id', 'job_id', 'actuals']);
  const lease = leaseId(o.lease_id, path(field, 'lease_id'));
  const actualsField = path(field, 'actuals');
  const items = list(o.actuals, actualsField, 0, MAX_REQUIREMENTS, 'actuals');
  const actuals = items.map((item, i) => actual(item, `${actualsField}[${i}]`));
  checkUniqueKeys(actuals, actualsField);

  const request: CompleteRequest = { lease_id: lease, actuals };
  if (o.job_id !== undefined) request.job_id = text(o.job_id, path(field, 'job_id'), 256);
  return request;
}

const DEFINITION_FIELDS = [
  'key',
  'kind',
  'capacity',
  'window_seconds',
  'timeout_seconds',
  'unit',
  'description',
  'overage',
] as const;

function checkDefinition(value: unknown): LimitDefinition {
  const o = object(value, '', DEFINITION_FIELDS);
  const key = limitKey(o.key, 'key');
  if (o.kind !== 'rolling' && o.kind !== 'concurrency') {
    fail('kind', 'must be "rolling" or "concurrency"');
  }
  const capacity = integerIn(o.capacity, 'capacity', 0, MAX_AMOUNT);
  let overage: LimitDefinition['overage'] = 'debt';
  if (o.overage !== undefined) {
    if (o.overage !== 'deny' && o.overage !== 'debt') fail('overage', 'must be "deny" or "debt"');
    overage = o.overage;
  }
  const definition: LimitDefinition = { key, kind: o.kind, capacity, overage };

  if (o.kind === 'rolling') {
    if (o.timeout_seconds !== undefined) fail('timeout_seconds', 'is only for concurrency limits');
    if (o.window_seconds === undefined) fail('window_seconds', 'is required for rolling limits');
    definition.window_seconds = integerIn(
      o.window_seconds,
      'window_seconds',
      1,
      MAX_DURATION_SECONDS,
    );
  } else {
    if (o.window_seconds !== undefined) fail('window_seconds', 'is only for rolling limits');
    if (o.timeout_seconds === undefined) {
      fail('timeout_seconds', 'is required for concurrency limits');
    }
    definition.timeout_seconds = integerIn(
      o.timeout_seconds,
      'timeout_seconds',
      1,
      MAX_DURATION_SECONDS,
    );
  }

  if (o.unit !== undefined) definition.unit = text(o.unit, 'unit', TEXT_MAX);
  if (o.description !== undefined) {
    definition.description = text(o.description, 'description', TEXT_MAX);
  }
  return definition;
}

export function validateReserve(value: unknown, field = ''): Validated<ReserveRequest> {
  return run(() => checkReserve(value, field));
}

export function validateComplete(value: unknown, field = ''): Validated<CompleteRequest> {
  return run(() => checkComplete(value, field));
}

export function validateDefinition(value: unknown): Validated<LimitDefinition> {
  return run(() => checkDefinition(value));
}

/**
 * A batch body: `{requests: [...]}` with 1 to `maxItems` items. Only the envelope is checked
 * here; each item is validated on its own so that one bad item does not sink the batch.
 */
export function validateBatchEnvelope(value: unknown, maxItems: number): Validated<unknown[]> {
  return run(() => {
    const o = object(value, '', ['requests']);
    return list(o.requests, 'requests', 1, maxItems, 'requests');
  });
}

export function validateLimitKey(value: unknown, field = 'key'): Validated<string> {
  return run(() => limitKey(value, field));
}
