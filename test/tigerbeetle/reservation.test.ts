import { TransferFlags } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';

import { AccountIds, OPERATOR_ID } from '../../src/backends/tigerbeetle/accounts.ts';
import { idFromLabel } from '../../src/backends/tigerbeetle/ids.ts';
import {
  buildReservation,
  expiryMs,
  holdsOf,
  longestTimeoutSeconds,
  timestampMs,
} from '../../src/backends/tigerbeetle/reservation.ts';
import type { LimitDefinition } from '../../src/domain/limits.ts';

const LEASE = '01HZY5J6W4B0000000000000AC';
const T0_MS = 1_700_000_000_000;
const definitions: Record<string, LimitDefinition> = {
  tokens: { key: 'tokens', kind: 'rolling', capacity: 100, window_seconds: 60, overage: 'debt' },
  slots: { key: 'slots', kind: 'concurrency', capacity: 4, timeout_seconds: 30, overage: 'deny' },
};
const requirements = [
  { key: 'slots', amount: 1 },
  { key: 'tokens', amount: 40 },
];

describe('buildReservation', () => {
  const ids = new AccountIds();
  const reservation = buildReservation(LEASE, requirements, (k) => definitions[k]!, ids, T0_MS);

  it('makes one linked chain of pending transfers, in request order', () => {
    expect(reservation.transfers).toHaveLength(2);
    expect(reservation.transfers[0]).toMatchObject({
      id: idFromLabel(`xfer:reserve:${LEASE}:slots`),
      debit_account_id: ids.resource('slots'),
      credit_account_id: OPERATOR_ID,
      amount: 1n,
      timeout: 30,
      flags: TransferFlags.pending | TransferFlags.linked,
      ledger: 1,
      code: 1,
    });
    expect(reservation.transfers[1]).toMatchObject({
      id: idFromLabel(`xfer:reserve:${LEASE}:tokens`),
      amount: 40n,
      timeout: 60,
      flags: TransferFlags.pending,
    });
  });

  it('turns created events into holds that expire when the cluster releases them', () => {
    const created = [
      { timestamp: 1_700_000_000_123_999_999n, status: 0 },
      { timestamp: 1_700_000_000_124_000_000n, status: 0 },
    ];
    expect(holdsOf(reservation, requirements, created)).toEqual([
      {
        key: 'slots',
        kind: 'concurrency',
        amount: 1,
        transferId: reservation.transfers[0]!.id,
        expiresAtMs: T0_MS + 123 + 30_000,
      },
      {
        key: 'tokens',
        kind: 'rolling',
        amount: 40,
        transferId: reservation.transfers[1]!.id,
        expiresAtMs: T0_MS + 124 + 60_000,
      },
    ]);
  });
});

describe('ledger time', () => {
  it('reads milliseconds from nanosecond timestamps, rounding down', () => {
    expect(timestampMs(1_999_999n)).toBe(1);
    expect(expiryMs(1_999_999n, 2)).toBe(2001);
  });

  it('keeps every timeout whole until expiries would leave the u63 range', () => {
    expect(longestTimeoutSeconds(T0_MS)).toBe(2 ** 32 - 1);
    const year2200Ms = 7_258_118_400_000;
    const longest = longestTimeoutSeconds(year2200Ms);
    expect(longest).toBeLessThan(2 ** 32 - 1);
    const expiryNs = BigInt(year2200Ms) * 1_000_000n + BigInt(longest) * 1_000_000_000n;
    expect(expiryNs).toBeLessThan(2n ** 63n - 1n);
  });
});
