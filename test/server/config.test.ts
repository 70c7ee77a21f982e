/** ratelimiterd's configuration: precedence (flags > environment > file), help, bad values. */
import { describe, expect, it } from 'vitest';

import { envName, helpText, parseDaemonConfig } from '../../src/cli/daemon-config.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/retry-policy.ts';

const noFile = (file: string): string => {
  throw new Error(`ENOENT: ${file}`);
};
const files = (contents: Record<string, string>) => (file: string): string => {
  const text = contents[file];
  if (text === undefined) throw new Error(`ENOENT: ${file}`);
  return text;
};

function run(argv: string[], env: Record<string, string> = {}, read = noFile) {
  const result = parseDaemonConfig(argv, env, read);
  if (result.kind !== 'run') throw new Error(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
}

function error(argv: string[], env: Record<string, string> = {}, read = noFile): string {
  const result = parseDaemonConfig(argv, env, read);
  if (result.kind !== 'error') throw new Error(`expected an error, got ${result.kind}`);
  return result.message;
}

describe('ratelimiterd configuration', () => {
  it('defaults', () => {
    const config = run([]);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.registry).toBe('./limits.json');
    expect(config.backend).toBe('memory');
    expect(config.batchMax).toBe(256);
    expect(config.decreasePollMs).toBe(1000);
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.retryPolicy).toEqual(DEFAULT_RETRY_POLICY);
    expect(config.tbCluster).toBe(0n);
    expect(config.tbAddresses).toEqual(['3000']);
    expect(config.adminToken).toBeUndefined();
    expect(config.record).toBeUndefined();
    expect(config.seed).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('flags win over the environment, which wins over the file', () => {
    const read = files({
      'ratelimiterd.yaml': [
        'batch-max: 10',
        'decrease_poll_ms: 500',
        'log-level: warn',
        'tb_addresses: [3001, "10.0.0.2:3002"]',
        'tb-cluster: 340282366920938463463374607431768211455',
      ].join('\n'),
    });
    const env = {
      RATELIMITERD_CONFIG: 'ratelimiterd.yaml',
      RATELIMITERD_BATCH_MAX: '20',
      RATELIMITERD_LOG_LEVEL: 'debug',
    };
    const config = run(['--batch-max', '30', '--listen=127.0.0.1:0'], env, read);
    expect(config.batchMax).toBe(30);
    expect(config.logLevel).toBe('debug');
    expect(config.decreasePollMs).toBe(500);
    expect(config.tbAddresses).toEqual(['3001', '10.0.0.2:3002']);
    // A u128 from YAML arrives exactly (read as a bigint, never as a float).
    expect(config.tbCluster).toBe(2n ** 128n - 1n);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 0 });
    expect(config.configFile).toBe('ratelimiterd.yaml');
  });

  it('reads JSON config files and the --config flag', () => {
    const read = files({ 'c.json': '{"seed": 9007199254740991, "retry_rolling_factor": 2.5}' });
    const fromJson = run(['--config', 'c.json'], {}, read);
    expect(fromJson.seed).toBe(9007199254740991);
    expect(fromJson.retryPolicy.rolling.factor).toBe(2.5);
  });

  it('retry policy fields', () => {
    const config = run([
      '--retry-concurrency-base-ms', '10',
      '--retry-concurrency-max-ms', '20',
      '--retry-concurrency-factor', '3',
      '--retry-concurrency-jitter-ms', '0',
      '--retry-rolling-base-ms', '1',
      '--retry-rolling-max-ms', '2',
      '--retry-rolling-factor', '1',
      '--retry-rolling-jitter-ms', '5',
      '--retry-rolling-window-fraction', '0.5',
      '--retry-decreasing-ms', '7',
    ]);
    expect(config.retryPolicy).toEqual({
      concurrency: { base_ms: 10, max_ms: 20, factor: 3, jitter_ms: 0 },
      rolling: { base_ms: 1, max_ms: 2, factor: 1, jitter_ms: 5, window_fraction: 0.5 },
      decreasing_ms: 7,
    });
  });

  it('--help lists every option and its environment variable', () => {
    const result = parseDaemonConfig(['--listen', 'bad', '--help'], {}, noFile);
    expect(result.kind).toBe('help');
    const text = helpText();
    for (const name of [
      'listen', 'registry', 'backend', 'tb-cluster', 'tb-addresses', 'retry-rolling-base-ms',
      'retry-concurrency-jitter-ms', 'retry-decreasing-ms', 'batch-max', 'decrease-poll-ms',
      'admin-token', 'record', 'seed', 'log-level', 'config',
    ]) {
      expect(text).toContain(`--${name} `);
      expect(text).toContain(envName(name));
    }
  });

  describe('bad values name the option and the rule', () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['--batch-max', 'abc'], {}, '--batch-max: must be an integer from 1 to 8189 (got "abc")'],
      [['--batch-max', '0'], {}, '--batch-max: must be an integer from 1 to 8189 (got "0")'],
      [['--batch-max=1.5'], {}, '--batch-max: must be an integer from 1 to 8189 (got "1.5")'],
      [['--listen', '127.0.0.1'], {},
        '--listen: must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8080 ' +
        '(got "127.0.0.1")'],
      [['--listen', '127.0.0.1:70000'], {},
        '--listen: must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8080 ' +
        '(got "127.0.0.1:70000")'],
      [['--backend', 'redis'], {}, '--backend: must be one of memory, tigerbeetle (got "redis")'],
      [['--log-level', 'loud'], {},
        '--log-level: must be one of debug, info, warn, error (got "loud")'],
      [['--seed', '-1'], {}, '--seed: must be an integer from 0 to 9007199254740991 (got "-1")'],
      [['--admin-token', 'short'], {},
        '--admin-token: must be 16 to 512 printable ASCII characters without whitespace ' +
        '(got "short")'],
      [['--tb-cluster', '-3'], {}, '--tb-cluster: must be a whole number below 2^128 (got "-3")'],
      [['--retry-rolling-factor', '0.5'], {},
        '--retry-rolling-factor: must be a number from 1 to 100 (got "0.5")'],
      [['--retry-rolling-max-ms', '10'], {},
        '--retry-rolling-max-ms: must be at least --retry-rolling-base-ms (10 < 100)'],
      [[], { RATELIMITERD_DECREASE_POLL_MS: '0' },
        'RATELIMITERD_DECREASE_POLL_MS: must be an integer from 1 to 3600000 (got "0")'],
      [['--nope'], {}, '--nope: is not a known option (see --help)'],
      [['--batch-max'], {}, '--batch-max: needs a value'],
      [['stray'], {}, 'stray: unexpected argument'],
      [['--help=yes'], {}, '--help: takes no value'],
      [['--config', 'missing.yaml'], {}, 'missing.yaml: cannot be read: ENOENT: missing.yaml'],
    ];
    for (const [argv, env, message] of cases) {
      it(`${argv.join(' ')} ${JSON.stringify(env)}`, () => {
        expect(error(argv, env)).toBe(message);
      });
    }

    it('in a config file', () => {
      const read = files({
        'bad.yaml': 'batch_max: lots\n',
        'unknown.yaml': 'colour: blue\n',
        'nested.yaml': 'listen: {host: x}\n',
        'list.yaml': '- 1\n- 2\n',
        'broken.yaml': 'a: [1,\n',
      });
      expect(error(['--config', 'bad.yaml'], {}, read)).toBe(
        'bad.yaml: batch-max: must be an integer from 1 to 8189 (got "lots")',
      );
      expect(error(['--config', 'unknown.yaml'], {}, read)).toBe(
        'unknown.yaml: colour: is not a known option (see --help)',
      );
      expect(error(['--config', 'nested.yaml'], {}, read)).toBe(
        'nested.yaml: listen: must be a single value',
      );
      expect(error(['--config', 'list.yaml'], {}, read)).toBe(
        'list.yaml: must hold a mapping of option names to values',
      );
      expect(error(['--config', 'broken.yaml'], {}, read)).toMatch(
        /^broken\.yaml: is not YAML or JSON: /,
      );
    });
  });
});
