import type { Requirement } from '../../domain/requests.ts';
import type { KeyLedger } from './key-ledger.ts';

/**
 * Capacity kept on one key until `expiresAtMs` or until it is released early. A hold is never
 * changed in place: a complete that shrinks or grows it releases it and makes a new one, so the
 * expiry queue stays ordered.
 *
 * A hold is also the requirement it was made for (`key`, `amount`): a lease's list of holds
 * doubles as its list of requirements, which saves two objects per remembered lease.
 */
export class Hold implements Requirement {
  /** Set once, when the hold stops counting (expired and purged, or released early). */
  released = false;
  readonly key: string;

  constructor(
    readonly ledger: KeyLedger,
    readonly amount: number,
    readonly expiresAtMs: number,
  ) {
    this.key = ledger.key;
  }
}
