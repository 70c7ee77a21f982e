import { describe, expect, it } from 'vitest';

import { Sequencer } from '../../src/backends/tigerbeetle/sequencer.ts';
import { settle } from './scripted-ledger.ts';

/** An operation that logs when it starts and finishes when the test says. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('Sequencer', () => {
  it('starts operations of different leases at once, in call order', () => {
    const sequencer = new Sequencer();
    const started: string[] = [];
    for (const lease of ['a', 'b', 'c']) {
      void sequencer.run({ leaseId: lease }, async () => void started.push(lease));
    }
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('holds an operation of a busy lease, and everything behind it', async () => {
    const sequencer = new Sequencer();
    const started: string[] = [];
    const first = gate();
    void sequencer.run({ leaseId: 'a' }, () => (started.push('a1'), first.promise));
    void sequencer.run({ leaseId: 'a' }, async () => void started.push('a2'));
    void sequencer.run({ leaseId: 'b' }, async () => void started.push('b'));
    expect(started).toEqual(['a1']);

    first.open();
    await settle();
    expect(started).toEqual(['a1', 'a2', 'b']);
  });

  it('runs an exclusive operation alone', async () => {
    const sequencer = new Sequencer();
    const started: string[] = [];
    const before = gate();
    const exclusive = gate();
    void sequencer.run({ leaseId: 'a' }, () => (started.push('a'), before.promise));
    void sequencer.run({ exclusive: true }, () => (started.push('x'), exclusive.promise));
    void sequencer.run({ leaseId: 'b' }, async () => void started.push('b'));
    expect(started).toEqual(['a']);

    before.open();
    await settle();
    expect(started).toEqual(['a', 'x']);
    exclusive.open();
    await settle();
    expect(started).toEqual(['a', 'x', 'b']);
    expect(sequencer.size).toBe(0);
  });

  it('passes results and errors through, and goes on after an error', async () => {
    const sequencer = new Sequencer();
    await expect(sequencer.run({}, async () => 7)).resolves.toBe(7);
    await expect(sequencer.run({ leaseId: 'a' }, () => Promise.reject(new Error('x')))).rejects
      .toThrow('x');
    await expect(sequencer.run({ leaseId: 'a' }, async () => 8)).resolves.toBe(8);
    // A synchronous throw is an error of the operation, not of the sequencer.
    await expect(
      sequencer.run({}, () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(sequencer.size).toBe(0);
  });
});
