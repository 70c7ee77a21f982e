/**
 * Cases the fuzzer found with faults (restarts and cluster outages), kept as traces and replayed
 * on memory and TigerBeetle: each once reported a violation and must now replay clean.
 * - 1047: a lease known only from the ledger after a restart was allowed again on another key
 *   and a later complete freed that hold (a TigerBeetle backend bug).
 * - 1056: a reserve answered backend_error on a key whose state the model had lost track of was
 *   not counted as possibly holding (a reference-model bug: a false alarm).
 */
import { expect, test } from 'vitest';

import type { Io } from '../../sim/commands/args.ts';
import { replayCommand } from '../../sim/commands/replay.ts';
import { waitForQuiet } from './cli.ts';

const CASES = [
  'test/fixtures/sim/fuzz-1047-ledger-lease.jsonl',
  'test/fixtures/sim/fuzz-1056-put-in-outage.jsonl',
];

for (const file of CASES) {
  test(`${file} replays with no difference and no violation`, async () => {
    const out: string[] = [];
    const io: Io = {
      out: (line) => void out.push(line),
      err: () => undefined,
      wallMs: () => 0,
      waitForQuiet,
    };

    const code = await replayCommand([file], io);

    expect(out.join('\n')).not.toMatch(/violation \(|difference \(/);
    expect(code).toBe(0);
  });
}
