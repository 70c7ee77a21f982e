import type { Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { CreateTransferStatus } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';

import {
  LedgerTimeoutError,
  type SubmitOutcome,
  Submitter,
  type SubmitterSettings,
} from '../../src/backends/tigerbeetle/submitter.ts';
import { linkChain, pendingTransfer } from '../../src/backends/tigerbeetle/transfers.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { randomInt, SeededRandom } from '../../src/time/random.ts';
import { ScriptedLedger, settle } from './scripted-ledger.ts';

let nextId = 1n;

/** A chain of `length` pending transfers with fresh ids. */
function chain(length: number): Transfer[] {
  return linkChain(
    Array.from({ length }, () => pendingTransfer(nextId++, 10n, 20n, 1n, 60, false)),
  );
}

interface Harness {
  clock: FakeClock;
  ledger: ScriptedLedger;
  submitter: Submitter;
  outcomes: Map<Transfer[], SubmitOutcome[]>;
  submit(transfers: Transfer[]): Transfer[];
}

function harness(clients: number, settings: SubmitterSettings = {}): Harness {
  const clock = new FakeClock(1_000_000);
  const ledger = new ScriptedLedger();
  const submitter = new Submitter({ clock, ledgers: ledger.clients(clients), ...settings });
  const outcomes = new Map<Transfer[], SubmitOutcome[]>();
  const submit = (transfers: Transfer[]): Transfer[] => {
    outcomes.set(transfers, []);
    submitter.submit(transfers, (outcome) => outcomes.get(transfers)!.push(outcome));
    return transfers;
  };
  return { clock, ledger, submitter, outcomes, submit };
}

/** Every request holds whole items, in submission order, and at most `max` events. */
function expectWholeItems(h: Harness, items: Transfer[][], max: number): void {
  const firstIds = new Map(items.map((item) => [item[0]!.id, item]));
  for (const request of h.ledger.requests) {
    expect(request.transfers.length).toBeLessThanOrEqual(max);
    let i = 0;
    while (i < request.transfers.length) {
      const item = firstIds.get(request.transfers[i]!.id);
      expect(item, 'a request starts an item mid-chain').toBeDefined();
      expect(request.transfers.slice(i, i + item!.length)).toEqual(item);
      i += item!.length;
    }
  }
}

describe('Submitter', () => {
  it('sends everything submitted before the caller yields as one request', async () => {
    const h = harness(1);
    const items = [h.submit(chain(2)), h.submit(chain(1)), h.submit(chain(3))];
    expect(h.ledger.requests).toHaveLength(0);

    await settle();
    expect(h.ledger.requests).toHaveLength(1);
    expect(h.ledger.requests[0]!.transfers).toEqual(items.flat());
    for (const item of items) expect(h.outcomes.get(item)).toHaveLength(1);
  });

  it('never splits a chain and never exceeds the event limit', async () => {
    const h = harness(1, { maxEventsPerRequest: 5 });
    h.ledger.manual = true;
    const items = [h.submit(chain(3)), h.submit(chain(3)), h.submit(chain(2)), h.submit(chain(5))];
    await settle();
    expect(h.ledger.requests.map((r) => r.transfers.length)).toEqual([3]);

    while (h.ledger.pending().length > 0) {
      h.ledger.pending()[0]!.answer();
      await settle();
    }
    expect(h.ledger.requests.map((r) => r.transfers.length)).toEqual([3, 5, 5]);
    expectWholeItems(h, items, 5);
    for (const item of items) expect(h.outcomes.get(item)).toHaveLength(1);
  });

  it('with a linger interval, sends when the interval ends on the injected clock', async () => {
    const h = harness(1, { lingerMs: 10 });
    const first = h.submit(chain(1));
    await settle();
    h.clock.advance(9);
    await settle();
    expect(h.ledger.requests).toHaveLength(0);

    const second = h.submit(chain(2));
    h.clock.advance(1);
    expect(h.ledger.requests).toHaveLength(1);
    expect(h.ledger.requests[0]!.transfers).toEqual([...first, ...second]);
  });

  it('with a linger interval, sends a full request at once', () => {
    const h = harness(1, { lingerMs: 1000, maxEventsPerRequest: 4 });
    h.submit(chain(2));
    h.submit(chain(2));
    expect(h.ledger.requests).toHaveLength(1);
    expect(h.ledger.requests[0]!.transfers).toHaveLength(4);
  });

  it('hands each caller the statuses of its own events, in event order', async () => {
    const h = harness(3, { maxEventsPerRequest: 7 });
    h.ledger.manual = true;
    h.ledger.statusOf = (t) =>
      t.id % 3n === 0n ? CreateTransferStatus.exceeds_credits : CreateTransferStatus.created;
    const random = new SeededRandom(20240611);
    console.log('submitter mapping test seed 20240611');

    const items: Transfer[][] = [];
    for (let round = 0; round < 40; round++) {
      const burst = randomInt(random, 1, 6);
      for (let i = 0; i < burst; i++) items.push(h.submit(chain(randomInt(random, 1, 4))));
      await settle();
      // Answer a random subset of the requests in flight, in a random order.
      for (const request of h.ledger.pending()) {
        if (randomInt(random, 0, 1) === 1) request.answer();
      }
      await settle();
    }
    while (h.ledger.pending().length > 0) {
      for (const request of h.ledger.pending()) request.answer();
      await settle();
    }

    expect(h.ledger.violations).toEqual([]);
    expectWholeItems(h, items, 7);
    expect(new Set(h.ledger.requests.map((r) => r.client)).size).toBe(3);
    for (const item of items) {
      const outcomes = h.outcomes.get(item)!;
      expect(outcomes).toHaveLength(1);
      const outcome = outcomes[0]!;
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) continue;
      expect(outcome.results.map((r) => r.timestamp)).toEqual(item.map((t) => t.id * 1000n));
      expect(outcome.results.map((r) => r.status)).toEqual(item.map((t) => h.ledger.statusOf(t)));
    }
  });

  it('keeps one request in flight per client; a slow request holds only its client', async () => {
    const h = harness(2);
    h.ledger.manual = true;
    const slow = h.submit(chain(1));
    await settle();
    const fast = h.submit(chain(1));
    await settle();
    expect(h.ledger.requests.map((r) => r.client)).toEqual([0, 1]);

    h.ledger.requests[1]!.answer();
    await settle();
    expect(h.outcomes.get(fast)).toHaveLength(1);
    expect(h.outcomes.get(slow)).toHaveLength(0);

    // The free client takes what comes next; once both are busy, new items wait for one.
    const third = h.submit(chain(1));
    const fourth = h.submit(chain(1));
    await settle();
    expect(h.ledger.requests[2]).toMatchObject({ client: 1, transfers: [...third, ...fourth] });
    const fifth = h.submit(chain(1));
    await settle();
    expect(h.ledger.requests).toHaveLength(3);

    h.ledger.requests[0]!.answer();
    await settle();
    expect(h.outcomes.get(slow)).toHaveLength(1);
    expect(h.ledger.requests[3]).toMatchObject({ client: 0, transfers: fifth });
    expect(h.ledger.violations).toEqual([]);
  });

  it('fails an unanswered item after the bounded wait and ignores the late answer', async () => {
    const h = harness(1, { requestTimeoutMs: 5000 });
    h.ledger.manual = true;
    const inFlight = h.submit(chain(2));
    await settle();
    h.clock.advance(3000);
    const queued = h.submit(chain(1)); // waits behind the stuck request
    await settle();

    h.clock.advance(1999);
    expect(h.outcomes.get(inFlight)).toHaveLength(0);
    h.clock.advance(1);
    expect(h.outcomes.get(inFlight)).toEqual([{ ok: false, reason: 'timeout', error: undefined }]);
    expect(h.outcomes.get(queued)).toHaveLength(0);

    h.clock.advance(3000);
    expect(h.outcomes.get(queued)).toEqual([{ ok: false, reason: 'timeout', error: undefined }]);

    // The late answer changes nothing, and the queued item, already answered, is not sent.
    h.ledger.requests[0]!.answer();
    await settle();
    expect(h.outcomes.get(inFlight)).toHaveLength(1);
    expect(h.ledger.requests).toHaveLength(1);
    expect(h.submitter.pending).toBe(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('fails the items of a request the client rejects', async () => {
    const h = harness(1);
    h.ledger.manual = true;
    const item = h.submit(chain(1));
    await settle();
    const boom = new Error('connection reset');
    h.ledger.requests[0]!.fail(boom);
    await settle();
    expect(h.outcomes.get(item)).toEqual([{ ok: false, reason: 'failed', error: boom }]);
  });

  it('runs calls on a free client within the bounded wait', async () => {
    const h = harness(1, { requestTimeoutMs: 100 });
    const found = await h.submitter.call((ledger) => ledger.lookupAccounts([1n]));
    expect(found).toEqual([]);

    h.ledger.manual = true;
    h.submit(chain(1));
    await settle();
    const call = h.submitter.call((ledger) => ledger.lookupTransfers([1n]));
    const rejected = expect(call).rejects.toBeInstanceOf(LedgerTimeoutError);
    h.clock.advance(100);
    await rejected;
  });

  it('leaves no timer on the clock once everything is answered', async () => {
    const h = harness(2);
    for (let i = 0; i < 10; i++) h.submit(chain(2));
    await settle();
    expect(h.submitter.pending).toBe(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });
});
