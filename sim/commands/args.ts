import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(args: string[], options: Options): Parsed {
  try {
    const config = { args, options, allowPositionals: true, strict: true } as const;
    const { values, positionals } = parseArgs(config);
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A whole number option, or `fallback` when absent. */
export function integer(parsed: Parsed, name: string, fallback: number, min = 0): number {
  const raw = parsed.values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const whole = typeof raw === 'string' && /^-?\d+$/.test(raw) && Number.isSafeInteger(value);
  if (!whole || value < min) {
    throw new UsageError(`--${name}: must be a whole number of at least ${min}, ` +
      `got ${String(raw)}`);
  }
  return value;
}

/** A decimal option (a rate), or `fallback`. */
export function decimal(parsed: Parsed, name: string, fallback: number): number {
  const raw = parsed.values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${name}: must be a number of at least 0, got ${String(raw)}`);
  }
  return value;
}

export function text(parsed: Parsed, name: string): string | undefined {
  const raw = parsed.values[name];
  return typeof raw === 'string' ? raw : undefined;
}

export function list(parsed: Parsed, name: string, fallback: string[]): string[] {
  const raw = text(parsed, name);
  if (raw === undefined) return fallback;
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`--${name}: must name at least one item`);
  return items;
}

/** Where the command's own progress and notes go (never stdout, which carries results). */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Wall time in ms, for the clearly marked timing lines only. */
  wallMs: () => number;
  /** A macrotask turn, for the engine (see sim/engine/settle.ts). */
  waitForQuiet: () => Promise<void>;
}
