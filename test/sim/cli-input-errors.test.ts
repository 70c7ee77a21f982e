/**
 * A user's mistake (a missing file, a file of the wrong kind, an unknown backend) is one line
 * and exit code 2; exit code 3 with a stack is kept for real crashes.
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

import { isInputProblem, InputError } from '../../sim/input-error.ts';
import { targetFactory } from '../../sim/engine/targets/index.ts';

test('file-system errors and InputErrors are input problems; other errors are not', () => {
  const missing = Object.assign(new Error('ENOENT: no such file'), {
    code: 'ENOENT',
    syscall: 'open',
  });
  expect(isInputProblem(missing)).toBe(true);
  expect(isInputProblem(new InputError('bad trace'))).toBe(true);
  expect(isInputProblem(new TypeError('x is undefined'))).toBe(false);
  expect(() => targetFactory('nope')).toThrow(InputError);
});

test('the CLI answers a wrong input file with one line and exit code 2', () => {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'sim/cli.ts', 'import', 'azure', 'README.md'],
    { encoding: 'utf8' },
  );

  expect(run.status).toBe(2);
  expect(run.stderr.trim()).toBe(
    'ratelimiter-sim import: README.md:1: ' +
      'the header must be TIMESTAMP,ContextTokens,GeneratedTokens',
  );
  expect(run.stderr).not.toMatch(/\n\s+at /);
});
