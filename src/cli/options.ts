/**
 * Command-line option parsing shared by the CLIs: each option has one parser that turns text
 * into a value or throws OptionError with the rule it broke, so a flag, an environment
 * variable and a config-file entry are judged by the same words.
 */

export class OptionError extends Error {
  override name = 'OptionError';
}

export type Parse<T> = (text: string) => T;

export function integer(min: number, max: number): Parse<number> {
  return (text) => {
    const value = /^-?[0-9]+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new OptionError(`must be an integer from ${min} to ${max}`);
    }
    return value;
  };
}

export function decimal(min: number, max: number): Parse<number> {
  return (text) => {
    const trimmed = text.trim();
    const value = /^[0-9]+(\.[0-9]+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new OptionError(`must be a number from ${min} to ${max}`);
    }
    return value;
  };
}

export function oneOf<T extends string>(choices: readonly T[]): Parse<T> {
  return (text) => {
    if (!(choices as readonly string[]).includes(text)) {
      throw new OptionError(`must be one of ${choices.join(', ')}`);
    }
    return text as T;
  };
}

export function nonEmpty(rule = 'must not be empty'): Parse<string> {
  return (text) => {
    if (text.length === 0) throw new OptionError(rule);
    return text;
  };
}

/** Host and port. IPv6 hosts in brackets: `[::1]:8080`. */
export function hostPort(text: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):([0-9]+)$/.exec(text);
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match === null || !Number.isSafeInteger(port) || port > 65535) {
    throw new OptionError('must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8080');
  }
  const host = match[1]!.startsWith('[') ? match[1]!.slice(1, -1) : match[1]!;
  return { host, port };
}

/** Splits argv into `--name value` / `--name=value` pairs and bare switches. */
export function splitArgs(
  argv: readonly string[],
  switches: ReadonlySet<string>,
  known: ReadonlySet<string>,
): Map<string, string> {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new OptionError(`${arg}: unexpected argument`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.has(name)) throw new OptionError(`--${name}: is not a known option (see --help)`);

    if (switches.has(name)) {
      if (eq !== -1) throw new OptionError(`--${name}: takes no value`);
      given.set(name, 'true');
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new OptionError(`--${name}: needs a value`);
    given.set(name, value);
  }
  return given;
}
