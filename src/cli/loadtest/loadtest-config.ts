/** ratelimiter-loadtest's flags. Bounded: at most 1024 clients, 300 s, 10 million requests. */
import { integer, nonEmpty, oneOf, OptionError, splitArgs, type Parse } from '../options.ts';

export interface LoadtestConfig {
  /** The server to load; loopback only. Ignored with `target` bare or in-process. */
  url: string;
  /**
   * url: a ratelimiterd; bare-url: a bare route started by --serve-bare (no admin API, no
   * check); bare, in-process: started in this process; serve-bare: only serve a bare route.
   */
  target: 'url' | 'bare-url' | 'bare' | 'in-process' | 'serve-bare';
  connections: number;
  durationS: number;
  mode: 'single' | 'batch';
  batchSize: number;
  keys: number;
  capacity: number;
  windowSeconds: number;
  maxRequests: number;
  adminToken: string | undefined;
  /** Complete each allowed reserve (the default), or send reserves only. */
  completes: 'yes' | 'no';
  /**
   * raw (the load tool's own keep-alive connections, cheapest, so the server is what is
   * measured), or the client library's HttpLimiter over node-http or fetch.
   */
  client: 'raw' | 'node-http' | 'fetch';
}

export type LoadtestConfigResult =
  | { kind: 'run'; config: LoadtestConfig }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

interface Spec {
  name: string;
  value: string;
  help: string;
  defaultText?: string;
  parse: Parse<unknown>;
}

const SPECS: readonly Spec[] = [
  { name: 'url', value: 'URL', help: 'the ratelimiterd to load (loopback addresses only)',
    defaultText: 'http://127.0.0.1:8080', parse: loopbackUrl },
  { name: 'connections', value: 'N', help: 'concurrent clients', defaultText: '64',
    parse: integer(1, 1024) },
  { name: 'duration', value: 'S', help: 'seconds to run', defaultText: '10',
    parse: integer(1, 300) },
  { name: 'mode', value: 'MODE', help: 'single (POST /v1/reserve) or batch', defaultText: 'single',
    parse: oneOf(['single', 'batch'] as const) },
  { name: 'batch-size', value: 'N', help: 'reserves per batch request', defaultText: '32',
    parse: integer(1, 8189) },
  { name: 'keys', value: 'N', help: 'rolling keys the load is spread over', defaultText: '4',
    parse: integer(1, 1000) },
  { name: 'capacity', value: 'N', help: 'capacity of each key', defaultText: '2000',
    parse: integer(1, Number.MAX_SAFE_INTEGER) },
  { name: 'window-seconds', value: 'S', help: 'window of each key', defaultText: '1',
    parse: integer(1, 3600) },
  { name: 'max-requests', value: 'N', help: 'stop after this many HTTP requests',
    defaultText: '10000000', parse: integer(1, 10_000_000) },
  { name: 'client', value: 'NAME', help: 'raw, or HttpLimiter over node-http or fetch',
    defaultText: 'raw', parse: oneOf(['raw', 'node-http', 'fetch'] as const) },
  { name: 'completes', value: 'yes|no', help: 'complete what was allowed (no: reserves only)',
    defaultText: 'yes', parse: oneOf(['yes', 'no'] as const) },
  { name: 'admin-token', value: 'TOKEN', help: 'the server\'s admin token, if it has one',
    parse: nonEmpty() },
];
const SWITCHES = new Set(['help', 'bare', 'in-process', 'serve-bare']);
const KNOWN = new Set([...SPECS.map((s) => s.name), ...SWITCHES]);

/** Refuses anything but a loopback host: this tool must never load another machine. */
export function loopbackUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OptionError('must be a URL such as http://127.0.0.1:8080');
  }
  if (url.protocol !== 'http:') throw new OptionError('must be an http:// URL');
  const host = url.hostname;
  const loopback = /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host) || host === '[::1]' ||
    host === 'localhost';
  if (!loopback) {
    throw new OptionError(`must name a loopback host (127.0.0.0/8, [::1], localhost), not ${host}`);
  }
  return url.origin;
}

export function loadtestHelp(): string {
  const lines = [
    'Usage: ratelimiter-loadtest [options]',
    '',
    'Loads a ratelimiterd on this machine with reserves (and completes for what is allowed),',
    'prints rates, latency percentiles and answer counts, then checks from the answers that no',
    'rolling key admitted more than its capacity within any window. It creates its own keys.',
    '',
  ];
  for (const s of SPECS) {
    const def = s.defaultText === undefined ? '' : ` (default ${s.defaultText})`;
    lines.push(`${`  --${s.name} ${s.value}`.padEnd(28)} ${s.help}${def}`);
  }
  lines.push(`${'  --bare'.padEnd(28)} load a bare fastify route in this process instead, or,`);
  lines.push(`${''.padEnd(28)} with --url, one that --serve-bare started in another process`);
  lines.push(`${'  --serve-bare'.padEnd(28)} only serve the bare route on 127.0.0.1 (port 0),`);
  lines.push(`${''.padEnd(28)} print its URL, stop on SIGTERM/SIGINT or after --duration s`);
  lines.push(`${'  --in-process'.padEnd(28)} load a ratelimiterd (memory) started in this process`);
  lines.push(`${'  --help'.padEnd(28)} show this help`);
  return lines.join('\n') + '\n';
}

export function parseLoadtestConfig(argv: readonly string[]): LoadtestConfigResult {
  try {
    const given = splitArgs(argv, SWITCHES, KNOWN);
    if (given.has('help')) return { kind: 'help', text: loadtestHelp() };
    if (given.has('bare') && given.has('in-process')) {
      throw new OptionError('--bare: cannot be combined with --in-process');
    }

    const value = <T>(name: string): T | undefined => {
      const spec = SPECS.find((s) => s.name === name)!;
      const text = given.get(name) ?? spec.defaultText;
      if (text === undefined) return undefined;
      try {
        return spec.parse(text) as T;
      } catch (error) {
        if (!(error instanceof OptionError)) throw error;
        throw new OptionError(`--${name}: ${error.message} (got ${JSON.stringify(text)})`);
      }
    };
    let target: LoadtestConfig['target'] = 'url';
    if (given.has('bare')) target = given.has('url') ? 'bare-url' : 'bare';
    if (given.has('in-process')) target = 'in-process';
    if (given.has('serve-bare')) target = 'serve-bare';

    return {
      kind: 'run',
      config: {
        url: value('url')!,
        target,
        connections: value('connections')!,
        durationS: value('duration')!,
        mode: value('mode')!,
        batchSize: value('batch-size')!,
        keys: value('keys')!,
        capacity: value('capacity')!,
        windowSeconds: value('window-seconds')!,
        maxRequests: value('max-requests')!,
        adminToken: value('admin-token'),
        completes: value('completes')!,
        client: value('client')!,
      },
    };
  } catch (error) {
    if (error instanceof OptionError) return { kind: 'error', message: error.message };
    throw error;
  }
}
