import { describe, expect, it } from 'vitest';

import {
  capacityLabel,
  debtLabel,
  debtPostingLabel,
  decreaseLabel,
  idFromDigest,
  idFromLabel,
  OPERATOR_LABEL,
  reconcileLabel,
  rereserveLabel,
  reserveLabel,
  resourceLabel,
  rollbackLabel,
  voidLabel,
} from '../../src/backends/tigerbeetle/ids.ts';

const U128_MAX = (1n << 128n) - 1n;
const LEASE = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('ids from labels', () => {
  // Expected values computed apart, with Python's hashlib:
  // int.from_bytes(sha256(label)[:16], 'little').
  it.each([
    ['acct:operator', 316392352987504918237824478017109097640n],
    ['acct:limit:global:llm:openai:gpt-4o:tpm', 242699478534735592994202432271408753351n],
    [`xfer:reserve:${LEASE}:k`, 228905245580915746102146959552954655741n],
  ])('%s is the first 16 bytes of its SHA-256, little-endian', (label, expected) => {
    expect(idFromLabel(label)).toBe(expected);
  });

  it('moves the two ids TigerBeetle refuses by flipping the lowest bit', () => {
    expect(idFromDigest(Buffer.alloc(32, 0))).toBe(1n);
    expect(idFromDigest(Buffer.alloc(32, 0xff))).toBe(U128_MAX - 1n);
  });

  it('reads the digest little-endian and ignores its last 16 bytes', () => {
    const digest = Buffer.alloc(32, 0xaa);
    digest.fill(0, 0, 16);
    digest[0] = 2;
    digest[15] = 1;
    expect(idFromDigest(digest)).toBe((1n << 120n) | 2n);
  });
});

describe('labels', () => {
  it('are spelled as spec/tigerbeetle.md says', () => {
    expect(OPERATOR_LABEL).toBe('acct:operator');
    expect(resourceLabel('a:b')).toBe('acct:limit:a:b');
    expect(debtLabel('a:b')).toBe('acct:debt:a:b');
    expect(reserveLabel(LEASE, 'a:b')).toBe(`xfer:reserve:${LEASE}:a:b`);
    expect(voidLabel(LEASE, 'a:b')).toBe(`xfer:void:${LEASE}:a:b`);
    expect(rereserveLabel(LEASE, 'a:b')).toBe(`xfer:rereserve:${LEASE}:a:b`);
    expect(debtPostingLabel(LEASE, 'a:b')).toBe(`xfer:debt:${LEASE}:a:b`);
    expect(capacityLabel('a:b', 7)).toBe('xfer:capacity:a:b:7');
    expect(decreaseLabel('a:b', 7, 3000, 2)).toBe('xfer:decrease:a:b:7:3000:2');
    expect(rollbackLabel('a:b', 7, 3000, 2)).toBe('xfer:rollback:a:b:7:3000:2');
    expect(reconcileLabel('a:b', 7, 3000, 2)).toBe('xfer:reconcile:a:b:7:3000:2');
  });

  it('never name two changes alike, even when keys contain colons and digits', () => {
    // Each prefix has a fixed number of numeric fields after the key, so no two differ only in
    // where the key ends: `a:1` revision 2 is not `a` revision 12.
    const labels = [
      capacityLabel('a', 12),
      capacityLabel('a:1', 2),
      capacityLabel('a:1:2:3', 4),
      reconcileLabel('a', 1, 2, 3),
      reconcileLabel('a:1', 2, 3, 4),
      decreaseLabel('a', 1, 2, 3),
      decreaseLabel('a:1', 2, 3, 4),
      rollbackLabel('a', 1, 2, 3),
      resourceLabel('x'),
      debtLabel('x'),
    ];
    expect(new Set(labels).size).toBe(labels.length);
    expect(new Set(labels.map(idFromLabel)).size).toBe(labels.length);
  });
});
