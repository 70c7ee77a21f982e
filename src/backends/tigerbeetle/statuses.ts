import type { CreateTransferResult } from 'tigerbeetle-node';
import { CreateTransferStatus } from 'tigerbeetle-node/dist/bindings.js';

export { CreateTransferStatus, CreateAccountStatus } from 'tigerbeetle-node/dist/bindings.js';

/** A status as a word for logs: `exceeds_credits` rather than 54. */
export function transferStatusName(status: number): string {
  return CreateTransferStatus[status] ?? `unknown_status_${status}`;
}

/** The event that broke a linked chain and what it answered. */
export interface ChainCause {
  /** Index within the chain. */
  index: number;
  status: CreateTransferStatus;
}

/**
 * Why a chain failed, or undefined if every event was created. In a failed chain exactly one
 * event carries its own status and every other one answers `linked_event_failed`.
 */
export function chainCause(results: readonly CreateTransferResult[]): ChainCause | undefined {
  let allCreated = true;
  for (let index = 0; index < results.length; index++) {
    const status = results[index]!.status;
    if (status === CreateTransferStatus.created) continue;
    allCreated = false;
    if (status !== CreateTransferStatus.linked_event_failed) return { index, status };
  }
  if (allCreated) return undefined;
  // Only linked_event_failed: not something TigerBeetle answers, so the caller treats it as such.
  return { index: 0, status: CreateTransferStatus.linked_event_failed };
}

/** `exists` or `exists_with_different_*`: the id was created by an earlier request. */
export function isExists(status: number): boolean {
  return (
    status === CreateTransferStatus.exists || transferStatusName(status).startsWith('exists_with_')
  );
}
