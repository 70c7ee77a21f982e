import { CreateTransferStatus } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';
import {
  CAPACITY,
  heldOn,
  hold,
  ledger,
  RESOURCE,
  START_MS,
  statuses,
  voidOf,
} from './ledger-fixtures.ts';

// Goal: the fault hooks delay requests on the injected clock and never lose or fail one, and
// without faults a request is applied during the call, at the call's instant. Method: submit,
// step the fake clock to just before and at the instant the request should be applied.

const NS = 1_000_000n;

/** Lets every queued promise reaction run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function watch<T>(promise: Promise<T>): { done: () => boolean; value: Promise<T> } {
  let done = false;
  void promise.then(() => void (done = true));
  return { done: () => done, value: promise };
}

describe('fault hooks', () => {
  it('applies a request during the call when no fault is active', async () => {
    const { client, cluster, clock } = await ledger();
    clock.advance(7);
    const answer = client.createTransfers([hold(1n, 3n, 60)]);

    // Applied before the caller yields: the state already shows it.
    expect(cluster.inspectAccount(RESOURCE)?.debits_pending).toBe(3n);
    const [result] = await answer;
    expect(result?.timestamp).toBe(BigInt(START_MS + 7) * NS);
  });

  it('applies and answers a request `latency` ms later, at its arrival instant', async () => {
    const { client, cluster, clock } = await ledger();
    cluster.setLatency(50);
    const answer = watch(client.createTransfers([hold(1n, 3n, 60)]));

    clock.advance(49);
    await settle();
    expect(answer.done()).toBe(false);
    expect(cluster.inspectAccount(RESOURCE)?.debits_pending).toBe(0n);
    expect(cluster.requestsInFlight()).toBe(1);

    clock.advance(1);
    const [result] = await answer.value;
    expect(result?.timestamp).toBe(BigInt(START_MS + 50) * NS);
    expect(cluster.requestsInFlight()).toBe(0);
  });

  it('holds requests while unavailable until an instant, then applies them then', async () => {
    const { client, cluster, clock } = await ledger();
    cluster.setUnavailable(START_MS + 300);
    expect(cluster.isAvailable()).toBe(false);
    const answer = watch(client.createTransfers([hold(1n, 3n, 60)]));

    clock.set(START_MS + 299);
    await settle();
    expect(answer.done()).toBe(false);

    clock.set(START_MS + 300);
    const [result] = await answer.value;
    expect(statusName(result?.status)).toBe('created');
    expect(result?.timestamp).toBe(BigInt(START_MS + 300) * NS);
    expect(cluster.counters().delayedByUnavailability).toBe(1);
  });

  it('holds requests while down until told otherwise, then applies them in order', async () => {
    const { client, cluster, clock } = await ledger();
    const other = cluster.client();
    cluster.setUnavailable(true);
    const first = watch(client.createTransfers([hold(1n, CAPACITY, 60)]));
    clock.advance(10);
    const second = watch(other.createTransfers([hold(2n, 1n, 60)]));

    clock.advance(60_000);
    await settle();
    expect(first.done() || second.done()).toBe(false);

    cluster.setUnavailable(false);
    const [a] = await first.value;
    const [b] = await second.value;
    // Arrival order: the first takes all the capacity, the second no longer fits.
    expect([statusName(a?.status), statusName(b?.status)]).toEqual(['created', 'exceeds_credits']);
    expect(a!.timestamp).toBe(BigInt(START_MS + 60_010) * NS);
    expect(b!.timestamp).toBe(a!.timestamp + 1n);
  });

  it('applies a delayed request after the expiries due by its instant', async () => {
    const { client, cluster, clock } = await ledger();
    expect(await statuses(client, [hold(1n, CAPACITY, 1)])).toEqual(['created']);
    cluster.setUnavailable(START_MS + 1000);
    const answer = client.createTransfers([hold(2n, CAPACITY, 60)]);
    clock.set(START_MS + 1000);
    expect((await answer).map((r) => statusName(r.status))).toEqual(['created']);
  });

  it('keeps every account, transfer and burned id across a restart', async () => {
    const { client, cluster, clock } = await ledger();
    expect(await statuses(client, [hold(1n, 4n, 60), hold(2n, CAPACITY, 60)])).toEqual([
      'created',
      'exceeds_credits',
    ]);
    const lastBefore = cluster.state.lastEventTimestampNs;

    cluster.restart();
    expect(cluster.counters().restarts).toBe(1);
    expect(await heldOn(client)).toBe(4n);
    expect(await statuses(client, [hold(2n, 1n, 60)])).toEqual(['id_already_failed']);
    expect(await statuses(client, [hold(1n, 4n, 60)])).toEqual(['exists']);
    expect(await statuses(client, [voidOf(3n, 1n)])).toEqual(['created']);
    expect(cluster.state.lastEventTimestampNs).toBeGreaterThan(lastBefore);
    expect(clock.now()).toBe(START_MS);
  });

  it('answers a request in flight during a restart after the restart', async () => {
    const { client, cluster, clock } = await ledger();
    cluster.setLatency(20);
    const answer = watch(client.createTransfers([hold(1n, 4n, 60)]));
    clock.advance(10);
    cluster.restart({ downtimeMs: 500 });

    clock.advance(499);
    await settle();
    expect(answer.done()).toBe(false);
    clock.advance(1);
    const [result] = await answer.value;
    expect(statusName(result?.status)).toBe('created');
    expect(result?.timestamp).toBe(BigInt(START_MS + 510) * NS);
  });
});

function statusName(status: number | undefined): string {
  return status === undefined ? 'none' : (CreateTransferStatus[status] ?? String(status));
}
