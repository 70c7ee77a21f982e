/**
 * Thrown when an invariant of the program itself is broken. This is a bug, never a user error:
 * denials and bad input are values, not exceptions.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
