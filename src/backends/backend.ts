import type { LimitDefinition, LimitState, LimitView } from '../domain/limits.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  PutLimitResponse,
  ReserveRequest,
  ReserveResponse,
} from '../domain/requests.ts';

/**
 * One implementation of the contract in spec/semantics.md. Inputs are already validated (see
 * domain/validate.ts); every method reads time from the clock the backend was built with.
 * Denials are answers, never exceptions; an exception means a bug or a broken dependency.
 */
export interface Backend {
  readonly name: string;

  /** Creates or changes a limit; persisted before it resolves. */
  putLimit(definition: LimitDefinition): Promise<PutLimitResponse>;

  /** A limit's state and its usage now, or undefined for an unknown key. */
  getLimit(key: string): Promise<LimitView | undefined>;

  listLimits(): Promise<LimitState[]>;

  reserve(request: ReserveRequest): Promise<ReserveResponse>;

  complete(request: CompleteRequest): Promise<CompleteResponse>;

  /** Items run one after another in order; item i sees the effects of the items before it. */
  reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]>;

  completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]>;

  /**
   * Periodic work at the clock's current instant: applies pending decreases that fit, purges
   * what has expired. The owner (server or simulator) calls it every `decrease_poll_ms`.
   */
  tick(): Promise<void>;

  close(): Promise<void>;
}
