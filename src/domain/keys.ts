/** A limit key: 1 to 256 characters of printable ASCII (0x21 to 0x7e), no whitespace. */
const KEY_PATTERN = /^[\x21-\x7e]{1,256}$/;

export function isLimitKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_PATTERN.test(value);
}

export const KEY_RULE = 'must be 1 to 256 printable ASCII characters without whitespace';
