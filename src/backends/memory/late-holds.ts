const INITIAL_HOLDS = 16;

/**
 * Holds that a complete makes (a shrunk hold made again, or an extra hold), which nothing ever
 * releases early and which need not expire in the order they are made: a binary min-heap by
 * expiry, as (expiry, amount) pairs in two Float64Arrays so that no hold is an object.
 */
export class LateHolds {
  private expiries = new Float64Array(INITIAL_HOLDS);
  private amounts = new Float64Array(INITIAL_HOLDS);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The earliest expiry, Infinity if none. */
  get headExpiryMs(): number {
    return this.count === 0 ? Infinity : this.expiries[0]!;
  }

  add(amount: number, expiresAtMs: number): void {
    if (this.count === this.expiries.length) this.grow();
    const expiries = this.expiries;
    const amounts = this.amounts;

    // Move a hole up from the end until the new hold fits there.
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (expiries[parent]! <= expiresAtMs) break;
      expiries[i] = expiries[parent]!;
      amounts[i] = amounts[parent]!;
      i = parent;
    }
    expiries[i] = expiresAtMs;
    amounts[i] = amount;
  }

  /** Drops every hold that has expired at `nowMs` (expiry is inclusive); returns their sum. */
  expire(nowMs: number): number {
    let freed = 0;
    while (this.count > 0 && this.expiries[0]! <= nowMs) {
      freed += this.amounts[0]!;
      this.removeHead();
    }
    return freed;
  }

  private removeHead(): void {
    const expiries = this.expiries;
    const amounts = this.amounts;
    const n = --this.count;
    if (n === 0) return;

    // Move a hole down from the root until the last hold fits there.
    const lastMs = expiries[n]!;
    const lastAmount = amounts[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && expiries[child + 1]! < expiries[child]!) child++;
      if (expiries[child]! >= lastMs) break;
      expiries[i] = expiries[child]!;
      amounts[i] = amounts[child]!;
      i = child;
    }
    expiries[i] = lastMs;
    amounts[i] = lastAmount;
  }

  private grow(): void {
    const expiries = new Float64Array(2 * this.expiries.length);
    const amounts = new Float64Array(2 * this.amounts.length);
    expiries.set(this.expiries);
    amounts.set(this.amounts);
    this.expiries = expiries;
    this.amounts = amounts;
  }
}
