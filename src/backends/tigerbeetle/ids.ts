import * as crypto from 'node:crypto';

/**
 * Ledger ids are derived from labels, never drawn from the clock or a random source: a request
 * sent twice names the same accounts and transfers, and TigerBeetle answers `exists` instead of
 * applying it again.
 */

const U128_MAX = (1n << 128n) - 1n;

/** The first 16 bytes of SHA-256 of `label`, little-endian; 0 and 2^128 − 1 are reserved. */
export function idFromLabel(label: string): bigint {
  return idFromDigest(sha256(label));
}

/**
 * One-shot `crypto.hash` (Node 20.12+) skips building a Hash object per label, which cost more
 * than the digest itself on the hot path (several ids a reserve); `createHash` where it is absent.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, out: 'buffer') => Buffer })
  .hash;
const sha256: (label: string) => Buffer = oneShot === undefined
  ? (label) => crypto.createHash('sha256').update(label, 'utf8').digest()
  : (label) => oneShot('sha256', label, 'buffer');

/** The id a digest names: its first 16 bytes, little-endian, with the reserved values moved. */
export function idFromDigest(digest: Buffer): bigint {
  const low = digest.readBigUInt64LE(0);
  const high = digest.readBigUInt64LE(8);
  const id = (high << 64n) | low;

  // TigerBeetle refuses both ids; flipping the lowest bit keeps the mapping one to one elsewhere.
  if (id === 0n || id === U128_MAX) return id ^ 1n;
  return id;
}

// Labels. A key may contain ':' but a lease id (a ULID) and a number never do, and each prefix
// has a fixed number of numeric fields after the key, so a label reads back one way only.

export const OPERATOR_LABEL = 'acct:operator';

export function resourceLabel(key: string): string {
  return `acct:limit:${key}`;
}

export function debtLabel(key: string): string {
  return `acct:debt:${key}`;
}

export function reserveLabel(leaseId: string, key: string): string {
  return `xfer:reserve:${leaseId}:${key}`;
}

export function voidLabel(leaseId: string, key: string): string {
  return `xfer:void:${leaseId}:${key}`;
}

export function rereserveLabel(leaseId: string, key: string): string {
  return `xfer:rereserve:${leaseId}:${key}`;
}

export function debtPostingLabel(leaseId: string, key: string): string {
  return `xfer:debt:${leaseId}:${key}`;
}

/** A capacity increase (or the first capacity) carried by registry revision `revision`. */
export function capacityLabel(key: string, revision: number): string {
  return `xfer:capacity:${key}:${revision}`;
}

/**
 * One attempt to apply a pending decrease. A failed attempt burns its id, so the label names the
 * tick instant and an attempt number (two ticks may fall on one instant).
 */
export function decreaseLabel(
  key: string,
  revision: number,
  tickMs: number,
  attempt: number,
): string {
  return `xfer:decrease:${key}:${revision}:${tickMs}:${attempt}`;
}

/** A correction made at start-up when the ledger and the registry disagree on a capacity. */
export function reconcileLabel(
  key: string,
  revision: number,
  atMs: number,
  attempt: number,
): string {
  return `xfer:reconcile:${key}:${revision}:${atMs}:${attempt}`;
}

/** Undoes a capacity change the registry could not persist. */
export function rollbackLabel(
  key: string,
  revision: number,
  atMs: number,
  attempt: number,
): string {
  return `xfer:rollback:${key}:${revision}:${atMs}:${attempt}`;
}

