import { isLimitKey } from '../../src/domain/keys.ts';

/**
 * Scenarios name limits by short keys ("tpm"). On a shared, long-lived ledger every scenario
 * gets its own prefix so that accounts of one scenario never meet another's; on the simulated
 * targets the prefix is empty and keys travel as written. Answers are read back with the prefix
 * taken out, so that steps compare against the names in the feature file.
 */
export class KeyNames {
  constructor(readonly prefix: string) {}

  wire(alias: string): string {
    return this.prefix + alias;
  }

  /** An answer's text (an error naming a key) in the scenario's own names. */
  read(text: string): string {
    return this.prefix === '' ? text : text.split(this.prefix).join('');
  }

  /**
   * Prefixes the `key` fields of a request body written in a feature file. A key that breaks the
   * key rule is sent as written, so that it is refused for the same reason on every target.
   */
  wireBody(body: unknown): unknown {
    if (this.prefix === '') return body;
    if (Array.isArray(body)) return body.map((item) => this.wireBody(item));
    if (typeof body !== 'object' || body === null) return body;

    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body)) {
      const key = name === 'key' && isLimitKey(value);
      out[name] = key ? this.wire(value) : this.wireBody(value);
    }
    return out;
  }
}
