import type { Account, Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { assert } from '../../src/domain/assert.ts';
import { ExpiryQueue } from './expiry-queue.ts';

/**
 * Where a pending transfer stands. TigerBeetle keeps this beside the (immutable) transfer, in
 * its `transfers_pending` groove; transfers that are not pending are `none`.
 */
export type PendingState = 'none' | 'pending' | 'posted' | 'voided' | 'expired';

/** A stored transfer: the record lookups return, plus what the cluster tracks about it. */
export interface TransferRecord {
  readonly transfer: Transfer;
  pendingState: PendingState;
  /** When a pending transfer with a timeout expires, in ns; null when it never does. */
  readonly expiresAtNs: bigint | null;
  /** Set when its linked chain was rolled back: the record is no longer stored. */
  rolledBack?: boolean;
}

type Undo = () => void;

/**
 * The durable state of the simulated cluster: accounts, transfers (with their pending state), the
 * ids that failed for a transient reason, the expiry queue and the last event timestamp.
 *
 * Every mutation goes through a method here so that a linked chain can be rolled back: while a
 * chain scope is open each mutation records its undo, and a broken chain replays them newest
 * first (TigerBeetle's `scope_open` / `scope_close(.discard)`).
 */
export class LedgerState {
  readonly accounts = new Map<bigint, Account>();
  readonly transfers = new Map<bigint, TransferRecord>();
  /** Ids of transfers that failed transiently: they answer `id_already_failed` forever. */
  readonly failedTransferIds = new Set<bigint>();
  readonly expiries = new ExpiryQueue();

  private lastTimestampNs = 0n;
  private scope: Undo[] | null = null;

  /**
   * The next event timestamp: `max(last + 1, wallNs)`, where wallNs = nowMs · 1e6. Failed events
   * take one too, as in TigerBeetle, so timestamps strictly increase over every event submitted.
   */
  nextTimestampNs(wallNs: bigint): bigint {
    const next = this.lastTimestampNs + 1n;
    this.lastTimestampNs = next > wallNs ? next : wallNs;
    return this.lastTimestampNs;
  }

  get lastEventTimestampNs(): bigint {
    return this.lastTimestampNs;
  }

  // Chain scopes.

  openScope(): void {
    assert(this.scope === null, 'openScope: a chain scope is already open');
    this.scope = [];
  }

  persistScope(): void {
    assert(this.scope !== null, 'persistScope: no chain scope is open');
    this.scope = null;
  }

  discardScope(): void {
    const undos = this.scope;
    assert(undos !== null, 'discardScope: no chain scope is open');
    this.scope = null;
    for (let i = undos.length - 1; i >= 0; i--) undos[i]!();
  }

  // Mutations.

  insertAccount(account: Account): void {
    const before = this.accounts.size;
    this.accounts.set(account.id, account);
    assert(this.accounts.size === before + 1, 'insertAccount: the id exists');
    this.scope?.push(() => this.accounts.delete(account.id));
  }

  insertTransfer(record: TransferRecord): void {
    const id = record.transfer.id;
    const before = this.transfers.size;
    this.transfers.set(id, record);
    assert(this.transfers.size === before + 1, 'insertTransfer: the id exists');
    // A rolled-back transfer's queue entry stays behind; expiry skips it by its flag.
    if (record.expiresAtNs !== null) this.expiries.push(record);
    this.scope?.push(() => {
      this.transfers.delete(id);
      record.rolledBack = true;
    });
  }

  /**
   * Adds balance deltas (negative to release) to an account and optionally sets its flags,
   * recording the undo.
   */
  updateAccount(
    account: Account,
    debitsPending: bigint,
    debitsPosted: bigint,
    creditsPending: bigint,
    creditsPosted: bigint,
    flags: number = account.flags,
  ): void {
    if (this.scope !== null) {
      const dp = account.debits_pending;
      const dP = account.debits_posted;
      const cp = account.credits_pending;
      const cP = account.credits_posted;
      const flagsBefore = account.flags;
      this.scope.push(() => {
        account.debits_pending = dp;
        account.debits_posted = dP;
        account.credits_pending = cp;
        account.credits_posted = cP;
        account.flags = flagsBefore;
      });
    }

    account.debits_pending += debitsPending;
    account.debits_posted += debitsPosted;
    account.credits_pending += creditsPending;
    account.credits_posted += creditsPosted;
    account.flags = flags;
    assert(
      account.debits_pending >= 0n && account.credits_pending >= 0n,
      'updateAccount: a pending balance went negative',
    );
  }

  setPendingState(record: TransferRecord, state: PendingState): void {
    const before = record.pendingState;
    record.pendingState = state;
    this.scope?.push(() => void (record.pendingState = before));
  }

  markFailed(id: bigint): void {
    // Never inside a scope: TigerBeetle records the failed id after discarding the chain.
    assert(this.scope === null, 'markFailed: called inside a chain scope');
    this.failedTransferIds.add(id);
  }

}
