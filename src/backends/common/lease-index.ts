import { AssertionError } from '../../domain/assert.ts';
import { NO_SLOT } from './forget-queue.ts';

const MIN_POSITIONS = 64;

/**
 * A probe never looks further than this from an id's home position. Ordinary ids come nowhere
 * near it (the table is at most half full); ids crafted to collide go to a Map instead, so that
 * they cannot make every lookup slow.
 */
const MAX_PROBES = 64;

/**
 * A deletion moves later entries of the cluster back (no tombstones, so lookups do not slow
 * down with churn), but looks at most this far: a longer cluster (only crafted ids make one)
 * gets a tombstone instead, which probes pass over and the next rebuild drops.
 */
const MAX_SHIFT_SCAN = 4 * MAX_PROBES;
const TOMBSTONE = -2;

/**
 * Lease ids to LeaseTable slots: an open-addressing hash table with linear probing, in typed
 * arrays. A JavaScript Map did the same job at three operations a lease (a lookup that misses, a
 * set, a delete), which cost more than the whole rest of a reserve; here a lease's id is hashed
 * once and the three operations are a few array reads and writes.
 *
 * The hash is not keyed (randomness comes only from the backend's RandomSource, whose draws
 * belong to retry hints), so ids could be crafted to share a home position. An id whose probe
 * would run past MAX_PROBES goes to an ordinary Map, whose hash V8 seeds: the worst case of any
 * operation is then MAX_SHIFT_SCAN reads and one Map operation, plus rebuilds, which are O(1)
 * amortized as in any growing table.
 */
export class LeaseIndex {
  /**
   * By position p: the slot there (NO_SLOT if none, or TOMBSTONE) at 2p and its id's hash at
   * 2p + 1, side by side so that a probe reads one cache line.
   */
  private positions = emptyPositions(MIN_POSITIONS);
  private mask = MIN_POSITIONS - 1;
  private count = 0;
  private tombstones = 0;

  // By slot: the id indexed there and its hash.
  private ids: (string | undefined)[] = [];
  private hashes = new Int32Array(0);

  private readonly overflow = new Map<string, number>();

  /** The id last looked up and its hash: a lookup then an insert of one id hashes it once. */
  private lastId: string | undefined;
  private lastHash = 0;

  get size(): number {
    return this.count + this.overflow.size;
  }

  /** Makes room for slots below `capacity`. */
  grow(capacity: number): void {
    if (capacity <= this.hashes.length) return;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
    this.ids.length = capacity;
  }

  /** The lease id indexed at `slot`. */
  idOf(slot: number): string {
    return this.ids[slot]!;
  }

  /** The slot of `id`, or NO_SLOT. */
  find(id: string): number {
    const hash = hashId(id);
    this.lastId = id;
    this.lastHash = hash;

    const positions = this.positions;
    const mask = this.mask;
    let at = hash & mask;
    for (let probes = 0; probes < MAX_PROBES; probes++) {
      const slot = positions[2 * at]!;
      if (slot === NO_SLOT) break;
      if (positions[2 * at + 1] === hash && slot >= 0 && this.ids[slot] === id) return slot;
      at = (at + 1) & mask;
    }
    return this.overflow.size === 0 ? NO_SLOT : (this.overflow.get(id) ?? NO_SLOT);
  }

  /** Indexes `id` (not indexed yet) at `slot` (free in this index). */
  insert(id: string, slot: number): void {
    const hash = id === this.lastId ? this.lastHash : hashId(id);
    this.ids[slot] = id;
    this.hashes[slot] = hash;
    // At most half full, tombstones included; a rebuild leaves room for a quarter more.
    const size = this.mask + 1;
    if (2 * (this.count + this.tombstones + 1) > size) {
      this.rebuild(4 * (this.count + 1) > size ? 2 * size : size);
    }
    this.place(id, slot, hash);
  }

  /** Removes the id indexed at `slot`. */
  remove(slot: number): void {
    const id = this.ids[slot]!;
    const hash = this.hashes[slot]!;
    this.ids[slot] = undefined;

    const mask = this.mask;
    let at = hash & mask;
    for (let probes = 0; probes < MAX_PROBES; probes++) {
      const found = this.positions[2 * at]!;
      if (found === slot) {
        this.vacate(at);
        this.count--;
        if (8 * this.count < mask + 1 && mask + 1 > MIN_POSITIONS) this.rebuild((mask + 1) / 2);
        return;
      }
      if (found === NO_SLOT) break;
      at = (at + 1) & mask;
    }
    if (!this.overflow.delete(id)) throw new AssertionError(`lease index: ${id} not indexed`);
  }

  clear(): void {
    this.positions = emptyPositions(MIN_POSITIONS);
    this.mask = MIN_POSITIONS - 1;
    this.count = 0;
    this.tombstones = 0;
    this.ids.fill(undefined);
    this.overflow.clear();
    this.lastId = undefined;
  }

  /** Puts `slot` at the first free position of its probe, or in the overflow map. */
  private place(id: string, slot: number, hash: number): void {
    const positions = this.positions;
    const mask = this.mask;
    let at = hash & mask;
    for (let probes = 0; probes < MAX_PROBES; probes++) {
      const found = positions[2 * at]!;
      if (found < 0) {
        if (found === TOMBSTONE) this.tombstones--;
        positions[2 * at] = slot;
        positions[2 * at + 1] = hash;
        this.count++;
        return;
      }
      at = (at + 1) & mask;
    }
    this.overflow.set(id, slot);
  }

  /**
   * Empties position `hole`, moving later entries of its cluster back into it where their home
   * allows, so that no probe has to pass an empty position to reach its id.
   */
  private vacate(hole: number): void {
    const positions = this.positions;
    const mask = this.mask;
    const start = hole;
    let at = hole;
    for (;;) {
      at = (at + 1) & mask;
      const slot = positions[2 * at]!;
      if (slot === NO_SLOT) break;
      // Every entry is fewer than MAX_PROBES from its home: none from here on probes the hole.
      const behind = (at - hole) & mask;
      if (behind >= MAX_PROBES) break;
      if (((at - start) & mask) >= MAX_SHIFT_SCAN) {
        positions[2 * hole] = TOMBSTONE;
        this.tombstones++;
        return;
      }
      if (slot === TOMBSTONE) continue;

      // The entry may move back if its home is not between the hole and where it is.
      const hash = positions[2 * at + 1]!;
      if (((at - (hash & mask)) & mask) >= behind) {
        positions[2 * hole] = slot;
        positions[2 * hole + 1] = hash;
        hole = at;
      }
    }
    positions[2 * hole] = NO_SLOT;
  }

  /** Rehashes every indexed slot into `positions` positions (from the stored hashes). */
  private rebuild(count: number): void {
    const old = this.positions;
    this.positions = emptyPositions(count);
    this.mask = count - 1;
    this.count = 0;
    this.tombstones = 0;
    for (let at = 0; at < old.length; at += 2) {
      const slot = old[at]!;
      if (slot >= 0) this.place(this.ids[slot]!, slot, old[at + 1]!);
    }
  }
}

function emptyPositions(count: number): Int32Array {
  const positions = new Int32Array(2 * count);
  for (let at = 0; at < positions.length; at += 2) positions[at] = NO_SLOT;
  return positions;
}

/**
 * A 32-bit hash of a string, four characters a step (the mixing steps of the well-known
 * MurmurHash3, written here for UTF-16 code units; lease ids are ASCII).
 */
export function hashId(id: string): number {
  const length = id.length;
  let h = length;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    let k =
      id.charCodeAt(i) |
      (id.charCodeAt(i + 1) << 8) |
      (id.charCodeAt(i + 2) << 16) |
      (id.charCodeAt(i + 3) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  for (; i < length; i++) {
    h ^= Math.imul(id.charCodeAt(i), 0xcc9e2d51);
    h = (h << 15) | (h >>> 17);
  }

  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
