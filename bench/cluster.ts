/**
 * Simulated TigerBeetle cluster benchmarks: events per second through a LedgerClient of
 * sim/cluster. The cluster's time is a FakeClock stepped by the bench (so pending transfers
 * expire as they would in a long run); the figures measure the state machine, not waiting.
 *
 * Run alone with `npm run bench -- cluster`.
 */
import { AccountFlags, TransferFlags } from 'tigerbeetle-node/dist/bindings.js';
import type { Transfer } from 'tigerbeetle-node/dist/bindings.js';

import { SimulatedCluster } from '../sim/cluster/index.ts';
import type { LedgerClient } from '../src/backends/tigerbeetle/ledger-client.ts';
import { MAX_EVENTS_PER_REQUEST } from '../src/backends/tigerbeetle/ledger-client.ts';
import { newAccount } from '../src/backends/tigerbeetle/accounts.ts';
import { newTransfer } from '../src/backends/tigerbeetle/transfers.ts';
import { FakeClock } from '../src/time/fake-clock.ts';
import { registerBenches, type Measurement } from './harness.ts';

const START_MS = 1_700_000_000_000;
const OPERATOR = 1n;
const RESOURCES = 64;
const CAPACITY = 1n << 60n;

interface Rig {
  clock: FakeClock;
  cluster: SimulatedCluster;
  client: LedgerClient;
}

function resourceId(i: number): bigint {
  return 100n + BigInt(i % RESOURCES);
}

/** An operator and RESOURCES limited accounts, each credited with CAPACITY. */
async function rig(): Promise<Rig> {
  const clock = new FakeClock(START_MS);
  const cluster = new SimulatedCluster({ clock });
  const client = cluster.client();

  const accounts = [newAccount(OPERATOR, 0)];
  for (let i = 0; i < RESOURCES; i++) {
    accounts.push(newAccount(resourceId(i), AccountFlags.debits_must_not_exceed_credits));
  }
  await client.createAccounts(accounts);
  await client.createTransfers(
    Array.from({ length: RESOURCES }, (_, i) =>
      newTransfer({
        id: 1_000_000_000n + BigInt(i),
        debit_account_id: OPERATOR,
        credit_account_id: resourceId(i),
        amount: CAPACITY,
      }),
    ),
  );
  return { clock, cluster, client };
}

/** Times `requests` calls of `send`, counting the events each one carried. */
async function measureEvents(
  warmupRequests: number,
  requests: number,
  send: (i: number) => Promise<number>,
): Promise<Measurement> {
  for (let i = 0; i < warmupRequests; i++) await send(i);

  let events = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) events += await send(warmupRequests + i);
  return { ops: events, elapsedNs: process.hrtime.bigint() - started };
}

/**
 * Full requests of pending transfers in linked chains of three (a 3-key reserve each), 10 ms of
 * simulated time apart with a 1 s timeout, so expiry releases as many as are created.
 */
async function fullRequestsOfChains(): Promise<Measurement> {
  const { clock, client } = await rig();
  let nextId = 1n;

  const send = async (): Promise<number> => {
    const batch: Transfer[] = [];
    for (let e = 0; e < MAX_EVENTS_PER_REQUEST; e++) {
      const lastOfChain = e % 3 === 2 || e === MAX_EVENTS_PER_REQUEST - 1;
      batch.push(
        newTransfer({
          id: nextId++,
          debit_account_id: resourceId(e),
          credit_account_id: OPERATOR,
          amount: 1n,
          timeout: 1,
          flags: TransferFlags.pending | (lastOfChain ? 0 : TransferFlags.linked),
        }),
      );
    }
    const results = await client.createTransfers(batch);
    clock.advance(10);
    return results.length;
  };
  return measureEvents(20, 150, send);
}

/**
 * The backend's small requests: a 2-key reserve (two linked pending transfers), then a complete
 * (a void of each), one request at a time, each awaited.
 */
async function reserveVoidPairs(): Promise<Measurement> {
  const { clock, client } = await rig();
  let nextId = 1n;

  const send = async (i: number): Promise<number> => {
    const first = nextId;
    nextId += 4n;
    const hold = (id: bigint, r: number, linked: boolean): Transfer =>
      newTransfer({
        id,
        debit_account_id: resourceId(r),
        credit_account_id: OPERATOR,
        amount: 5n,
        timeout: 60,
        flags: TransferFlags.pending | (linked ? TransferFlags.linked : 0),
      });
    const release = (id: bigint, pendingId: bigint): Transfer =>
      newTransfer({ id, pending_id: pendingId, flags: TransferFlags.void_pending_transfer });

    await client.createTransfers([hold(first, i, true), hold(first + 1n, i + 1, false)]);
    await client.createTransfers([release(first + 2n, first), release(first + 3n, first + 1n)]);
    if (i % 100 === 0) clock.advance(1);
    return 4;
  };
  return measureEvents(20_000, 100_000, send);
}

registerBenches(
  {
    name: 'cluster: 8189-event requests, linked 3-chains, expiry',
    unit: 'event',
    run: fullRequestsOfChains,
  },
  { name: 'cluster: 2-event reserve + 2-event void (await)', unit: 'event', run: reserveVoidPairs },
);
