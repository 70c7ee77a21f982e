import { KeyLedger } from './key-ledger.ts';

/**
 * Every key's ledger, made on first use. Keys are never deleted from the registry, so there are
 * at most as many ledgers as defined keys.
 */
export class Ledgers {
  private readonly byKey = new Map<string, KeyLedger>();

  /** The key's ledger, purged at `nowMs`. */
  at(key: string, nowMs: number): KeyLedger {
    let ledger = this.byKey.get(key);
    if (ledger === undefined) {
      ledger = new KeyLedger(key);
      this.byKey.set(key, ledger);
    }
    ledger.purge(nowMs);
    return ledger;
  }

  purgeAll(nowMs: number): void {
    for (const ledger of this.byKey.values()) ledger.purge(nowMs);
  }

  queuedHolds(): number {
    let count = 0;
    for (const ledger of this.byKey.values()) count += ledger.queuedHolds;
    return count;
  }
}
