import type { Account } from 'tigerbeetle-node';
// The enums come from the client's pure-JS bindings: the package root loads the native client.
import { AccountFlags } from 'tigerbeetle-node/dist/bindings.js';

import type { Usage } from '../../domain/limits.ts';
import { debtLabel, idFromLabel, OPERATOR_LABEL, resourceLabel } from './ids.ts';
import { CODE, LEDGER } from './ledger-client.ts';

/**
 * The account model. One operator account is the other side of every transfer. Each key has a
 * resource account that may not be debited beyond its credits, so the ledger itself refuses a
 * hold that does not fit:
 *
 *   capacity  = credits_posted − debits_posted
 *   held      = debits_pending
 *   available = capacity − held
 *
 * A key with overage `debt` also has a debt account without balance flags:
 * debt = debits_posted − credits_posted.
 */
export const OPERATOR_ID = idFromLabel(OPERATOR_LABEL);

/** Account ids by key, computed once each (hashing is the costliest step of an id). */
export class AccountIds {
  private readonly resources = new Map<string, bigint>();
  private readonly debts = new Map<string, bigint>();

  resource(key: string): bigint {
    let id = this.resources.get(key);
    if (id === undefined) {
      id = idFromLabel(resourceLabel(key));
      this.resources.set(key, id);
    }
    return id;
  }

  debt(key: string): bigint {
    let id = this.debts.get(key);
    if (id === undefined) {
      id = idFromLabel(debtLabel(key));
      this.debts.set(key, id);
    }
    return id;
  }
}

export function newAccount(id: bigint, flags: number): Account {
  return {
    id,
    debits_pending: 0n,
    debits_posted: 0n,
    credits_pending: 0n,
    credits_posted: 0n,
    user_data_128: 0n,
    user_data_64: 0n,
    user_data_32: 0,
    reserved: 0,
    ledger: LEDGER,
    code: CODE,
    flags,
    timestamp: 0n,
  };
}

export function operatorAccount(): Account {
  return newAccount(OPERATOR_ID, AccountFlags.none);
}

export function resourceAccount(ids: AccountIds, key: string): Account {
  return newAccount(ids.resource(key), AccountFlags.debits_must_not_exceed_credits);
}

export function debtAccount(ids: AccountIds, key: string): Account {
  return newAccount(ids.debt(key), AccountFlags.none);
}

/** The capacity a resource account carries. */
export function ledgerCapacity(resource: Account): bigint {
  return resource.credits_posted - resource.debits_posted;
}

/** The usage read-out from a key's resource account and, if it has one, its debt account. */
export function usageFromAccounts(resource: Account, debt: Account | undefined): Usage {
  const held = resource.debits_pending;
  const available = ledgerCapacity(resource) - held;
  return {
    held: Number(held),
    available: Number(available),
    debt: debt === undefined ? 0n : debt.debits_posted - debt.credits_posted,
  };
}
