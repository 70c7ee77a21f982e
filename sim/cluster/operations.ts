import {
  AccountFlags,
  CreateAccountStatus,
  CreateTransferStatus,
  TransferFlags,
} from 'tigerbeetle-node/dist/bindings.js';
import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { createAccount } from './create-account.ts';
import { createTransfer } from './create-transfer.ts';
import type { CreateOperation } from './execute-create.ts';

/**
 * The transfer statuses that depend on the ledger's state at the time (so a retry could succeed):
 * TigerBeetle burns the id of a transfer that fails with one of them, and the id answers
 * `id_already_failed` from then on (`CreateTransferResult.transient` in the 0.17 source).
 * Everything else, `pending_transfer_expired` and the `already_posted/voided` answers included,
 * does not burn the id. Account statuses never do.
 */
export const TRANSIENT_TRANSFER_STATUSES: ReadonlySet<CreateTransferStatus> = new Set([
  CreateTransferStatus.debit_account_not_found,
  CreateTransferStatus.credit_account_not_found,
  CreateTransferStatus.pending_transfer_not_found,
  CreateTransferStatus.exceeds_credits,
  CreateTransferStatus.exceeds_debits,
  CreateTransferStatus.debit_account_already_closed,
  CreateTransferStatus.credit_account_already_closed,
]);

export const createAccountsOperation: CreateOperation<Account> = {
  statuses: CreateAccountStatus,
  linkedFlag: AccountFlags.linked,
  importedFlag: AccountFlags.imported,
  create: createAccount,
  transient: () => false,
};

export const createTransfersOperation: CreateOperation<Transfer> = {
  statuses: CreateTransferStatus,
  linkedFlag: TransferFlags.linked,
  importedFlag: TransferFlags.imported,
  create: createTransfer,
  transient: (status) => TRANSIENT_TRANSFER_STATUSES.has(status),
};
