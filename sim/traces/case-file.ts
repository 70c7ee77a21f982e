import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { TRACE_FORMAT, TRACE_VERSION } from '../../src/trace/format.ts';
import type { SimOp } from '../engine/operations.ts';
import { formatTrace, type SimTrace } from './trace-io.ts';
import { opToEvent } from './trace-ops.ts';

/**
 * A case file: an operation list written as a trace (no limits in the header, the puts are
 * events), so that `ratelimiter-sim replay FILE` runs exactly this list again.
 */
export function caseTrace(
  ops: readonly SimOp[],
  source: string,
  seed: number,
  pollMs: number,
): SimTrace {
  return {
    header: {
      type: 'header',
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      source,
      limits: [],
      seed,
      decrease_poll_ms: pollMs,
    },
    events: ops.map(opToEvent),
  };
}

export function writeCaseFile(file: string, trace: SimTrace): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatTrace(trace));
}
