import { CreateTransferStatus as S, TransferFlags } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';

import { AccountIds, OPERATOR_ID } from '../../src/backends/tigerbeetle/accounts.ts';
import {
  type CompletionStep,
  planCompletion,
  stepOutcome,
} from '../../src/backends/tigerbeetle/completion.ts';
import { idFromLabel } from '../../src/backends/tigerbeetle/ids.ts';
import type { LedgerHold } from '../../src/backends/tigerbeetle/reservation.ts';
import type { Overage } from '../../src/domain/limits.ts';

const LEASE = '01HZY5J6W4B0000000000000AA';
const ids = new AccountIds();
const T = 100_000;

function hold(
  key: string,
  kind: LedgerHold['kind'],
  amount: number,
  expiresAtMs: number,
): LedgerHold {
  const transferId = idFromLabel(`xfer:reserve:${LEASE}:${key}`);
  return { key, kind, amount, transferId, expiresAtMs };
}

function plan(
  holds: LedgerHold[],
  actuals: Array<[string, number]>,
  overage: Overage = 'debt',
): CompletionStep[] {
  const list = actuals.map(([key, actual_amount]) => ({ key, actual_amount }));
  return planCompletion(LEASE, holds, list, T, () => overage, ids);
}

describe('planCompletion', () => {
  it('voids concurrency holds still counting, amount 0, and leaves expired ones alone', () => {
    const steps = plan([hold('c1', 'concurrency', 3, T + 1), hold('c2', 'concurrency', 3, T)], []);
    expect(steps).toHaveLength(1);
    expect(steps[0]!.kind).toBe('release');
    expect(steps[0]!.transfers[0]).toMatchObject({
      id: idFromLabel(`xfer:void:${LEASE}:c1`),
      pending_id: idFromLabel(`xfer:reserve:${LEASE}:c1`),
      amount: 0n,
      flags: TransferFlags.void_pending_transfer,
    });
  });

  it('ignores actuals for concurrency keys and keys outside the lease', () => {
    expect(plan([hold('c', 'concurrency', 3, T)], [['c', 9], ['x', 9]])).toEqual([]);
  });

  it('changes nothing when the actual equals the hold', () => {
    expect(plan([hold('r', 'rolling', 5, T + 500)], [['r', 5]])).toEqual([]);
  });

  it('shrinks: voids, and re-reserves the actual for whole seconds, linked', () => {
    const steps = plan([hold('r', 'rolling', 5, T + 1001)], [['r', 2]]);
    expect(steps).toHaveLength(1);
    const [voided, rereserved] = steps[0]!.transfers;
    expect(steps[0]!.kind).toBe('shrink');
    expect(voided).toMatchObject({
      id: idFromLabel(`xfer:void:${LEASE}:r`),
      flags: TransferFlags.void_pending_transfer | TransferFlags.linked,
    });
    expect(rereserved).toMatchObject({
      id: idFromLabel(`xfer:rereserve:${LEASE}:r`),
      debit_account_id: ids.resource('r'),
      credit_account_id: OPERATOR_ID,
      amount: 2n,
      timeout: 2, // ⌈1001 / 1000⌉
      flags: TransferFlags.pending,
    });
  });

  it('shrinks to nothing with a lone void', () => {
    const steps = plan([hold('r', 'rolling', 5, T + 1000)], [['r', 0]]);
    expect(steps[0]!.transfers).toHaveLength(1);
    expect(steps[0]!.transfers[0]!.flags).toBe(TransferFlags.void_pending_transfer);
  });

  it('grows with an extra pending transfer and a debt posting to fall back on', () => {
    const steps = plan([hold('r', 'rolling', 5, T + 1000)], [['r', 8]]);
    expect(steps[0]!.kind).toBe('grow');
    expect(steps[0]!.transfers[0]).toMatchObject({ amount: 3n, timeout: 1 });
    expect(steps[0]!.fallbackDebt!.transfer).toMatchObject({
      id: idFromLabel(`xfer:debt:${LEASE}:r`),
      debit_account_id: ids.debt('r'),
      credit_account_id: OPERATOR_ID,
      amount: 3n,
      flags: 0,
    });
    expect(plan([hold('r', 'rolling', 5, T + 1)], [['r', 8]], 'deny')[0]!.fallbackDebt)
      .toBeUndefined();
  });

  it('after the window, posts only the overage as debt, and only with overage debt', () => {
    const over = hold('r', 'rolling', 5, T);
    expect(plan([over], [['r', 8]])[0]).toMatchObject({ kind: 'debt' });
    expect(plan([over], [['r', 8]])[0]!.transfers[0]!.amount).toBe(3n);
    expect(plan([over], [['r', 8]], 'deny')).toEqual([]);
    expect(plan([over], [['r', 2]])).toEqual([]);
  });
});

describe('stepOutcome', () => {
  const result = (status: number) => ({ timestamp: 1n, status });
  const [shrink] = plan([hold('r', 'rolling', 5, T + 1000)], [['r', 2]]);
  const [grow] = plan([hold('r', 'rolling', 5, T + 1000)], [['r', 8]]);
  const [release] = plan([hold('c', 'concurrency', 5, T + 1000)], []);

  it('counts created, exists and an expired pending transfer as done', () => {
    expect(stepOutcome(release!, [result(S.created)])).toEqual({ kind: 'done' });
    expect(stepOutcome(release!, [result(S.exists)])).toEqual({ kind: 'done' });
    expect(stepOutcome(release!, [result(S.pending_transfer_expired)])).toEqual({ kind: 'done' });
    const expired = [result(S.pending_transfer_expired), result(S.linked_event_failed)];
    expect(stepOutcome(shrink!, expired)).toEqual({ kind: 'done' });
  });

  it('reports no room for a grow refused by capacity, even on a resend', () => {
    expect(stepOutcome(grow!, [result(S.exceeds_credits)])).toEqual({ kind: 'no_room' });
    expect(stepOutcome(grow!, [result(S.id_already_failed)])).toEqual({ kind: 'no_room' });
  });

  it('reports anything else with the label of the transfer that failed', () => {
    expect(stepOutcome(shrink!, [result(S.linked_event_failed), result(S.overflows_debits)]))
      .toEqual({
        kind: 'unexpected',
        label: `xfer:rereserve:${LEASE}:r`,
        status: S.overflows_debits,
      });
    expect(stepOutcome(release!, [result(S.pending_transfer_not_found)])).toMatchObject({
      kind: 'unexpected',
      label: `xfer:void:${LEASE}:c`,
    });
  });
});
