import { readFileSync } from 'node:fs';

import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceEvent,
  type TraceHeader,
} from '../../src/trace/format.ts';
import { stringifyTraceLine } from '../../src/server/recorder.ts';
import type { SimOpName } from '../engine/operations.ts';
import { InputError } from '../input-error.ts';
import { SIM_OP_NAMES } from '../engine/operations.ts';

/**
 * A trace as the simulator reads it: the header, then events. Besides the events a server
 * records, a case file written by the simulator may hold its own operations (`advance`, `tick`,
 * `restart`, `unavailable`) and a `fault` on a request (spec/simulator.md, Case files).
 */
export interface SimTrace {
  header: TraceHeader;
  events: SimTraceEvent[];
}

export interface SimTraceEvent extends Omit<TraceEvent, 'op'> {
  op: SimOpName;
  fault?: 'duplicate' | 'lost' | 'late';
  for_ms?: number;
}

export class TraceFileError extends InputError {
  override name = 'TraceFileError';
}

export function readTraceFile(file: string): SimTrace {
  return parseTrace(readFileSync(file, 'utf8'), file);
}

export function parseTrace(text: string, file = 'trace'): SimTrace {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new TraceFileError(`${file}: is empty`);

  const header = parseLine(lines[0]!, `${file}:1`) as TraceHeader;
  if (header.type !== 'header' || header.format !== TRACE_FORMAT) {
    throw new TraceFileError(`${file}:1: must be a ${TRACE_FORMAT} header`);
  }
  if (header.version !== TRACE_VERSION) {
    const version = String(header.version);
    throw new TraceFileError(`${file}:1: version ${version} is not ${TRACE_VERSION}`);
  }
  if (!Array.isArray(header.limits)) throw new TraceFileError(`${file}:1: limits must be an array`);

  const events: SimTraceEvent[] = [];
  let previousMs = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    const event = parseLine(lines[i]!, where) as SimTraceEvent;
    if (event.type !== 'event' || !SIM_OP_NAMES.has(event.op)) {
      throw new TraceFileError(`${where}: must be an event with a known op`);
    }
    if (!Number.isSafeInteger(event.at_ms) || event.at_ms < previousMs) {
      throw new TraceFileError(`${where}: at_ms must be a whole number that never decreases`);
    }
    previousMs = event.at_ms;
    events.push(event);
  }
  return { header, events };
}

export function formatTrace(trace: SimTrace): string {
  let text = stringifyTraceLine(trace.header) + '\n';
  for (const event of trace.events) text += stringifyTraceLine(event) + '\n';
  return text;
}

function parseLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new TraceFileError(`${where}: is not JSON: ${(error as Error).message}`);
  }
}
