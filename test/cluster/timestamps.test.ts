import { describe, expect, it } from 'vitest';
import { CAPACITY, hold, ledger, RESOURCE, START_MS, account } from './ledger-fixtures.ts';

// Goal: every event takes a timestamp `max(last + 1, now_ms · 1e6)`, failed or not, so they are
// strictly increasing; `created` answers the new object's timestamp, `exists` the original one's,
// and every other status the event's own slot (as TigerBeetle 0.17 answers).

const NS = 1_000_000n;

describe('event timestamps', () => {
  it('are now·1e6 for the first event of an instant, then one more per event', async () => {
    const { client, clock, cluster } = await ledger();
    clock.advance(5);
    const results = await client.createTransfers([
      hold(1n, 1n, 60),
      hold(2n, CAPACITY, 60),
      hold(3n, 1n, 60),
    ]);
    const base = BigInt(START_MS + 5) * NS;
    expect(results.map((r) => r.timestamp)).toEqual([base, base + 1n, base + 2n]);

    // Same instant: the next request continues after the last event.
    const [next] = await client.createTransfers([hold(4n, 1n, 60)]);
    expect(next?.timestamp).toBe(base + 3n);
    expect(cluster.state.lastEventTimestampNs).toBe(base + 3n);

    // The stored transfer carries the timestamp its creation answered.
    const [stored] = await client.lookupTransfers([1n]);
    expect(stored?.timestamp).toBe(base);
  });

  it('answers exists with the original timestamp', async () => {
    const { client, clock } = await ledger();
    const [created] = await client.createTransfers([hold(1n, 1n, 60)]);
    clock.advance(100);
    const [again] = await client.createTransfers([hold(1n, 1n, 60)]);
    expect(again?.timestamp).toBe(created?.timestamp);

    const [accountAgain] = await client.createAccounts([account(RESOURCE, 2)]);
    const [found] = await client.lookupAccounts([RESOURCE]);
    expect(accountAgain?.timestamp).toBe(found?.timestamp);
  });

  it('keeps the slot timestamp of events rolled back with their chain', async () => {
    const { client, clock } = await ledger();
    clock.advance(1);
    const results = await client.createTransfers([hold(1n, 1n, 60, 1), hold(2n, CAPACITY, 60)]);
    const base = BigInt(START_MS + 1) * NS;
    expect(results.map((r) => r.timestamp)).toEqual([base, base + 1n]);
  });

  it('keep increasing when the clock steps back', async () => {
    const { client, clock } = await ledger();
    clock.set(START_MS + 1000);
    const [late] = await client.createTransfers([hold(1n, 1n, 60)]);
    clock.set(START_MS);
    const [early] = await client.createTransfers([hold(2n, 1n, 60)]);
    expect(early!.timestamp).toBe(late!.timestamp + 1n);
  });

  it('are strictly increasing over many requests and instants', async () => {
    const { client, clock } = await ledger();
    let last = 0n;
    for (let i = 0; i < 50; i++) {
      if (i % 7 === 0) clock.advance(1);
      const batch = [hold(BigInt(10 * i + 10), 0n, 60), hold(BigInt(10 * i + 11), 0n, 60, 1)];
      batch.push(hold(BigInt(10 * i + 12), 0n, 60));
      for (const result of await client.createTransfers(batch)) {
        expect(result.timestamp).toBeGreaterThan(last);
        last = result.timestamp;
      }
    }
  });
});
