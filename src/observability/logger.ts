/**
 * Structured logging: one event a line, with the fields that explain it. The library only ever
 * logs through a Logger it was handed; the default discards everything.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { log: () => undefined };

/** Collects events in memory, for tests that assert what was logged. */
export class MemoryLogger implements Logger {
  readonly events: Array<{ level: LogLevel; event: string; fields: LogFields }> = [];

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    this.events.push({ level, event, fields });
  }
}

/** Writes JSON lines to a stream; bigints are written as decimal strings. */
export class JsonLineLogger implements Logger {
  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number,
    private readonly minimum: LogLevel = 'info',
  ) {}

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    if (LEVELS[level] < LEVELS[this.minimum]) return;
    const line = JSON.stringify({ time: this.now(), level, event, ...fields }, (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    this.write(line + '\n');
  }
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
