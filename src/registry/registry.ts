import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

import { assert } from '../domain/assert.ts';
import type { LimitState } from '../domain/limits.ts';
import { applyDecrease, planPut, type PutPlan } from '../domain/transitions.ts';
import type { LimitDefinition } from '../domain/limits.ts';
import { validateDefinition } from '../domain/validate.ts';
import { integerIn } from '../domain/validate.ts';
import { MAX_AMOUNT } from '../domain/numbers.ts';
import { writeFileAtomic, type AtomicWriteHooks } from './atomic-file.ts';

/** A limit state plus how many changes it has seen (names each change's ledger transfer). */
export interface RegistryEntry {
  state: LimitState;
  revision: number;
}

interface RegistryFile {
  version: 1;
  limits: Array<LimitState & { revision: number }>;
}

export class RegistryFileError extends Error {
  override name = 'RegistryFileError';
}

/**
 * The limits in force. Every change is persisted (atomically, when a file is configured) before
 * it is visible to readers or acknowledged to callers. Leases are never persisted.
 */
export class LimitRegistry {
  private readonly entries = new Map<string, RegistryEntry>();

  private constructor(
    private readonly file: string | undefined,
    private readonly hooks: AtomicWriteHooks,
  ) {}

  /** An empty registry that lives in memory only. */
  static inMemory(): LimitRegistry {
    return new LimitRegistry(undefined, {});
  }

  /**
   * Loads `file`. A missing file is an empty registry; an unreadable or invalid one is a
   * RegistryFileError naming the file and the problem.
   */
  static open(file: string, hooks: AtomicWriteHooks = {}): LimitRegistry {
    const registry = new LimitRegistry(file, hooks);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // An empty registry, but only where it can later be written: a typo in the folder is
        // an error now, not on the first put.
        if (!isFolder(dirname(file))) {
          throw new RegistryFileError(`${file}: its folder ${dirname(file)} does not exist`);
        }
        return registry;
      }
      throw new RegistryFileError(`${file}: cannot be read: ${(error as Error).message}`);
    }
    for (const entry of parseRegistryFile(file, text)) {
      registry.entries.set(entry.state.definition.key, entry);
    }
    return registry;
  }

  get(key: string): LimitState | undefined {
    return this.entries.get(key)?.state;
  }

  entry(key: string): RegistryEntry | undefined {
    return this.entries.get(key);
  }

  /** Every state, in key order so that listings are stable. */
  list(): LimitState[] {
    return [...this.entries.keys()].sort().map((key) => this.entries.get(key)!.state);
  }

  decreasing(): LimitState[] {
    return this.list().filter((state) => state.status === 'decreasing');
  }

  /** What a put of `definition` would do, without doing it. */
  plan(definition: LimitDefinition): PutPlan {
    return planPut(this.get(definition.key), definition);
  }

  /** The revision the next change of `key` will carry. */
  nextRevision(key: string): number {
    return (this.entries.get(key)?.revision ?? 0) + 1;
  }

  /** Persists and applies a planned put. Throws (changing nothing) if it cannot be persisted. */
  commit(plan: PutPlan): void {
    assert(plan.outcome !== 'kind_immutable', 'a refused put cannot be committed');
    this.replace(plan.next);
  }

  /** Persists and applies a pending decrease of `key`. */
  commitDecrease(key: string): LimitState {
    const state = this.get(key);
    assert(state !== undefined, `commitDecrease: unknown key ${key}`);
    const next = applyDecrease(state);
    this.replace(next);
    return next;
  }

  private replace(state: LimitState): void {
    const key = state.definition.key;
    const entry: RegistryEntry = { state, revision: this.nextRevision(key) };
    const previous = this.entries.get(key);

    this.entries.set(key, entry);
    try {
      this.persist();
    } catch (error) {
      // Not durable, so not applied: restore what readers saw before.
      if (previous === undefined) this.entries.delete(key);
      else this.entries.set(key, previous);
      throw error;
    }
  }

  private persist(): void {
    if (this.file === undefined) return;
    const body: RegistryFile = {
      version: 1,
      limits: [...this.entries.keys()].sort().map((key) => {
        const entry = this.entries.get(key)!;
        return { ...entry.state, revision: entry.revision };
      }),
    };
    writeFileAtomic(this.file, JSON.stringify(body, null, 2) + '\n', this.hooks);
  }
}

function parseRegistryFile(file: string, text: string): RegistryEntry[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new RegistryFileError(`${file}: is not JSON: ${(error as Error).message}`);
  }
  const bad = (problem: string): never => {
    throw new RegistryFileError(`${file}: ${problem}`);
  };

  if (typeof body !== 'object' || body === null) bad('must hold an object');
  const { version, limits } = body as Partial<RegistryFile>;
  if (version !== 1) bad('version: must be 1');
  if (!Array.isArray(limits)) bad('limits: must be an array');

  const entries: RegistryEntry[] = [];
  const seen = new Set<string>();
  (limits as unknown[]).forEach((raw, i) => {
    const where = `limits[${i}]`;
    if (typeof raw !== 'object' || raw === null) bad(`${where}: must be an object`);
    const item = raw as Record<string, unknown>;
    const definitionValue = item.definition;
    const isObject = typeof definitionValue === 'object' && definitionValue !== null;
    if (!isObject || Array.isArray(definitionValue)) bad(`${where}.definition: must be an object`);
    const checked = validateDefinition(definitionValue);
    if (!checked.ok) bad(`${where}.definition.${checked.detail}`);
    const definition = (checked as { value: LimitDefinition }).value;
    if (seen.has(definition.key)) bad(`${where}: key ${definition.key} appears twice`);
    seen.add(definition.key);

    const status = item.status;
    if (status !== 'active' && status !== 'decreasing') bad(`${where}.status: bad value`);
    let pending: number | null = null;
    if (status === 'decreasing') {
      try {
        pending = integerIn(item.pending_decrease_to, 'x', 0, definition.capacity - 1);
      } catch {
        bad(`${where}.pending_decrease_to: must be below the capacity while decreasing`);
      }
    } else if (item.pending_decrease_to !== null && item.pending_decrease_to !== undefined) {
      bad(`${where}.pending_decrease_to: must be null while active`);
    }
    let revision = 0;
    try {
      revision = integerIn(item.revision, 'x', 1, MAX_AMOUNT);
    } catch {
      bad(`${where}.revision: must be a positive integer`);
    }

    entries.push({
      state: { definition, status: status as LimitState['status'], pending_decrease_to: pending },
      revision,
    });
  });
  return entries;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
