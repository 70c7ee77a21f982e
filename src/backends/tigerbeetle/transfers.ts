import type { Transfer } from 'tigerbeetle-node';
import { TransferFlags } from 'tigerbeetle-node/dist/bindings.js';

import { CODE, LEDGER } from './ledger-client.ts';

/** Builders for the three kinds of transfer the backend makes: posted, pending and void. */

/** A transfer on the project's ledger and code with every field not given set to zero. */
export function newTransfer(fields: Partial<Transfer> & { id: bigint }): Transfer {
  return {
    debit_account_id: 0n,
    credit_account_id: 0n,
    amount: 0n,
    pending_id: 0n,
    user_data_128: 0n,
    user_data_64: 0n,
    user_data_32: 0,
    timeout: 0,
    ledger: LEDGER,
    code: CODE,
    flags: TransferFlags.none,
    timestamp: 0n,
    ...fields,
  };
}

function linkedFlag(linked: boolean): number {
  return linked ? TransferFlags.linked : TransferFlags.none;
}

/** Moves `amount` at once: capacity changes and debt. */
export function postedTransfer(
  id: bigint,
  debitAccountId: bigint,
  creditAccountId: bigint,
  amount: bigint,
): Transfer {
  return newTransfer({
    id,
    debit_account_id: debitAccountId,
    credit_account_id: creditAccountId,
    amount,
  });
}

/** A hold: `amount` is reserved on the debit account until voided or `timeoutSeconds` pass. */
export function pendingTransfer(
  id: bigint,
  debitAccountId: bigint,
  creditAccountId: bigint,
  amount: bigint,
  timeoutSeconds: number,
  linked: boolean,
): Transfer {
  return newTransfer({
    id,
    debit_account_id: debitAccountId,
    credit_account_id: creditAccountId,
    amount,
    timeout: timeoutSeconds,
    flags: TransferFlags.pending | linkedFlag(linked),
  });
}

/** Releases a hold. Amount 0 voids the full pending amount, whatever it is. */
export function voidTransfer(id: bigint, pendingId: bigint, linked: boolean): Transfer {
  return newTransfer({
    id,
    pending_id: pendingId,
    flags: TransferFlags.void_pending_transfer | linkedFlag(linked),
  });
}

/** The chain flags: every event but the last is linked to the next. */
export function linkChain(transfers: Transfer[]): Transfer[] {
  transfers.forEach((t, i) => {
    if (i < transfers.length - 1) t.flags |= TransferFlags.linked;
    else t.flags &= ~TransferFlags.linked;
  });
  return transfers;
}
