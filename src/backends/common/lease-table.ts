import type { Requirement } from '../../domain/requests.ts';

// What a slot holds.
export const FREE = 0;
export const ALLOWED = 1;
export const COMPLETED = 2;
export const DENIED = 3;
/** A later record of the same lease took this slot's place; it waits in the forget queue. */
export const REPLACED = 4;
export type SlotState = typeof FREE | typeof ALLOWED | typeof COMPLETED | typeof DENIED |
  typeof REPLACED;

// The numbers of one slot, side by side in one Float64Array (one cache line or two).
const STATE = 0;
/** Allowed and completed: the reserve instant. Denied: the retry hint given. */
const RESERVED_AT_OR_RETRY = 1;
const FIRST_EXPIRY = 2;
const LAST_EXPIRY = 3;
const FORGET_AT = 4;
/** The amount of a lease with one requirement. */
const AMOUNT = 5;
const REQUIREMENT_COUNT = 6;
const NUMBERS = 8;

// The references of one slot, side by side in one array (its lease id is in the LeaseIndex).
/** The key of a lease with one requirement; with more, a flat list [key, amount, key, ...]. */
const REQUIREMENTS = 0;
const HOLDS = 1;
/** Denied: the error given. */
const ERROR = 2;
const REFERENCES = 3;

const INITIAL_SLOTS = 64;

/**
 * The LeaseBook's records, one slot per lease, laid out as a structure of arrays: numbers in a
 * Float64Array, references in one plain array (the lease's id is kept by the LeaseIndex). A
 * record is then no object at all, its instants are not boxed, and forgetting it is reusing its
 * slot, so remembering leases makes no garbage: the old representation (an object per lease, a
 * boxed number per instant) spent a third of a reserve's time in the garbage collector.
 *
 * Slots are reused last freed first, so a busy book keeps writing to memory that is in cache.
 */
export class LeaseTable<H> {
  private numbers = new Float64Array(INITIAL_SLOTS * NUMBERS);
  private readonly references: unknown[] = new Array<unknown>(INITIAL_SLOTS * REFERENCES);
  /** A stack of freed slots. */
  private freeSlots = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  private slotCount = 0;

  /** Slots in use or freed so far: every slot index is below this. */
  get capacity(): number {
    return this.numbers.length / NUMBERS;
  }

  /** A free slot, growing the table (see `capacity`) if none is left. */
  take(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;

    const slot = this.slotCount++;
    if (slot === this.capacity) {
      const numbers = new Float64Array(2 * this.numbers.length);
      numbers.set(this.numbers);
      this.numbers = numbers;
      this.references.length = 2 * this.references.length;
      const freeSlots = new Int32Array(2 * this.freeSlots.length);
      freeSlots.set(this.freeSlots);
      this.freeSlots = freeSlots;
    }
    return slot;
  }

  free(slot: number): void {
    this.numbers[slot * NUMBERS + STATE] = FREE;
    const at = slot * REFERENCES;
    // Drop the references so that the lease's keys and holds can be collected.
    this.references[at + REQUIREMENTS] = undefined;
    this.references[at + HOLDS] = undefined;
    this.references[at + ERROR] = undefined;
    this.freeSlots[this.freeCount++] = slot;
  }

  clear(): void {
    this.numbers.fill(0);
    this.references.fill(undefined);
    this.freeCount = 0;
    this.slotCount = 0;
  }

  setAllowed(
    slot: number,
    requirements: readonly Requirement[],
    reservedAtMs: number,
    firstExpiryMs: number,
    lastExpiryMs: number,
    holds: H,
  ): void {
    const n = slot * NUMBERS;
    const numbers = this.numbers;
    numbers[n + STATE] = ALLOWED;
    numbers[n + RESERVED_AT_OR_RETRY] = reservedAtMs;
    numbers[n + FIRST_EXPIRY] = firstExpiryMs;
    numbers[n + LAST_EXPIRY] = lastExpiryMs;
    numbers[n + REQUIREMENT_COUNT] = requirements.length;

    const r = slot * REFERENCES;
    this.references[r + HOLDS] = holds;
    // A copy, so that a caller reusing its request cannot change what the lease asked for.
    if (requirements.length === 1) {
      numbers[n + AMOUNT] = requirements[0]!.amount;
      this.references[r + REQUIREMENTS] = requirements[0]!.key;
    } else {
      const flat = new Array<string | number>(2 * requirements.length);
      for (let i = 0; i < requirements.length; i++) {
        flat[2 * i] = requirements[i]!.key;
        flat[2 * i + 1] = requirements[i]!.amount;
      }
      this.references[r + REQUIREMENTS] = flat;
    }
  }

  setDenied(slot: number, error: string, retryAfterMs: number): void {
    const n = slot * NUMBERS;
    this.numbers[n + STATE] = DENIED;
    this.numbers[n + RESERVED_AT_OR_RETRY] = retryAfterMs;
    this.numbers[n + REQUIREMENT_COUNT] = 0;
    this.references[slot * REFERENCES + ERROR] = error;
  }

  /** An allowed lease completed: it keeps its requirements for replays, not its holds. */
  setCompleted(slot: number): void {
    this.numbers[slot * NUMBERS + STATE] = COMPLETED;
    this.references[slot * REFERENCES + HOLDS] = undefined;
  }

  setState(slot: number, state: SlotState): void {
    this.numbers[slot * NUMBERS + STATE] = state;
  }

  setForgetAtMs(slot: number, forgetAtMs: number): void {
    this.numbers[slot * NUMBERS + FORGET_AT] = forgetAtMs;
  }

  state(slot: number): SlotState {
    return this.numbers[slot * NUMBERS + STATE]! as SlotState;
  }

  reservedAtMs(slot: number): number {
    return this.numbers[slot * NUMBERS + RESERVED_AT_OR_RETRY]!;
  }

  retryAfterMs(slot: number): number {
    return this.numbers[slot * NUMBERS + RESERVED_AT_OR_RETRY]!;
  }

  error(slot: number): string {
    return this.references[slot * REFERENCES + ERROR] as string;
  }

  firstExpiryMs(slot: number): number {
    return this.numbers[slot * NUMBERS + FIRST_EXPIRY]!;
  }

  lastExpiryMs(slot: number): number {
    return this.numbers[slot * NUMBERS + LAST_EXPIRY]!;
  }

  forgetAtMs(slot: number): number {
    return this.numbers[slot * NUMBERS + FORGET_AT]!;
  }

  holds(slot: number): H {
    return this.references[slot * REFERENCES + HOLDS] as H;
  }

  requirementCount(slot: number): number {
    return this.numbers[slot * NUMBERS + REQUIREMENT_COUNT]!;
  }

  /** The key of requirement `i`, in the order the reserve listed them. */
  requirementKey(slot: number, i: number): string {
    const stored = this.references[slot * REFERENCES + REQUIREMENTS];
    if (typeof stored === 'string') return stored;
    return (stored as Array<string | number>)[2 * i] as string;
  }

  requirementAmount(slot: number, i: number): number {
    const stored = this.references[slot * REFERENCES + REQUIREMENTS];
    if (typeof stored === 'string') return this.numbers[slot * NUMBERS + AMOUNT]!;
    return (stored as Array<string | number>)[2 * i + 1] as number;
  }

  /** Same key → amount pairs as `requirements`, order ignored (keys are unique in a request). */
  sameRequirements(slot: number, requirements: readonly Requirement[]): boolean {
    const count = this.requirementCount(slot);
    if (requirements.length !== count) return false;

    const stored = this.references[slot * REFERENCES + REQUIREMENTS];
    if (typeof stored === 'string') {
      const only = requirements[0]!;
      return only.key === stored && only.amount === this.numbers[slot * NUMBERS + AMOUNT];
    }
    const flat = stored as Array<string | number>;
    for (const requirement of requirements) {
      let i = 0;
      while (i < flat.length && flat[i] !== requirement.key) i += 2;
      if (i === flat.length || flat[i + 1] !== requirement.amount) return false;
    }
    return true;
  }

  /** The requirements as objects (fresh ones: the table keeps none). */
  requirements(slot: number): Requirement[] {
    const count = this.requirementCount(slot);
    const list: Requirement[] = new Array<Requirement>(count);
    for (let i = 0; i < count; i++) {
      list[i] = { key: this.requirementKey(slot, i), amount: this.requirementAmount(slot, i) };
    }
    return list;
  }
}
