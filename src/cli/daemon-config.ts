/**
 * ratelimiterd's configuration: flags, then RATELIMITERD_* environment variables, then an
 * optional config file (YAML or JSON), then defaults — the first that sets an option wins.
 * Every bad value is refused with the option's name (as it was given) and the rule it broke.
 */
import { parse as parseYaml } from 'yaml';

import { DEFAULT_DECREASE_POLL_MS } from '../backends/options.ts';
import { DEFAULT_BATCH_MAX } from '../domain/numbers.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../domain/retry-policy.ts';
import type { LogLevel } from '../observability/logger.ts';
import {
  decimal,
  hostPort,
  integer,
  nonEmpty,
  oneOf,
  OptionError,
  splitArgs,
  type Parse,
} from './options.ts';

export interface DaemonConfig {
  listen: { host: string; port: number };
  registry: string;
  backend: 'memory' | 'tigerbeetle';
  tbCluster: bigint;
  tbAddresses: string[];
  tbClients: number;
  tbRequestTimeoutMs: number;
  retryPolicy: RetryPolicy;
  batchMax: number;
  decreasePollMs: number;
  bodyLimitBytes: number;
  adminToken: string | undefined;
  record: string | undefined;
  seed: number | undefined;
  logLevel: LogLevel;
  /** The config file read, if any. */
  configFile: string | undefined;
}

export type ConfigResult =
  | { kind: 'run'; config: DaemonConfig }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

interface OptionSpec {
  name: string;
  valueName: string;
  help: string;
  /** Shown in --help; undefined means "not set". */
  defaultText?: string;
  parse: Parse<unknown>;
}

const MAX_MS = 24 * 60 * 60 * 1000;
const d = DEFAULT_RETRY_POLICY;

function u128(text: string): bigint {
  if (!/^[0-9]+$/.test(text.trim())) throw new OptionError('must be a whole number below 2^128');
  const value = BigInt(text.trim());
  if (value >= 1n << 128n) throw new OptionError('must be a whole number below 2^128');
  return value;
}

function addressList(text: string): string[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^([^\s,:]+:)?[0-9]{1,5}$/.test(part))) {
    throw new OptionError('must be a comma-separated list of PORT or HOST:PORT');
  }
  return parts;
}

function token(text: string): string {
  if (!/^[\x21-\x7e]{16,512}$/.test(text)) {
    throw new OptionError('must be 16 to 512 printable ASCII characters without whitespace');
  }
  return text;
}

const OPTIONS: readonly OptionSpec[] = [
  { name: 'listen', valueName: 'HOST:PORT', help: 'address to listen on (port 0: any free port)',
    defaultText: '127.0.0.1:8080', parse: hostPort },
  { name: 'registry', valueName: 'FILE', help: 'the limit registry file (created if missing)',
    defaultText: './limits.json', parse: nonEmpty() },
  { name: 'backend', valueName: 'NAME', help: 'memory or tigerbeetle',
    defaultText: 'memory', parse: oneOf(['memory', 'tigerbeetle'] as const) },
  { name: 'tb-cluster', valueName: 'ID', help: 'TigerBeetle cluster id',
    defaultText: '0', parse: u128 },
  { name: 'tb-addresses', valueName: 'LIST', help: 'TigerBeetle replica addresses, comma-separated',
    defaultText: '3000', parse: addressList },
  { name: 'tb-clients', valueName: 'N', help: 'TigerBeetle clients in the pool',
    defaultText: '1', parse: integer(1, 64) },
  { name: 'tb-request-timeout-ms', valueName: 'MS',
    help: 'bounded wait for a TigerBeetle request before backend_error',
    defaultText: '5000', parse: integer(1, MAX_MS) },
  { name: 'retry-concurrency-base-ms', valueName: 'MS', help: 'concurrency hint base',
    defaultText: String(d.concurrency.base_ms), parse: integer(0, MAX_MS) },
  { name: 'retry-concurrency-max-ms', valueName: 'MS', help: 'concurrency hint cap',
    defaultText: String(d.concurrency.max_ms), parse: integer(0, MAX_MS) },
  { name: 'retry-concurrency-factor', valueName: 'X', help: 'concurrency hint growth per denial',
    defaultText: String(d.concurrency.factor), parse: decimal(1, 100) },
  { name: 'retry-concurrency-jitter-ms', valueName: 'MS', help: 'concurrency hint jitter',
    defaultText: String(d.concurrency.jitter_ms), parse: integer(0, MAX_MS) },
  { name: 'retry-rolling-base-ms', valueName: 'MS', help: 'rolling hint base',
    defaultText: String(d.rolling.base_ms), parse: integer(0, MAX_MS) },
  { name: 'retry-rolling-max-ms', valueName: 'MS', help: 'rolling hint cap',
    defaultText: String(d.rolling.max_ms), parse: integer(0, MAX_MS) },
  { name: 'retry-rolling-factor', valueName: 'X', help: 'rolling hint growth per denial',
    defaultText: String(d.rolling.factor), parse: decimal(1, 100) },
  { name: 'retry-rolling-jitter-ms', valueName: 'MS', help: 'rolling hint jitter',
    defaultText: String(d.rolling.jitter_ms), parse: integer(0, MAX_MS) },
  { name: 'retry-rolling-window-fraction', valueName: 'X',
    help: 'rolling hint base as a fraction of the window',
    defaultText: String(d.rolling.window_fraction), parse: decimal(0, 1) },
  { name: 'retry-decreasing-ms', valueName: 'MS', help: 'hint while a key is decreasing',
    defaultText: String(d.decreasing_ms), parse: integer(0, MAX_MS) },
  { name: 'batch-max', valueName: 'N', help: 'most items in one batch request',
    defaultText: String(DEFAULT_BATCH_MAX), parse: integer(1, 8189) },
  { name: 'decrease-poll-ms', valueName: 'MS', help: 'tick period: decreases, purges',
    defaultText: String(DEFAULT_DECREASE_POLL_MS), parse: integer(1, 3_600_000) },
  { name: 'body-limit-bytes', valueName: 'BYTES', help: 'largest request body',
    defaultText: String(1024 * 1024), parse: integer(1024, 64 * 1024 * 1024) },
  { name: 'admin-token', valueName: 'TOKEN',
    help: 'require "Authorization: Bearer TOKEN" on /v1/admin (prefer the environment)',
    parse: token },
  { name: 'record', valueName: 'FILE', help: 'record every request to this trace file (new)',
    parse: nonEmpty() },
  { name: 'seed', valueName: 'N',
    help: 'seed the retry jitter (repeatable hints); default: drawn at start',
    parse: integer(0, Number.MAX_SAFE_INTEGER) },
  { name: 'log-level', valueName: 'LEVEL', help: 'debug, info, warn or error',
    defaultText: 'info', parse: oneOf(['debug', 'info', 'warn', 'error'] as const) },
  { name: 'config', valueName: 'FILE', help: 'read options from a YAML or JSON file',
    parse: nonEmpty() },
];

const SWITCHES = new Set(['help']);
const KNOWN = new Set([...OPTIONS.map((o) => o.name), ...SWITCHES]);
const SPECS = new Map(OPTIONS.map((o) => [o.name, o]));

export function envName(option: string): string {
  return `RATELIMITERD_${option.toUpperCase().replace(/-/g, '_')}`;
}

export function helpText(): string {
  const lines = [
    'Usage: ratelimiterd [options]',
    '',
    'Serves the rate limiter HTTP API (spec/http-api.md) over the memory or TigerBeetle backend.',
    'Each option can also be set by environment variable (shown) or in a --config file, by its',
    'name (dashes or underscores). Flags win over the environment, which wins over the file.',
    '',
  ];
  for (const o of OPTIONS) {
    const left = `  --${o.name} ${o.valueName}`;
    const def = o.defaultText === undefined ? '' : ` (default ${o.defaultText})`;
    lines.push(`${left.padEnd(40)} ${o.help}${def}`);
    lines.push(`${''.padEnd(40)} env ${envName(o.name)}`);
  }
  lines.push(`${'  --help'.padEnd(40)} show this help and exit`);
  lines.push('', 'Exit status: 0 after a clean shutdown (SIGTERM, SIGINT), 2 for a bad option, ' +
    '1 otherwise.');
  return lines.join('\n') + '\n';
}

/** Where a raw value came from, to name it in an error. */
interface Raw {
  text: string;
  source: string;
}

export function parseDaemonConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string,
): ConfigResult {
  try {
    const flags = splitArgs(argv, SWITCHES, KNOWN);
    if (flags.has('help')) return { kind: 'help', text: helpText() };

    const raw = new Map<string, Raw>();
    const configFile = flags.get('config') ?? env[envName('config')];
    if (configFile !== undefined && configFile !== '') {
      for (const [name, text] of readConfigFile(configFile, readFile)) {
        raw.set(name, { text, source: `${configFile}: ${name}` });
      }
    }
    for (const o of OPTIONS) {
      const value = env[envName(o.name)];
      if (value !== undefined) raw.set(o.name, { text: value, source: envName(o.name) });
    }
    for (const [name, text] of flags) raw.set(name, { text, source: `--${name}` });

    return { kind: 'run', config: build(raw, configFile || undefined) };
  } catch (error) {
    if (error instanceof OptionError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function build(raw: Map<string, Raw>, configFile: string | undefined): DaemonConfig {
  const get = <T>(name: string): T | undefined => {
    const spec = SPECS.get(name)!;
    const given = raw.get(name) ?? (spec.defaultText === undefined ? undefined : {
      text: spec.defaultText,
      source: `default of --${name}`,
    });
    if (given === undefined) return undefined;
    try {
      return spec.parse(given.text) as T;
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      const got = JSON.stringify(given.text);
      throw new OptionError(`${given.source}: ${error.message} (got ${got})`);
    }
  };
  const need = <T>(name: string): T => get<T>(name)!;

  const retryPolicy: RetryPolicy = {
    concurrency: {
      base_ms: need('retry-concurrency-base-ms'),
      max_ms: need('retry-concurrency-max-ms'),
      factor: need('retry-concurrency-factor'),
      jitter_ms: need('retry-concurrency-jitter-ms'),
    },
    rolling: {
      base_ms: need('retry-rolling-base-ms'),
      max_ms: need('retry-rolling-max-ms'),
      factor: need('retry-rolling-factor'),
      jitter_ms: need('retry-rolling-jitter-ms'),
      window_fraction: need('retry-rolling-window-fraction'),
    },
    decreasing_ms: need('retry-decreasing-ms'),
  };
  for (const kind of ['concurrency', 'rolling'] as const) {
    if (retryPolicy[kind].max_ms < retryPolicy[kind].base_ms) {
      throw new OptionError(
        `--retry-${kind}-max-ms: must be at least --retry-${kind}-base-ms ` +
          `(${retryPolicy[kind].max_ms} < ${retryPolicy[kind].base_ms})`,
      );
    }
  }

  return {
    listen: need('listen'),
    registry: need('registry'),
    backend: need('backend'),
    tbCluster: need('tb-cluster'),
    tbAddresses: need('tb-addresses'),
    tbClients: need('tb-clients'),
    tbRequestTimeoutMs: need('tb-request-timeout-ms'),
    retryPolicy,
    batchMax: need('batch-max'),
    decreasePollMs: need('decrease-poll-ms'),
    bodyLimitBytes: need('body-limit-bytes'),
    adminToken: get('admin-token'),
    record: get('record'),
    seed: get('seed'),
    logLevel: need('log-level'),
    configFile,
  };
}

/** The file's entries as option name → text. Only scalars; names as flags or snake_case. */
function readConfigFile(file: string, readFile: (file: string) => string): Map<string, string> {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new OptionError(`${file}: cannot be read: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    // Integers as bigints, so a cluster id or a seed is never rounded on the way in.
    body = parseYaml(text, { intAsBigInt: true });
  } catch (error) {
    throw new OptionError(`${file}: is not YAML or JSON: ${(error as Error).message}`);
  }
  if (body === null || body === undefined) return new Map();
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new OptionError(`${file}: must hold a mapping of option names to values`);
  }

  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(body)) {
    const name = key.replace(/_/g, '-');
    if (!SPECS.has(name) || name === 'config') {
      throw new OptionError(`${file}: ${key}: is not a known option (see --help)`);
    }
    if (Array.isArray(value) && name === 'tb-addresses') {
      entries.set(name, value.map(String).join(','));
      continue;
    }
    if (typeof value === 'object' && value !== null) {
      throw new OptionError(`${file}: ${key}: must be a single value`);
    }
    entries.set(name, String(value));
  }
  return entries;
}
