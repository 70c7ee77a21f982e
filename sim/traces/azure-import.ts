import { basename } from 'node:path';

import type { LimitDefinition } from '../../src/domain/limits.ts';
import type { CompleteRequest, ReserveRequest } from '../../src/domain/requests.ts';
import { UlidFactory } from '../../src/domain/ulid.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../../src/trace/format.ts';
import type { AzureRow } from './azure-csv.ts';
import type { SimTrace, SimTraceEvent } from './trace-io.ts';

/** How rows become requests; every default is documented in spec/simulator.md. */
export interface AzureImportOptions {
  /** Names the keys: `global:llm:<service>:rpm` ... Default: the file name without `.csv`. */
  service: string;
  /** Seed of the lease ids. */
  seed: number;
  tenants: number;
  rpm: number;
  tpm: number;
  concurrency: number;
  concurrencyTimeoutSeconds: number;
  /** Each tenant's rolling 24 h token budget. */
  tenantDailyTokens: number;
  /** The smallest maximum-output estimate. */
  minOutputTokens: number;
  serviceBaseMs: number;
  serviceMsPerGeneratedToken: number;
  serviceMsPerContextToken: number;
  decreasePollMs: number;
}

export const AZURE_DEFAULTS: Omit<AzureImportOptions, 'service'> = {
  seed: 1,
  tenants: 8,
  rpm: 450,
  tpm: 600_000,
  concurrency: 40,
  concurrencyTimeoutSeconds: 60,
  tenantDailyTokens: 3_000_000,
  minOutputTokens: 128,
  serviceBaseMs: 200,
  serviceMsPerGeneratedToken: 20,
  serviceMsPerContextToken: 0.2,
  decreasePollMs: 1000,
};

export const AZURE_ATTRIBUTION =
  'Derived from the Azure LLM inference traces 2023 (Azure Public Dataset, ' +
  'AzureLLMInferenceDataset2023, Microsoft), described in "Splitwise: Efficient generative LLM ' +
  'inference using phase splitting" (ISCA 2024). License: Creative Commons Attribution 4.0 ' +
  'International (CC BY 4.0).';

export function defaultService(file: string): string {
  return basename(file).replace(/\.csv$/i, '');
}

export interface KeyNames {
  rpm: string;
  tpm: string;
  concurrency: string;
  tenant(index: number): string;
}

export function keyNames(service: string): KeyNames {
  return {
    rpm: `global:llm:${service}:rpm`,
    tpm: `global:llm:${service}:tpm`,
    concurrency: `global:llm:${service}:concurrency`,
    tenant: (index) => `tenant:t${index}:llm:daily_tokens`,
  };
}

/**
 * Turns rows into a trace: one reserve per row at its arrival, one complete per row when its
 * service time has passed, reporting what it really used. A denied request is not retried and
 * still completes (complete is idempotent): a generated trace cannot depend on answers.
 */
export function importAzureRows(
  rows: readonly AzureRow[],
  file: string,
  options: AzureImportOptions,
): SimTrace {
  const keys = keyNames(options.service);
  const header: TraceHeader = {
    type: 'header',
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    source: `import:azure:${basename(file)}`,
    limits: limitsFor(keys, options),
    seed: options.seed,
    decrease_poll_ms: options.decreasePollMs,
    attribution: AZURE_ATTRIBUTION,
  };

  const clock = new FakeClock(rows[0]?.arrivalMs ?? 0);
  const ulids = new UlidFactory(clock, new SeededRandom(options.seed));
  const reserves: SimTraceEvent[] = [];
  const completes: Array<{ event: SimTraceEvent; row: number }> = [];

  rows.forEach((row, index) => {
    clock.set(row.arrivalMs);
    const leaseId = ulids.next();
    const tenant = keys.tenant(tenantOf(index, options.tenants));
    const upper = row.contextTokens + maxOutputTokens(row.generatedTokens, options.minOutputTokens);
    const used = row.contextTokens + row.generatedTokens;
    const jobId = `${options.service}:${index}`;

    const reserve: ReserveRequest = {
      lease_id: leaseId,
      job_id: jobId,
      requirements: [
        { key: keys.rpm, amount: 1 },
        { key: keys.tpm, amount: upper },
        { key: tenant, amount: upper },
        { key: keys.concurrency, amount: 1 },
      ],
    };
    const complete: CompleteRequest = {
      lease_id: leaseId,
      job_id: jobId,
      actuals: [
        { key: keys.tpm, actual_amount: used },
        { key: tenant, actual_amount: used },
      ],
    };
    reserves.push({ type: 'event', at_ms: row.arrivalMs, op: 'reserve', request: reserve });
    const doneMs = row.arrivalMs + serviceTimeMs(row, options);
    const event: SimTraceEvent = { type: 'event', at_ms: doneMs, op: 'complete',
      request: complete };
    completes.push({ event, row: index });
  });

  return { header, events: mergeByTime(reserves, completes) };
}

/**
 * At one instant, completes go before reserves (capacity freed by a request that finished is
 * there for the next one), completes in row order; reserves keep row order.
 */
function mergeByTime(
  reserves: SimTraceEvent[],
  completes: Array<{ event: SimTraceEvent; row: number }>,
): SimTraceEvent[] {
  completes.sort((a, b) => a.event.at_ms - b.event.at_ms || a.row - b.row);
  const events: SimTraceEvent[] = [];
  let c = 0;
  for (const reserve of reserves) {
    while (c < completes.length && completes[c]!.event.at_ms <= reserve.at_ms) {
      events.push(completes[c++]!.event);
    }
    events.push(reserve);
  }
  while (c < completes.length) events.push(completes[c++]!.event);
  return events;
}

function limitsFor(keys: KeyNames, options: AzureImportOptions): LimitDefinition[] {
  const limits: LimitDefinition[] = [
    rolling(keys.rpm, options.rpm, 60, 'requests', 'requests per minute'),
    rolling(keys.tpm, options.tpm, 60, 'tokens', 'tokens per minute (upper bound, then actual)'),
    {
      key: keys.concurrency,
      kind: 'concurrency',
      capacity: options.concurrency,
      timeout_seconds: options.concurrencyTimeoutSeconds,
      unit: 'requests',
      description: 'requests in flight',
      overage: 'debt',
    },
  ];
  for (let t = 0; t < options.tenants; t++) {
    limits.push(rolling(keys.tenant(t), options.tenantDailyTokens, 86_400, 'tokens',
      `tenant t${t}: tokens per rolling day`));
  }
  return limits;
}

function rolling(
  key: string,
  capacity: number,
  windowSeconds: number,
  unit: string,
  description: string,
): LimitDefinition {
  return {
    key,
    kind: 'rolling',
    capacity,
    window_seconds: windowSeconds,
    unit,
    description,
    overage: 'debt',
  };
}

/**
 * The client's estimate of the output it asks for: the power of two nearest the tokens it will
 * generate (ties go up), and at least `minimum`. Answers a little longer than a power of two
 * overrun it (overage); all others leave slack.
 */
export function maxOutputTokens(generated: number, minimum: number): number {
  let upper = 1;
  while (upper < generated) upper *= 2;
  const lower = upper / 2;
  const nearest = upper > 1 && generated - lower < upper - generated ? lower : upper;
  return Math.max(minimum, nearest);
}

/** base + per generated token + per context token, rounded up to a whole millisecond. */
export function serviceTimeMs(row: AzureRow, options: AzureImportOptions): number {
  const exact =
    options.serviceBaseMs +
    options.serviceMsPerGeneratedToken * row.generatedTokens +
    options.serviceMsPerContextToken * row.contextTokens;
  // Round to a micro-millisecond first so that 0.2 · 1020 is 204, not 204.00000000000003.
  return Math.ceil(Math.round(exact * 1e6) / 1e6);
}

/** Row index → tenant, through a fixed integer hash (murmur3's finalizer), so tenants mix. */
export function tenantOf(index: number, tenants: number): number {
  let h = index >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h % tenants;
}
