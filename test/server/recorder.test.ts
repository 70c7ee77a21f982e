/** The trace recorder: events in the order tickets were taken, and one trace per file. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { FileTraceSink, MemoryTraceSink, TraceRecorder } from '../../src/server/recorder.ts';

describe('TraceRecorder', () => {
  it('writes events in ticket order, holding back answers that come early', () => {
    const sink = new MemoryTraceSink();
    const recorder = new TraceRecorder({ sink });
    recorder.start([], 1000, 5);
    const first = recorder.begin('reserve', 10);
    const second = recorder.begin('complete', 11);

    second.finish({ request: { n: 2 }, status: 200, response: { ok: true } });
    expect(sink.lines).toHaveLength(1);
    expect(recorder.pending).toBe(2);

    first.finish({ request: { n: 1 }, status: 400, response: { error: 'invalid_request' } });
    first.finish({ request: { n: 99 }, status: 500, response: {} });
    const events = sink.lines.slice(1).map((line) => JSON.parse(line));
    expect(events.map((e) => [e.op, e.at_ms, e.request.n, e.status])).toEqual([
      ['reserve', 10, 1, 400],
      ['complete', 11, 2, 200],
    ]);
    expect(recorder.pending).toBe(0);
    expect(sink.lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n')))
      .toBe(true);
  });

  it('refuses a file that already holds a trace, and appends to an empty one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ratelimiterd-recorder-'));
    try {
      const used = join(folder, 'used.jsonl');
      writeFileSync(used, '{"type":"header"}\n');
      expect(() => new FileTraceSink(used)).toThrow(/already holds data/);
      expect(readFileSync(used, 'utf8')).toBe('{"type":"header"}\n');

      const fresh = join(folder, 'fresh.jsonl');
      const sink = new FileTraceSink(fresh);
      const recorder = new TraceRecorder({ sink, seed: 3 });
      recorder.start([], 500, 0);
      const ticket = recorder.begin('list_limits', 1);
      ticket.finish({ request: null, status: 200, response: { limits: [] } });
      await recorder.flush();
      await recorder.close();
      const lines = readFileSync(fresh, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ type: 'header', seed: 3, decrease_poll_ms: 500 });
      expect(lines[1]).toEqual({
        type: 'event',
        at_ms: 1,
        op: 'list_limits',
        request: null,
        status: 200,
        response: { limits: [] },
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
