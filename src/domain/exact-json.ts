/**
 * JSON parsing that never rounds a number. `JSON.parse` turns 1.0000000000000001 into 1 and
 * 9007199254740993 into 9007199254740992; a limiter must refuse such input, not silently change
 * it. Any number literal that is not a plain integer within ±(2^53 − 1) is handed on as an
 * `InexactNumber`, which every validator refuses with the rule of the field it stands in.
 */
export interface InexactNumber {
  readonly $inexactNumber: string;
}

export function isInexactNumber(value: unknown): value is InexactNumber {
  return typeof value === 'object' && value !== null && '$inexactNumber' in value;
}

const PLAIN_INTEGER = /^-?(0|[1-9][0-9]*)$/;
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** Parses JSON text; throws SyntaxError on malformed text, as JSON.parse does. */
export function parseExactJson(text: string): unknown {
  const literals = findLooseNumbers(text);
  if (literals.length === 0) return JSON.parse(text);

  // Rewrite each loose literal as an object the validators recognise, then parse.
  let rewritten = '';
  let from = 0;
  for (const [start, end] of literals) {
    const literal = text.slice(start, end);
    rewritten += text.slice(from, start) + `{"$inexactNumber":${JSON.stringify(literal)}}`;
    from = end;
  }
  rewritten += text.slice(from);
  return JSON.parse(rewritten);
}

/** Spans of number literals, outside strings, that are not exact safe integers. */
function findLooseNumbers(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i);
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      let digitsOnly = c !== 0x2d;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d >= 0x30 && d <= 0x39) end++;
        else if (isNumberPunctuation(d)) {
          digitsOnly = false;
          end++;
        } else break;
      }

      // Up to 15 digits is always a safe integer: the common case needs no second look.
      const short = digitsOnly && end - i <= 15 && (c !== 0x30 || end - i === 1);
      if (short) {
        i = end;
        continue;
      }
      const literal = text.slice(i, end);
      const exact = PLAIN_INTEGER.test(literal) && Number.isSafeInteger(Number(literal));
      // A malformed literal (`1-2`, `01`) is left in place so that JSON.parse refuses it.
      if (!exact && JSON_NUMBER.test(literal)) spans.push([i, end]);
      i = end;
      continue;
    }
    i++;
  }
  return spans;
}

/** `-`, `+`, `.`, `e`, `E`: the characters of a number literal besides digits. */
function isNumberPunctuation(code: number): boolean {
  return code === 0x2d || code === 0x2b || code === 0x2e || code === 0x65 || code === 0x45;
}

function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}
