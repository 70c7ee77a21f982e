import type { Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';

import { idFromLabel } from '../../src/backends/tigerbeetle/ids.ts';
import {
  replayFromTransfers,
  replayLookupIds,
} from '../../src/backends/tigerbeetle/ledger-replay.ts';
import { pendingTransfer, voidTransfer } from '../../src/backends/tigerbeetle/transfers.ts';
import type { Requirement } from '../../src/domain/requests.ts';
import { allowed, denied } from '../../src/domain/responses.ts';

const LEASE = '01HZY5J6W4B0000000000000AB';
const RESERVED_NS = 7_000_000_123n; // reserved at 7000 ms

function reserveOf(key: string, amount: number, timeoutSeconds: number, offsetNs = 0n): Transfer {
  const id = idFromLabel(`xfer:reserve:${LEASE}:${key}`);
  const t = pendingTransfer(id, 1n, 2n, BigInt(amount), timeoutSeconds, false);
  return { ...t, timestamp: RESERVED_NS + offsetNs };
}

function ledgerWith(...transfers: Transfer[]): Map<bigint, Transfer> {
  return new Map(transfers.map((t) => [t.id, t]));
}

/** The answer only. */
function replay(reqs: Requirement[], found: Map<bigint, Transfer>, nowMs: number) {
  return replayFromTransfers(LEASE, reqs, found, nowMs, () => 'rolling').response;
}

const requirements = [
  { key: 'a', amount: 3 },
  { key: 'b', amount: 4 },
];

describe('replay from the ledger', () => {
  it('looks up the reserve, void and re-reserve of every requirement', () => {
    expect(replayLookupIds(LEASE, requirements)).toEqual([
      idFromLabel(`xfer:reserve:${LEASE}:a`),
      idFromLabel(`xfer:void:${LEASE}:a`),
      idFromLabel(`xfer:rereserve:${LEASE}:a`),
      idFromLabel(`xfer:reserve:${LEASE}:b`),
      idFromLabel(`xfer:void:${LEASE}:b`),
      idFromLabel(`xfer:rereserve:${LEASE}:b`),
    ]);
  });

  const found = ledgerWith(reserveOf('a', 3, 10), reserveOf('b', 4, 60, 1n));

  it('answers allowed with the original reserve instant while every hold counts', () => {
    expect(replay(requirements, found, 16_999)).toEqual(allowed(7000));
  });

  it('answers lease_expired from the first expiry on', () => {
    expect(replay(requirements, found, 17_000)).toEqual(
      denied('lease_expired', 0),
    );
  });

  it('answers lease_conflict for other amounts or a key the lease never had', () => {
    const other = [{ key: 'a', amount: 3 }, { key: 'b', amount: 5 }];
    expect(replay(other, found, 8000)).toEqual(denied('lease_conflict', 0));
    const wider = [...requirements, { key: 'c', amount: 1 }];
    expect(replay(wider, found, 8000)).toEqual(denied('lease_conflict', 0));
  });

  it('gives the lease back for the book: its holds as the ledger has them', () => {
    const replayed = replayFromTransfers(LEASE, requirements, found, 8000, (k) =>
      k === 'a' ? 'rolling' : 'concurrency',
    );
    expect(replayed.lease).toEqual({
      reservedAtMs: 7000,
      completed: false,
      holds: [
        {
          key: 'a',
          kind: 'rolling',
          amount: 3,
          transferId: idFromLabel(`xfer:reserve:${LEASE}:a`),
          expiresAtMs: 17_000,
        },
        {
          key: 'b',
          kind: 'concurrency',
          amount: 4,
          transferId: idFromLabel(`xfer:reserve:${LEASE}:b`),
          expiresAtMs: 67_000,
        },
      ],
    });
    expect(replayFromTransfers(LEASE, [{ key: 'a', amount: 9 }], found, 8000, () => 'rolling'))
      .toEqual({ response: denied('lease_conflict', 0) });
  });

  it('answers lease_completed once a void or re-reserve of the lease exists', () => {
    const voided = voidTransfer(idFromLabel(`xfer:void:${LEASE}:b`), 0n, false);
    const withVoid = new Map([...found, [voided.id, voided]]);
    expect(replay(requirements, withVoid, 8000)).toEqual(
      denied('lease_completed', 0),
    );
  });
});
