import { describe, expect, it } from 'vitest';

import { parseAzureCsv } from '../../sim/traces/azure-csv.ts';
import {
  AZURE_ATTRIBUTION,
  AZURE_DEFAULTS,
  importAzureRows,
  maxOutputTokens,
  serviceTimeMs,
  tenantOf,
} from '../../sim/traces/azure-import.ts';
import { parseTrace, formatTrace } from '../../sim/traces/trace-io.ts';

/**
 * Goal: `import azure` turns rows into exactly the trace spec/simulator.md documents. Method: three
 * rows of the conversation trace, worked out by hand: arrival in whole ms, the upper bound
 * context + max_output (the power of two nearest the generated count, at least 128), completion
 * at arrival + ⌈200 + 20·generated + 0.2·context⌉ ms with actual context + generated,
 * completes before reserves at one instant, tenants from a hash of the row index.
 */
const CSV = `TIMESTAMP,ContextTokens,GeneratedTokens
2023-11-16 18:15:46.6805900,374,44
2023-11-16 18:15:50.9951690,396,109
2023-11-16 18:15:51.2224670,879,55
`;

const RPM = 'global:llm:conv:rpm';
const TPM = 'global:llm:conv:tpm';
const CONCURRENCY = 'global:llm:conv:concurrency';

function reserve(at: number, lease: string, row: number, tenant: number, amount: number): unknown {
  return {
    type: 'event',
    at_ms: at,
    op: 'reserve',
    request: {
      lease_id: lease,
      job_id: `conv:${row}`,
      requirements: [
        { key: RPM, amount: 1 },
        { key: TPM, amount },
        { key: `tenant:t${tenant}:llm:daily_tokens`, amount },
        { key: CONCURRENCY, amount: 1 },
      ],
    },
  };
}

function complete(at: number, lease: string, row: number, tenant: number, used: number): unknown {
  return {
    type: 'event',
    at_ms: at,
    op: 'complete',
    request: {
      lease_id: lease,
      job_id: `conv:${row}`,
      actuals: [
        { key: TPM, actual_amount: used },
        { key: `tenant:t${tenant}:llm:daily_tokens`, actual_amount: used },
      ],
    },
  };
}

describe('import azure', () => {
  const rows = parseAzureCsv(CSV, 'conv.csv');
  const trace = importAzureRows(rows, 'data/conv.csv', { ...AZURE_DEFAULTS, service: 'conv' });

  it('parses timestamps to whole milliseconds and keeps the counts', () => {
    const at = (s: number, ms: number): number => Date.UTC(2023, 10, 16, 18, 15, s, ms);
    expect(rows).toEqual([
      { arrivalMs: at(46, 680), contextTokens: 374, generatedTokens: 44 },
      { arrivalMs: at(50, 995), contextTokens: 396, generatedTokens: 109 },
      { arrivalMs: at(51, 222), contextTokens: 879, generatedTokens: 55 },
    ]);
  });

  it('writes the documented header: limits, seed, poll period and the attribution', () => {
    const header = trace.header;
    expect(header.source).toBe('import:azure:conv.csv');
    expect(header.seed).toBe(1);
    expect(header.decrease_poll_ms).toBe(1000);
    expect(header.attribution).toBe(AZURE_ATTRIBUTION);
    expect(header.attribution).toContain('CC BY 4.0');
    expect(header.limits.slice(0, 3)).toEqual([
      { key: RPM, kind: 'rolling', capacity: 450, window_seconds: 60, unit: 'requests',
        description: 'requests per minute', overage: 'debt' },
      { key: TPM, kind: 'rolling', capacity: 600_000, window_seconds: 60, unit: 'tokens',
        description: 'tokens per minute (upper bound, then actual)', overage: 'debt' },
      { key: CONCURRENCY, kind: 'concurrency', capacity: 40, timeout_seconds: 60,
        unit: 'requests', description: 'requests in flight', overage: 'debt' },
    ]);
    expect(header.limits).toHaveLength(3 + 8);
    expect(header.limits[3]).toEqual({ key: 'tenant:t0:llm:daily_tokens', kind: 'rolling',
      capacity: 3_000_000, window_seconds: 86_400, unit: 'tokens',
      description: 'tenant t0: tokens per rolling day', overage: 'debt' });
  });

  it('gives exactly the expected events, in time order', () => {
    const t0 = Date.UTC(2023, 10, 16, 18, 15, 46, 680);
    const t1 = Date.UTC(2023, 10, 16, 18, 15, 50, 995);
    const t2 = Date.UTC(2023, 10, 16, 18, 15, 51, 222);
    // Lease ids: UlidFactory(seed 1) on a clock at each arrival.
    const [a, b, c] = ['01HFCNH8QRY7F520T132E8DPSE', '01HFCNHCYKZ1177SH1Q1HE0TNR',
      '01HFCNHD5P5AGHR6ACAF78TPCE'];
    // Tenants of rows 0, 1, 2 under the murmur3 finalizer, mod 8.
    expect([0, 1, 2].map((row) => tenantOf(row, 8))).toEqual([0, 7, 6]);

    expect(trace.events).toEqual([
      // Row 0: 374 + max(128, 32) = 502 reserved; 418 used; done after ⌈1154.8⌉ = 1155 ms.
      reserve(t0, a, 0, 0, 502),
      complete(t0 + 1155, a, 0, 0, 418),
      // Row 1: 396 + 128 = 524; 505 used; done after ⌈2459.2⌉ = 2460 ms.
      reserve(t1, b, 1, 7, 524),
      // Row 2: 879 + 128 = 1007; 934 used; done after ⌈1475.8⌉ = 1476 ms, before row 1's.
      reserve(t2, c, 2, 6, 1007),
      complete(t2 + 1476, c, 2, 6, 934),
      complete(t1 + 2460, b, 1, 7, 505),
    ]);
  });

  it('writes a file that parses back to the same trace', () => {
    expect(parseTrace(formatTrace(trace))).toEqual(trace);
  });

  it('estimates output as the nearest power of two, at least 128; rounds service up', () => {
    expect([0, 44, 100, 129, 191, 192, 1000].map((g) => maxOutputTokens(g, 128))).toEqual([
      128, 128, 128, 128, 128, 256, 1024,
    ]);
    expect(maxOutputTokens(700, 128)).toBe(512);
    const options = { ...AZURE_DEFAULTS, service: 'x' };
    const service = (contextTokens: number, generatedTokens: number): number =>
      serviceTimeMs({ arrivalMs: 0, contextTokens, generatedTokens }, options);
    expect(service(1020, 0)).toBe(404);
    expect(service(1021, 1)).toBe(425);
  });

  it('refuses a malformed file with the line and the rule', () => {
    const noFraction = 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1,2\n';
    expect(() => parseAzureCsv(noFraction))
      .toThrow('csv:2: TIMESTAMP must be YYYY-MM-DD HH:MM:SS.fffffff');
    expect(() => parseAzureCsv('a,b\n')).toThrow('the header must be');
  });
});
