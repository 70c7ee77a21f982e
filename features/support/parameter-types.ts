import { defineParameterType } from '@cucumber/cucumber';

import type { KeyAmount } from './world.ts';

const KEY_AMOUNT = /(\d+) of "([^"]*)"/g;

/** `2 of "provider" and 2 of "user"`, `1 of "a", 1 of "b" and 1 of "c"`. */
export function parseAmounts(text: string): KeyAmount[] {
  const amounts: KeyAmount[] = [];
  for (const match of text.matchAll(KEY_AMOUNT)) {
    // Number(), not parseInt: amounts up to 2^53 − 1 are exact, larger ones are sent as written.
    amounts.push({ key: match[2]!, amount: Number(match[1]) });
  }
  return amounts;
}

defineParameterType({
  name: 'amounts',
  regexp: /\d+ of "[^"]*"(?:(?:, | and )\d+ of "[^"]*")*/,
  transformer: parseAmounts,
});

/** A whole number of any size (debts outgrow 2^53 − 1). */
defineParameterType({
  name: 'big',
  regexp: /-?\d+/,
  transformer: (text: string) => BigInt(text),
});

/**
 * `"key-1" to "key-32"`: numbered names. Both ends share a prefix and count up by one.
 */
export function expandRange(first: string, last: string): string[] {
  const from = /^(.*?)(\d+)$/.exec(first);
  const to = /^(.*?)(\d+)$/.exec(last);
  if (from === null || to === null || from[1] !== to[1]) {
    throw new Error(`"${first}" to "${last}" is not a numbered range`);
  }
  const names: string[] = [];
  for (let i = Number(from[2]); i <= Number(to[2]); i++) names.push(`${from[1]}${i}`);
  return names;
}
