/**
 * The registry on disk: a round trip through a file in a temporary folder, atomic replacement
 * (no torn file, no temporary file left, a crash before the rename keeps the old file and the
 * old state), and every way a registry file can be wrong.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LimitDefinition } from '../../src/domain/limits.ts';
import { LimitRegistry, RegistryFileError } from '../../src/registry/registry.ts';

const rolling = (key: string, capacity: number): LimitDefinition => ({
  key,
  kind: 'rolling',
  capacity,
  window_seconds: 60,
  overage: 'debt',
});

function put(registry: LimitRegistry, definition: LimitDefinition): void {
  registry.commit(registry.plan(definition));
}

let folder: string;
let file: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'registry-test-'));
  file = join(folder, 'registry.json');
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('registry file', () => {
  it('opens a missing file as an empty registry, without creating it', () => {
    const registry = LimitRegistry.open(file);
    expect(registry.list()).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses, at open, a file whose folder does not exist', () => {
    const astray = join(folder, 'no-such-folder', 'registry.json');
    expect(() => LimitRegistry.open(astray)).toThrow(RegistryFileError);
    expect(() => LimitRegistry.open(astray)).toThrow(
      `${astray}: its folder ${join(folder, 'no-such-folder')} does not exist`,
    );
  });

  it('round-trips every state and revision, leaving no temporary file', () => {
    const registry = LimitRegistry.open(file);
    put(registry, rolling('b', 10));
    put(registry, rolling('a', 5));
    put(registry, rolling('a', 8));
    put(registry, rolling('b', 4)); // decreasing
    put(registry, {
      key: 'slots',
      kind: 'concurrency',
      capacity: 3,
      timeout_seconds: 30,
      overage: 'deny',
      unit: 'calls',
      description: 'in flight',
    });
    expect(readdirSync(folder)).toEqual(['registry.json']);

    const reopened = LimitRegistry.open(file);
    expect(reopened.list()).toEqual(registry.list());
    expect(reopened.entry('a')).toEqual({ state: registry.get('a'), revision: 2 });
    expect(reopened.entry('b')).toEqual({
      state: { definition: rolling('b', 10), status: 'decreasing', pending_decrease_to: 4 },
      revision: 2,
    });
    expect(reopened.nextRevision('slots')).toBe(2);

    reopened.commitDecrease('b');
    expect(LimitRegistry.open(file).entry('b')).toEqual({
      state: { definition: rolling('b', 4), status: 'active', pending_decrease_to: null },
      revision: 3,
    });
  });

  it('survives a crash between writing the temporary file and renaming it', () => {
    let crash = false;
    const registry = LimitRegistry.open(file, {
      afterTempWritten: () => {
        if (crash) throw new Error('crash before rename');
      },
    });
    put(registry, rolling('a', 5));
    const before = readFileSync(file, 'utf8');

    crash = true;
    expect(() => put(registry, rolling('a', 9))).toThrow('crash before rename');
    expect(() => put(registry, rolling('new', 1))).toThrow('crash before rename');

    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(registry.get('a')?.definition.capacity).toBe(5);
    expect(registry.get('new')).toBeUndefined();
    expect(registry.nextRevision('a')).toBe(2);
    expect(readdirSync(folder)).toEqual(['registry.json']);
    expect(LimitRegistry.open(file).list()).toEqual(registry.list());

    crash = false;
    put(registry, rolling('a', 9));
    expect(LimitRegistry.open(file).get('a')?.definition.capacity).toBe(9);
  });

  it('ignores a temporary file left by a crash and replaces it on the next write', () => {
    const registry = LimitRegistry.open(file);
    put(registry, rolling('a', 5));
    writeFileSync(join(folder, `.registry.json.tmp-${process.pid}`), '{"torn');

    expect(LimitRegistry.open(file).list()).toEqual(registry.list());
    put(registry, rolling('a', 6));
    expect(readdirSync(folder)).toEqual(['registry.json']);
    expect(LimitRegistry.open(file).get('a')?.definition.capacity).toBe(6);
  });

  const entry = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    definition: rolling('a', 5),
    status: 'active',
    pending_decrease_to: null,
    revision: 1,
    ...overrides,
  });

  it.each([
    ['not JSON', '{"version": 1,', 'is not JSON'],
    ['not an object', 'null', 'must hold an object'],
    ['another version', '{"version": 2, "limits": []}', 'version: must be 1'],
    ['no list of limits', '{"version": 1}', 'limits: must be an array'],
    ['a limit that is not an object', '{"version":1,"limits":[7]}', 'limits[0]: must be an object'],
    [
      'an invalid definition',
      JSON.stringify({ version: 1, limits: [entry({ definition: rolling('a', -1) })] }),
      'limits[0].definition.capacity: must be an integer from 0 to 9007199254740991',
    ],
    [
      'a missing definition',
      JSON.stringify({ version: 1, limits: [entry({ definition: undefined })] }),
      'limits[0].definition: must be an object',
    ],
    [
      'a definition that is a list',
      JSON.stringify({ version: 1, limits: [entry({ definition: [] })] }),
      'limits[0].definition: must be an object',
    ],
    [
      'a key twice',
      JSON.stringify({ version: 1, limits: [entry(), entry()] }),
      'limits[1]: key a appears twice',
    ],
    [
      'a bad status',
      JSON.stringify({ version: 1, limits: [entry({ status: 'paused' })] }),
      'limits[0].status: bad value',
    ],
    [
      'a decrease not below the capacity',
      JSON.stringify({
        version: 1,
        limits: [entry({ status: 'decreasing', pending_decrease_to: 5 })],
      }),
      'limits[0].pending_decrease_to: must be below the capacity while decreasing',
    ],
    [
      'a pending decrease while active',
      JSON.stringify({ version: 1, limits: [entry({ pending_decrease_to: 2 })] }),
      'limits[0].pending_decrease_to: must be null while active',
    ],
    [
      'a revision of 0',
      JSON.stringify({ version: 1, limits: [entry({ revision: 0 })] }),
      'limits[0].revision: must be a positive integer',
    ],
  ])('refuses a file with %s, naming the file and the problem', (_label, text, problem) => {
    writeFileSync(file, text);
    let error: unknown;
    try {
      LimitRegistry.open(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RegistryFileError);
    expect((error as Error).message).toContain(`${file}: ${problem}`);
  });

  it('refuses a file it cannot read', () => {
    mkdirSync(file);
    expect(() => LimitRegistry.open(file)).toThrow(RegistryFileError);
    expect(() => LimitRegistry.open(file)).toThrow(`${file}: cannot be read`);
  });
});
