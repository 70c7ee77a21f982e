/**
 * Records what the server was asked and what it answered, as a trace (src/trace/format.ts,
 * spec/trace-format.md) that `ratelimiter-sim replay` can run again.
 *
 * Events are written in the order the server handed requests to the backend (the order a
 * ticket was taken), not the order answers came back, so `at_ms` never decreases and a replay
 * applies operations in the order the server did. A ticket that is still open holds back the
 * tickets after it; the number of open tickets is bounded by the requests in flight.
 */
import { closeSync, createWriteStream, fstatSync, openSync, type WriteStream } from 'node:fs';

import type { LimitState } from '../domain/limits.ts';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceEvent,
  type TraceHeader,
  type TraceOp,
} from '../trace/format.ts';

/** Where trace lines go: append-only, one JSON line each. */
export interface TraceSink {
  write(line: string): void;
  /** Resolves once every line written so far has reached its destination. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Appends to a file. Refuses a file that already holds something: one file, one trace. */
export class FileTraceSink implements TraceSink {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly file: string) {
    const fd = openSync(file, 'a');
    try {
      if (fstatSync(fd).size > 0) {
        throw new Error(`${file}: already holds data; a trace must start in an empty file`);
      }
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.stream = createWriteStream(file, { fd, flags: 'a' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  write(line: string): void {
    if (this.failure === undefined) this.stream.write(line);
  }

  flush(): Promise<void> {
    // An empty write's callback runs after every earlier write has been handed to the file.
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      this.stream.write('', (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stream.closed) {
        resolve();
        return;
      }
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }
}

/** Keeps lines in memory, for tests. */
export class MemoryTraceSink implements TraceSink {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

export interface TraceRecorderOptions {
  sink: TraceSink;
  /** The seed of the server's retry-jitter source, when it has one. */
  seed?: number;
  source?: string;
}

export interface TraceOutcome {
  /** The body as parsed (null when there was none or it did not parse). */
  request: unknown;
  key?: string;
  status: number;
  response: unknown;
}

/** One request's place in the trace. `finish` must be called exactly once. */
export interface TraceTicket {
  finish(outcome: TraceOutcome): void;
  /**
   * Leaves the request out of the trace: it never reached the backend for a reason a replay
   * does not model (a refused admin token), so replaying it would apply what was refused.
   */
  drop(): void;
}

interface OpenTicket {
  /** undefined while waiting for the answer; null when dropped. */
  event: TraceEvent | null | undefined;
  op: TraceOp;
  atMs: number;
}

export class TraceRecorder {
  private readonly open: OpenTicket[] = [];
  private started = false;

  constructor(private readonly options: TraceRecorderOptions) {}

  /**
   * Writes the header: the limits in force now. A limit that is decreasing is written with the
   * capacity in force, followed by a generated put_limit event (no status, no response) that
   * asks for the pending capacity, which puts it back in the same state on replay.
   */
  start(limits: readonly LimitState[], decreasePollMs: number, atMs: number): void {
    if (this.started) throw new Error('trace recorder started twice');
    this.started = true;

    const header: TraceHeader = {
      type: 'header',
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      source: this.options.source ?? 'ratelimiterd',
      limits: limits.map((state) => state.definition),
      decrease_poll_ms: decreasePollMs,
    };
    if (this.options.seed !== undefined) header.seed = this.options.seed;
    this.writeLine(header);

    for (const state of limits) {
      if (state.status !== 'decreasing' || state.pending_decrease_to === null) continue;
      const request = { ...state.definition, capacity: state.pending_decrease_to };
      this.writeLine({ type: 'event', at_ms: atMs, op: 'put_limit', request });
    }
  }

  /** Takes the request's place in the trace; call when the request is handed to the backend. */
  begin(op: TraceOp, atMs: number): TraceTicket {
    const ticket: OpenTicket = { event: undefined, op, atMs };
    this.open.push(ticket);

    let finished = false;
    return {
      finish: (outcome) => {
        if (finished) return;
        finished = true;
        ticket.event = {
          type: 'event',
          at_ms: ticket.atMs,
          op: ticket.op,
          request: outcome.request ?? null,
          status: outcome.status,
          response: outcome.response,
        };
        if (outcome.key !== undefined) ticket.event.key = outcome.key;
        this.writeFinished();
      },
      drop: () => {
        if (finished) return;
        finished = true;
        ticket.event = null;
        this.writeFinished();
      },
    };
  }

  /** Tickets still waiting for their answer (or for an earlier ticket's answer). */
  get pending(): number {
    return this.open.length;
  }

  flush(): Promise<void> {
    return this.options.sink.flush();
  }

  close(): Promise<void> {
    return this.options.sink.close();
  }

  private writeFinished(): void {
    let written = 0;
    while (written < this.open.length && this.open[written]!.event !== undefined) {
      const event = this.open[written]!.event;
      if (event !== null) this.writeLine(event!);
      written++;
    }
    if (written > 0) this.open.splice(0, written);
  }

  private writeLine(line: TraceHeader | TraceEvent): void {
    this.options.sink.write(stringifyTraceLine(line) + '\n');
  }
}

/**
 * JSON with bigints as decimal strings. Numbers that did not parse exactly stay as the marker
 * objects parseExactJson made (`{"$inexactNumber":"1.5"}`), so a replay sees the same input.
 */
export function stringifyTraceLine(line: unknown): string {
  return JSON.stringify(line, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}
