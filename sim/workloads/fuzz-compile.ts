import type { LimitDefinition } from '../../src/domain/limits.ts';
import type { CompleteRequest, ReserveRequest } from '../../src/domain/requests.ts';
import type { RequestOp, SimOp } from '../engine/operations.ts';
import type { FuzzCommand, Need } from './fuzz-commands.ts';

/** Where fuzz runs start: a fixed instant, so that case files are the same from run to run. */
export const FUZZ_START_MS = 1_700_000_000_000;

export function fuzzKey(index: number): string {
  return `fuzz:k${index}`;
}

/** Lease `i` of the pool: a fixed, valid ULID. */
export function fuzzLeaseId(index: number): string {
  return '01HZ' + String(index).padStart(22, '0');
}

/**
 * Turns commands into operations at absolute instants. A `late` command copies the last reserve
 * sent for its lease (and is dropped when there was none), so any sub-list still compiles.
 */
export function compileFuzzCommands(
  commands: readonly FuzzCommand[],
  startMs = FUZZ_START_MS,
): SimOp[] {
  const ops: SimOp[] = [];
  const lastReserve = new Map<number, ReserveRequest>();
  let atMs = startMs;

  const reserveOf = (lease: number, needs: Need[]): ReserveRequest => {
    const request: ReserveRequest = {
      lease_id: fuzzLeaseId(lease),
      requirements: needs.map((n) => ({ key: fuzzKey(n.key), amount: n.amount })),
    };
    lastReserve.set(lease, request);
    return request;
  };
  const completeOf = (lease: number, uses: Need[]): CompleteRequest => ({
    lease_id: fuzzLeaseId(lease),
    actuals: uses.map((n) => ({ key: fuzzKey(n.key), actual_amount: n.amount })),
  });

  for (const command of commands) {
    switch (command.c) {
      case 'put':
        ops.push({ op: 'put_limit', at_ms: atMs, request: definitionOf(command) });
        break;
      case 'reserve':
        ops.push(withFault(
          { op: 'reserve', at_ms: atMs, request: reserveOf(command.lease, command.needs) },
          command.fault,
        ));
        break;
      case 'complete':
        ops.push(withFault(
          { op: 'complete', at_ms: atMs, request: completeOf(command.lease, command.uses) },
          command.fault,
        ));
        break;
      case 'reserve_batch': {
        const requests = command.items.map((item) => reserveOf(item.lease, item.needs));
        ops.push({ op: 'reserve_batch', at_ms: atMs, request: { requests } });
        break;
      }
      case 'complete_batch': {
        const requests = command.items.map((item) => completeOf(item.lease, item.uses));
        ops.push({ op: 'complete_batch', at_ms: atMs, request: { requests } });
        break;
      }
      case 'late': {
        const request = lastReserve.get(command.lease);
        if (request !== undefined) ops.push({ op: 'reserve', at_ms: atMs, request, fault: 'late' });
        break;
      }
      case 'advance':
        atMs += command.ms;
        ops.push({ op: 'advance', at_ms: atMs });
        break;
      case 'tick':
        ops.push({ op: 'tick', at_ms: atMs });
        break;
      case 'get':
        ops.push({ op: 'get_limit', at_ms: atMs, key: fuzzKey(command.key) });
        break;
      case 'restart':
        ops.push({ op: 'restart', at_ms: atMs });
        break;
      case 'unavailable':
        ops.push({ op: 'unavailable', at_ms: atMs, for_ms: command.ms });
        break;
    }
  }
  return ops;
}

function definitionOf(command: Extract<FuzzCommand, { c: 'put' }>): LimitDefinition {
  const definition: LimitDefinition = {
    key: fuzzKey(command.key),
    kind: command.kind,
    capacity: command.capacity,
    overage: command.overage,
  };
  if (command.kind === 'rolling') definition.window_seconds = command.seconds;
  else definition.timeout_seconds = command.seconds;
  return definition;
}

function withFault(op: RequestOp, fault: 'duplicate' | 'lost' | undefined): RequestOp {
  if (fault !== undefined) op.fault = fault;
  return op;
}
