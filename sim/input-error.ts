/**
 * A problem with what the user handed the simulator (a file that is missing or malformed, an
 * unknown backend name): reported as one line and exit code 2, never as a crash with a stack.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** Node's file-system errors (ENOENT, EACCES, EISDIR, ...) are input problems too. */
export function isInputProblem(error: unknown): error is Error {
  if (error instanceof InputError) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
  return error instanceof Error && typeof code === 'string' && typeof syscall === 'string';
}
