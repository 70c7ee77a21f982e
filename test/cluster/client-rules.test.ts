import { describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_REQUEST } from '../../src/backends/tigerbeetle/ledger-client.ts';
import { SimulatedClientError } from '../../sim/cluster/index.ts';
import { heldOn, hold, ledger, RESOURCE, statuses, transfer } from './ledger-fixtures.ts';

// Goal: the simulated client holds callers to TigerBeetle's client rules, so a backend that
// breaks one fails here and not first in production. Method: break each rule once.

function zeroHolds(count: number, firstId = 1000n) {
  return Array.from({ length: count }, (_, i) => hold(firstId + BigInt(i), 0n, 60));
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SimulatedClientError) return error.code;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('client rules', () => {
  it('refuses a second request while one is in flight, without applying it', async () => {
    const { client, cluster } = await ledger();
    const first = client.createTransfers([hold(1n, 1n, 60)]);
    const second = client.createTransfers([hold(2n, 1n, 60)]);

    expect(await refusal(second)).toBe('ERR_REQUEST_IN_FLIGHT');
    expect((await first).length).toBe(1);
    expect(cluster.inspectTransfer(2n)).toBeUndefined();
    expect(cluster.counters().refused).toBe(1);

    // Once the answer is delivered the client takes the next request.
    expect(await statuses(client, [hold(2n, 1n, 60)])).toEqual(['created']);
  });

  it('refuses the second request in flight under latency too', async () => {
    const { client, cluster, clock } = await ledger();
    cluster.setLatency(5);
    const first = client.lookupAccounts([RESOURCE]);
    expect(await refusal(client.lookupAccounts([RESOURCE]))).toBe('ERR_REQUEST_IN_FLIGHT');
    clock.advance(5);
    expect((await first).length).toBe(1);
  });

  it('lets two clients each have a request in flight', async () => {
    const { client, cluster } = await ledger();
    const other = cluster.client();
    const [a, b] = await Promise.all([
      client.createTransfers([hold(1n, 1n, 60)]),
      other.createTransfers([hold(2n, 1n, 60)]),
    ]);
    expect([a.length, b.length]).toEqual([1, 1]);
    expect(await heldOn(client)).toBe(2n);
  });

  it(`takes ${MAX_EVENTS_PER_REQUEST} events and refuses one more`, async () => {
    const { client, cluster } = await ledger();
    const full = await client.createTransfers(zeroHolds(MAX_EVENTS_PER_REQUEST));
    expect(full).toHaveLength(MAX_EVENTS_PER_REQUEST);

    const tooMany = zeroHolds(MAX_EVENTS_PER_REQUEST + 1, 100_000n);
    expect(await refusal(client.createTransfers(tooMany))).toBe('ERR_TOO_MUCH_DATA');
    expect(cluster.inspectTransfer(100_000n)).toBeUndefined();

    const ids = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, (_, i) => BigInt(i + 1));
    expect(await refusal(client.lookupAccounts(ids))).toBe('ERR_TOO_MUCH_DATA');
  });

  it('answers an empty request with an empty list', async () => {
    const { client, cluster } = await ledger();
    const before = cluster.counters().requests;
    expect(await client.createTransfers([])).toEqual([]);
    expect(await client.createAccounts([])).toEqual([]);
    expect(await client.lookupAccounts([])).toEqual([]);
    expect(await client.lookupTransfers([])).toEqual([]);
    expect(cluster.counters().requests).toBe(before);
  });

  it('refuses fields outside their wire range', async () => {
    const { client } = await ledger();
    const negative = hold(1n, -1n, 60);
    expect(await refusal(client.createTransfers([negative]))).toBe('ERR_INVALID_EVENT');
    const fraction = { ...hold(1n, 1n, 60), timeout: 1.5 };
    expect(await refusal(client.createTransfers([fraction]))).toBe('ERR_INVALID_EVENT');
    expect(await refusal(client.lookupTransfers([1n << 128n]))).toBe('ERR_INVALID_EVENT');
  });

  it('refuses imported batches, which it does not model, and answers a stray import', async () => {
    const { client } = await ledger();
    const imported = { ...hold(1n, 1n, 0), timeout: 0, flags: 256, timestamp: 5n };
    expect(await refusal(client.createTransfers([imported]))).toBe('ERR_NOT_MODELLED');
    expect(await statuses(client, [hold(2n, 1n, 60), imported])).toEqual([
      'created',
      'imported_event_not_expected',
    ]);
  });

  it('refuses requests after destroy, and the answer of one in flight', async () => {
    const { client, cluster, clock } = await ledger();
    cluster.setLatency(10);
    const inFlight = client.createTransfers([hold(1n, 1n, 60)]);
    client.destroy();
    clock.advance(10);
    expect(await refusal(inFlight)).toBe('ERR_CLIENT_CLOSED');
    // It was on the wire, so the cluster applied it.
    expect(cluster.inspectTransfer(1n)?.pendingState).toBe('pending');
    expect(await refusal(client.lookupAccounts([RESOURCE]))).toBe('ERR_CLIENT_CLOSED');
  });

  it('does not let the caller change a request after sending it', async () => {
    const { client, cluster, clock } = await ledger();
    cluster.setLatency(10);
    const event = transfer({ id: 1n, debit_account_id: RESOURCE, credit_account_id: 1n });
    event.amount = 1n;
    const answer = client.createTransfers([event]);
    event.amount = 999n;
    clock.advance(10);
    await answer;
    expect(cluster.inspectTransfer(1n)?.transfer.amount).toBe(1n);
  });
});
