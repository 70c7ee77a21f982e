import type { Account, Transfer } from 'tigerbeetle-node';

import { MAX_EVENTS_PER_REQUEST } from './ledger-client.ts';
import { CreateAccountStatus, CreateTransferStatus, transferStatusName } from './statuses.ts';
import type { Submitter } from './submitter.ts';

/** A transfer with the label its id was made from, so that a failure can say which one. */
export interface LabelledTransfer {
  label: string;
  transfer: Transfer;
}

/** The ledger refused something the backend relies on; `status` says what it answered. */
export class LedgerStatusError extends Error {
  override name = 'LedgerStatusError';

  constructor(
    readonly label: string,
    readonly status: string,
  ) {
    super(`${label}: TigerBeetle answered ${status}`);
  }
}

/** The ledger did not answer in time, or the request failed. */
export class LedgerUnavailableError extends Error {
  override name = 'LedgerUnavailableError';
}

/**
 * The ledger calls of admin work (limits, ticks, start-up, read-outs), which may wait for a
 * round trip and fail loudly. The hot path (reserve, complete) uses the submitter directly.
 */
export class LedgerOps {
  /** Accounts known to exist: created by this process or found existing. */
  private readonly known = new Set<bigint>();

  constructor(private readonly submitter: Submitter) {}

  /** Creates the accounts not known to exist; `exists` is fine (a restart, or a resend). */
  async ensureAccounts(accounts: readonly Account[]): Promise<void> {
    const missing = accounts.filter((a) => !this.known.has(a.id));
    for (let from = 0; from < missing.length; from += MAX_EVENTS_PER_REQUEST) {
      const chunk = missing.slice(from, from + MAX_EVENTS_PER_REQUEST);
      const results = await this.submitter.call((ledger) => ledger.createAccounts(chunk));
      if (results.length !== chunk.length) {
        throw new LedgerUnavailableError('create_accounts: reply length mismatch');
      }
      results.forEach((result, i) => {
        const account = chunk[i]!;
        const fine =
          result.status === CreateAccountStatus.created ||
          result.status === CreateAccountStatus.exists;
        if (!fine) {
          const status = CreateAccountStatus[result.status] ?? String(result.status);
          throw new LedgerStatusError(`account ${account.id}`, status);
        }
        this.known.add(account.id);
      });
    }
  }

  /**
   * Posts independent transfers (as few requests as the event limit allows) and returns their
   * statuses. Throws when the ledger does not answer; a refused transfer is the caller's to judge.
   */
  async post(transfers: readonly LabelledTransfer[]): Promise<CreateTransferStatus[]> {
    const statuses: CreateTransferStatus[] = [];
    const size = this.submitter.maxEventsPerRequest;
    for (let from = 0; from < transfers.length; from += size) {
      const chunk = transfers.slice(from, from + size).map((t) => t.transfer);
      const outcome = await this.submitter.submitAsync(chunk);
      if (!outcome.ok) {
        throw new LedgerUnavailableError(`create_transfers: ${outcome.reason}`, {
          cause: outcome.error,
        });
      }
      for (const result of outcome.results) statuses.push(result.status);
    }
    return statuses;
  }

  /**
   * Like `post`, but never throws for an unanswered request: the statuses of transfers whose
   * request did not answer are undefined (their outcome is unknown: they may still be applied).
   */
  async tryPost(
    transfers: readonly LabelledTransfer[],
  ): Promise<Array<CreateTransferStatus | undefined>> {
    const statuses: Array<CreateTransferStatus | undefined> = [];
    const size = this.submitter.maxEventsPerRequest;
    for (let from = 0; from < transfers.length; from += size) {
      const chunk = transfers.slice(from, from + size).map((t) => t.transfer);
      const outcome = await this.submitter.submitAsync(chunk);
      for (let i = 0; i < chunk.length; i++) {
        statuses.push(outcome.ok ? outcome.results[i]!.status : undefined);
      }
    }
    return statuses;
  }

  /** Posts transfers that must be applied: `created` or `exists` (applied before), else throws. */
  async postAll(transfers: readonly LabelledTransfer[]): Promise<void> {
    const statuses = await this.post(transfers);
    statuses.forEach((status, i) => {
      if (status !== CreateTransferStatus.created && status !== CreateTransferStatus.exists) {
        throw new LedgerStatusError(transfers[i]!.label, transferStatusName(status));
      }
    });
  }

  async lookupAccounts(ids: readonly bigint[]): Promise<Map<bigint, Account>> {
    const found = new Map<bigint, Account>();
    for (let from = 0; from < ids.length; from += MAX_EVENTS_PER_REQUEST) {
      const chunk = ids.slice(from, from + MAX_EVENTS_PER_REQUEST);
      const accounts = await this.submitter.call((ledger) => ledger.lookupAccounts(chunk));
      for (const account of accounts) found.set(account.id, account);
    }
    return found;
  }

  async lookupTransfers(ids: readonly bigint[]): Promise<Map<bigint, Transfer>> {
    const transfers = await this.submitter.call((ledger) => ledger.lookupTransfers([...ids]));
    return new Map(transfers.map((t) => [t.id, t]));
  }
}
