import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Test seams: each step of an atomic write can be made to fail, as a crash would. */
export interface AtomicWriteHooks {
  afterTempWritten?: () => void;
  afterRename?: () => void;
}

/**
 * Replaces `file` with `contents` so that a crash at any moment leaves either the old or the new
 * contents, never a mix: write a temporary file beside it, fsync it, rename it over the target,
 * then fsync the folder so the rename itself is durable.
 */
export function writeFileAtomic(
  file: string,
  contents: string,
  hooks: AtomicWriteHooks = {},
): void {
  const folder = dirname(file);
  const temp = join(folder, `.${basename(file)}.tmp-${process.pid}`);

  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }

  try {
    hooks.afterTempWritten?.();
    renameSync(temp, file);
  } catch (error) {
    // The old file is untouched; do not leave the temporary file behind either.
    try {
      unlinkSync(temp);
    } catch {
      // Already gone: nothing to clean.
    }
    throw error;
  }

  hooks.afterRename?.();
  const dirFd = openSync(folder, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
