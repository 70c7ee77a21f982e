import { UlidFactory } from '../../src/domain/ulid.ts';
import type { Clock } from '../../src/time/clock.ts';
import type { RandomSource } from '../../src/time/random.ts';

/**
 * Scenarios name leases by letters ("lease A"); the implementations see ULIDs made on the
 * target's clock from a seeded source, so a scenario sends the same ids on every run.
 */
export class LeaseNames {
  private readonly ids = new Map<string, string>();
  private readonly factory: UlidFactory;

  constructor(clock: Clock, random: RandomSource) {
    this.factory = new UlidFactory(clock, random);
  }

  /** The ULID of lease `alias`, made the first time the alias is used. */
  id(alias: string): string {
    let id = this.ids.get(alias);
    if (id === undefined) {
      id = this.factory.next();
      this.ids.set(alias, id);
    }
    return id;
  }

  /** Replaces `<lease A>` placeholders in a request body written in a feature file. */
  fill(text: string): string {
    return text.replace(/<lease ([A-Za-z0-9]+)>/g, (_match, alias: string) => this.id(alias));
  }
}
