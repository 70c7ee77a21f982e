import { describe, expect, it } from 'vitest';
import { AccountFlags } from 'tigerbeetle-node/dist/bindings.js';

import {
  AccountIds,
  debtAccount,
  newAccount,
  OPERATOR_ID,
  operatorAccount,
  resourceAccount,
  usageFromAccounts,
} from '../../src/backends/tigerbeetle/accounts.ts';
import { idFromLabel } from '../../src/backends/tigerbeetle/ids.ts';

describe('the account model', () => {
  const ids = new AccountIds();

  it('has an operator without flags, resources that refuse overdraft, debts without flags', () => {
    expect(operatorAccount()).toMatchObject({ id: OPERATOR_ID, flags: 0, ledger: 1, code: 1 });
    expect(resourceAccount(ids, 'k')).toMatchObject({
      id: idFromLabel('acct:limit:k'),
      flags: AccountFlags.debits_must_not_exceed_credits,
      ledger: 1,
      code: 1,
    });
    expect(debtAccount(ids, 'k')).toMatchObject({ id: idFromLabel('acct:debt:k'), flags: 0 });
  });

  it('reads capacity from posted balances and held from pending debits', () => {
    const resource = {
      ...newAccount(ids.resource('k'), AccountFlags.debits_must_not_exceed_credits),
      credits_posted: 150n,
      debits_posted: 50n, // a decrease of 50: capacity 100
      debits_pending: 30n,
    };
    expect(usageFromAccounts(resource, undefined)).toEqual({ held: 30, available: 70, debt: 0n });
  });

  it('reads debt exactly, beyond 2^53', () => {
    const resource = { ...newAccount(ids.resource('k'), 2), credits_posted: 10n };
    const debt = {
      ...newAccount(ids.debt('k'), 0),
      debits_posted: 2n ** 60n + 3n,
      credits_posted: 1n,
    };
    expect(usageFromAccounts(resource, debt).debt).toBe(2n ** 60n + 2n);
  });
});
