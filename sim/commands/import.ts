import { readFileSync, writeFileSync } from 'node:fs';

import { parseAzureCsv } from '../traces/azure-csv.ts';
import {
  AZURE_DEFAULTS,
  defaultService,
  importAzureRows,
  type AzureImportOptions,
} from '../traces/azure-import.ts';
import { formatTrace, type SimTrace } from '../traces/trace-io.ts';
import { decimal, integer, parse, text, UsageError, type Io } from './args.ts';

const D = AZURE_DEFAULTS;
export const IMPORT_USAGE = `ratelimiter-sim import azure CSV [--out FILE] [options]
  Converts an Azure LLM inference trace (TIMESTAMP,ContextTokens,GeneratedTokens) into a trace.
  --out FILE                 write here (default: standard output)
  --rows N                   only the first N rows
  --service NAME             key prefix (default: the file name without .csv)
  --seed N                   seed of the lease ids (default ${D.seed})
  --tenants N                tenants, by a hash of the row index (default ${D.tenants})
  --rpm N --tpm N            requests and tokens per minute (default ${D.rpm}, ${D.tpm})
  --concurrency N            requests in flight (default ${D.concurrency})
  --concurrency-timeout S    seconds a concurrency hold lasts (default ` +
  `${D.concurrencyTimeoutSeconds})
  --tenant-daily N           each tenant's tokens per rolling day (default ${D.tenantDailyTokens})
  --min-output N             smallest maximum-output estimate (default ${D.minOutputTokens})
  --service-base-ms X --ms-per-generated X --ms-per-context X
                             service time model (default ${D.serviceBaseMs}, ` +
  `${D.serviceMsPerGeneratedToken}, ${D.serviceMsPerContextToken})`;

const OPTIONS = {
  out: { type: 'string' },
  rows: { type: 'string' },
  service: { type: 'string' },
  seed: { type: 'string' },
  tenants: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  concurrency: { type: 'string' },
  'concurrency-timeout': { type: 'string' },
  'tenant-daily': { type: 'string' },
  'min-output': { type: 'string' },
  'service-base-ms': { type: 'string' },
  'ms-per-generated': { type: 'string' },
  'ms-per-context': { type: 'string' },
} as const;

/** Reads an Azure CSV and converts it with the given options (the defaults otherwise). */
export function importAzureFile(
  file: string,
  options: Partial<AzureImportOptions> = {},
  rowLimit?: number,
): SimTrace {
  let rows = parseAzureCsv(readFileSync(file, 'utf8'), file);
  if (rowLimit !== undefined) rows = rows.slice(0, rowLimit);
  const service = defaultService(file);
  return importAzureRows(rows, file, { ...AZURE_DEFAULTS, service, ...options });
}

export async function importCommand(args: string[], io: Io): Promise<number> {
  const parsed = parse(args, OPTIONS);
  const [format, file, extra] = parsed.positionals;
  if (format !== 'azure' || file === undefined || extra !== undefined) {
    throw new UsageError('expected `import azure CSV`');
  }

  const options: Partial<AzureImportOptions> = {
    seed: integer(parsed, 'seed', AZURE_DEFAULTS.seed),
    tenants: integer(parsed, 'tenants', AZURE_DEFAULTS.tenants, 1),
    rpm: integer(parsed, 'rpm', AZURE_DEFAULTS.rpm),
    tpm: integer(parsed, 'tpm', AZURE_DEFAULTS.tpm),
    concurrency: integer(parsed, 'concurrency', AZURE_DEFAULTS.concurrency),
    concurrencyTimeoutSeconds: integer(parsed, 'concurrency-timeout',
      AZURE_DEFAULTS.concurrencyTimeoutSeconds, 1),
    tenantDailyTokens: integer(parsed, 'tenant-daily', AZURE_DEFAULTS.tenantDailyTokens),
    minOutputTokens: integer(parsed, 'min-output', AZURE_DEFAULTS.minOutputTokens, 1),
    serviceBaseMs: decimal(parsed, 'service-base-ms', AZURE_DEFAULTS.serviceBaseMs),
    serviceMsPerGeneratedToken: decimal(parsed, 'ms-per-generated',
      AZURE_DEFAULTS.serviceMsPerGeneratedToken),
    serviceMsPerContextToken: decimal(parsed, 'ms-per-context',
      AZURE_DEFAULTS.serviceMsPerContextToken),
  };
  const service = text(parsed, 'service');
  if (service !== undefined) options.service = service;
  const rows = parsed.values.rows === undefined ? undefined : integer(parsed, 'rows', 0, 1);

  const trace = importAzureFile(file, options, rows);
  const body = formatTrace(trace);
  const out = text(parsed, 'out');
  if (out === undefined) {
    io.out(body.slice(0, -1));
  } else {
    writeFileSync(out, body);
    io.err(`import: ${trace.events.length} events from ${file} written to ${out}`);
  }
  return 0;
}
