/**
 * How long each hold of an allowed lease lasts, in the order of its requirements, or undefined
 * when all of them expire at the lease's first expiry (one requirement, or windows alike). A
 * hold expires at the lease's reserve instant plus its duration.
 *
 * Lists are shared and never changed: see DurationLists.
 */
export type HoldDurations = readonly number[] | undefined;

/** How many distinct lists are kept for reuse. */
const RECENT_LISTS = 8;

/**
 * Shared duration lists. Leases that ask for the same keys in the same order (and whose windows
 * did not change in between) have the same durations, and traffic is mostly a few such shapes,
 * so a lease with several requirements can point at a list made for an earlier one instead of
 * keeping a copy: in steady traffic, remembering durations makes no garbage.
 */
export class DurationLists {
  private readonly recent: (readonly number[])[] = [];
  private nextReplaced = 0;

  /** A shared list equal to the first `count` entries of `durations`. */
  share(durations: readonly number[], count: number): readonly number[] {
    for (const list of this.recent) if (startsWith(durations, list, count)) return list;

    const list = durations.slice(0, count);
    if (this.recent.length < RECENT_LISTS) {
      this.recent.push(list);
    } else {
      this.recent[this.nextReplaced] = list;
      this.nextReplaced = (this.nextReplaced + 1) % RECENT_LISTS;
    }
    return list;
  }
}

function startsWith(durations: readonly number[], list: readonly number[], count: number): boolean {
  if (list.length !== count) return false;
  for (let i = 0; i < count; i++) if (durations[i] !== list[i]) return false;
  return true;
}
