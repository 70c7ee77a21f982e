/**
 * The load tool's after-the-fact check: from the allowed answers alone, did any rolling key admit
 * more than its capacity within one window? A hold made at t counts at every instant u with
 * t <= u < t + window, so the instants to check are the reservation times themselves: at each,
 * sum the amounts reserved in (t - window, t]. Two pointers over the sorted times: O(n log n).
 *
 * Sound only for amounts that stay held for their whole window (the tool completes with the
 * amount it reserved, which changes nothing), and conservative when the key was shared with
 * other traffic (that could only have admitted less).
 */

export interface Admission {
  key: string;
  reservedAtMs: number;
  amount: number;
}

export interface RollingLimit {
  capacity: number;
  windowMs: number;
}

export interface WindowViolation {
  key: string;
  /** The instant at which too much was held. */
  atMs: number;
  held: number;
  capacity: number;
}

export function findWindowViolations(
  admissions: readonly Admission[],
  limits: ReadonlyMap<string, RollingLimit>,
): WindowViolation[] {
  const byKey = new Map<string, Admission[]>();
  for (const admission of admissions) {
    let list = byKey.get(admission.key);
    if (list === undefined) byKey.set(admission.key, (list = []));
    list.push(admission);
  }

  const violations: WindowViolation[] = [];
  for (const [key, list] of byKey) {
    const limit = limits.get(key);
    if (limit === undefined) continue;
    list.sort((a, b) => a.reservedAtMs - b.reservedAtMs);

    let from = 0;
    let held = 0;
    let worst: WindowViolation | undefined;
    for (let i = 0; i < list.length; i++) {
      const at = list[i]!.reservedAtMs;
      held += list[i]!.amount;
      while (list[from]!.reservedAtMs <= at - limit.windowMs) held -= list[from++]!.amount;
      // Equal instants: judge after the last admission at this instant.
      if (i + 1 < list.length && list[i + 1]!.reservedAtMs === at) continue;
      if (held > limit.capacity && (worst === undefined || held > worst.held)) {
        worst = { key, atMs: at, held, capacity: limit.capacity };
      }
    }
    if (worst !== undefined) violations.push(worst);
  }
  return violations;
}
