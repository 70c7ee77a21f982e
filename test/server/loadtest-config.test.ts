/** ratelimiter-loadtest's flags: loopback only, bounded values. */
import { describe, expect, it } from 'vitest';

import { parseLoadtestConfig } from '../../src/cli/loadtest/loadtest-config.ts';

const error = (argv: string[]): string => {
  const result = parseLoadtestConfig(argv);
  if (result.kind !== 'error') throw new Error(`expected an error, got ${result.kind}`);
  return result.message;
};

describe('ratelimiter-loadtest flags', () => {
  it('accepts loopback URLs only', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.1.2.3:1', 'http://[::1]:80']) {
      const result = parseLoadtestConfig(['--url', url]);
      expect(result.kind).toBe('run');
    }
    expect(error(['--url', 'http://10.0.0.1:8080'])).toBe(
      '--url: must name a loopback host (127.0.0.0/8, [::1], localhost), not 10.0.0.1 ' +
        '(got "http://10.0.0.1:8080")',
    );
    expect(error(['--url', 'http://example.com'])).toMatch(/not example\.com/);
    expect(error(['--url', 'https://127.0.0.1'])).toMatch(/must be an http:\/\/ URL/);
  });

  it('bounds clients, time and requests', () => {
    expect(error(['--connections', '5000'])).toBe(
      '--connections: must be an integer from 1 to 1024 (got "5000")',
    );
    expect(error(['--duration', '0'])).toBe(
      '--duration: must be an integer from 1 to 300 (got "0")',
    );
    expect(error(['--bare', '--in-process'])).toBe('--bare: cannot be combined with --in-process');
    const result = parseLoadtestConfig(['--mode', 'batch', '--batch-size', '64', '--bare']);
    expect(result).toMatchObject({
      kind: 'run',
      config: { mode: 'batch', batchSize: 64, target: 'bare', connections: 64, durationS: 10 },
    });
  });

  it('defaults to the raw client with completes, and tells a bare URL from a bare process', () => {
    expect(parseLoadtestConfig([])).toMatchObject({
      kind: 'run',
      config: { client: 'raw', completes: 'yes', target: 'url' },
    });
    expect(parseLoadtestConfig(['--bare', '--url', 'http://127.0.0.1:9'])).toMatchObject({
      kind: 'run',
      config: { target: 'bare-url', url: 'http://127.0.0.1:9' },
    });
    expect(parseLoadtestConfig(['--serve-bare'])).toMatchObject({
      kind: 'run',
      config: { target: 'serve-bare' },
    });
    expect(parseLoadtestConfig(['--completes', 'no', '--client', 'fetch'])).toMatchObject({
      kind: 'run',
      config: { completes: 'no', client: 'fetch' },
    });
    expect(error(['--completes', 'maybe'])).toMatch(/^--completes: /);
  });
});
