/**
 * Rows of an Azure LLM inference trace (Azure Public Dataset, AzureLLMInferenceDataset2023):
 * `TIMESTAMP,ContextTokens,GeneratedTokens`, the timestamp in UTC as
 * `YYYY-MM-DD HH:MM:SS.fffffff` (seven fractional digits), rows sorted by arrival.
 */
import { InputError } from '../input-error.ts';

export interface AzureRow {
  /** Arrival, milliseconds since the Unix epoch (the fraction beyond a millisecond dropped). */
  arrivalMs: number;
  contextTokens: number;
  generatedTokens: number;
}

const HEADER = 'TIMESTAMP,ContextTokens,GeneratedTokens';
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{7})$/;
const COUNT = /^(0|[1-9]\d*)$/;

export class AzureCsvError extends InputError {
  override name = 'AzureCsvError';
}

/** Parses the whole file; throws AzureCsvError naming the line and the rule broken. */
export function parseAzureCsv(text: string, file = 'csv'): AzureRow[] {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== HEADER) {
    throw new AzureCsvError(`${file}:1: the header must be ${HEADER}`);
  }

  const rows: AzureRow[] = [];
  let previousMs = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const where = `${file}:${i + 1}`;
    const [stamp, context, generated, extra] = line.split(',');
    const columns = [stamp, context, generated];
    if (extra !== undefined || columns.some((column) => column === undefined)) {
      throw new AzureCsvError(`${where}: must have exactly three columns`);
    }
    const arrivalMs = parseTimestamp(stamp!, where);
    if (arrivalMs < previousMs) throw new AzureCsvError(`${where}: rows must be sorted by time`);
    previousMs = arrivalMs;
    rows.push({
      arrivalMs,
      contextTokens: parseCount(context!, `${where}: ContextTokens`),
      generatedTokens: parseCount(generated!, `${where}: GeneratedTokens`),
    });
  }
  return rows;
}

function parseTimestamp(text: string, where: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (m === null) {
    throw new AzureCsvError(`${where}: TIMESTAMP must be YYYY-MM-DD HH:MM:SS.fffffff`);
  }
  const [, year, month, day, hour, minute, second, fraction] = m.map(Number) as number[];
  const wholeMs = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  // Seven digits are 100 ns steps; the trace keeps whole milliseconds.
  return wholeMs + Math.floor(fraction! / 10_000);
}

function parseCount(text: string, where: string): number {
  const value = text.trim();
  if (!COUNT.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new AzureCsvError(`${where}: must be a whole number`);
  }
  return Number(value);
}
