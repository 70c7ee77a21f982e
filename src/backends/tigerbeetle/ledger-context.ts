import type { RetryAdvisor } from '../../domain/retry-advisor.ts';
import type { RetryPolicy } from '../../domain/retry-policy.ts';
import type { Logger } from '../../observability/logger.ts';
import type { LimitRegistry } from '../../registry/registry.ts';
import type { LeaseBook } from '../common/lease-book.ts';
import type { AccountIds } from './accounts.ts';
import type { LedgerOps } from './ledger-ops.ts';
import type { LedgerHold } from './reservation.ts';
import { transferStatusName } from './statuses.ts';
import type { Submitter } from './submitter.ts';
import type { UnsureLeases } from './unsure-leases.ts';
import type { LedgerLeases } from './ledger-leases.ts';

/** What the reserve and complete paths share with the backend that owns them. */
export interface LedgerContext {
  registry: LimitRegistry;
  policy: RetryPolicy;
  advisor: RetryAdvisor;
  leases: LeaseBook<LedgerHold[]>;
  unsure: UnsureLeases;
  ledgerLeases: LedgerLeases;
  submitter: Submitter;
  ops: LedgerOps;
  ids: AccountIds;
  logger: Logger;
}

/** A status the backend does not expect: logged with the transfer's label, then backend_error. */
export function logUnexpected(
  logger: Logger,
  operation: string,
  label: string,
  status: number,
): void {
  logger.log('error', 'tigerbeetle_unexpected_status', {
    operation,
    label,
    status: transferStatusName(status),
  });
}
