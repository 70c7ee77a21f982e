/**
 * A Limiter over ratelimiterd's HTTP API (spec/http-api.md), on Node's fetch (undici, which keeps
 * connections alive). Answers keep the Limiter's promise: a malformed request is answered
 * `invalid_request`, a call whose outcome is unknown (timeout, lost connection, 5xx) is answered
 * `backend_error` with a `detail` saying what happened, and only the caller's own abort or a
 * misconfiguration (a wrong URL, a wrong admin token) throws.
 */
import { BACKEND_ERROR } from '../domain/errors.ts';
import type { LimitDefinition, LimitState, LimitView } from '../domain/limits.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  PutLimitResponse,
  ReserveRequest,
  ReserveResponse,
} from '../domain/requests.ts';
import {
  completeBackendError,
  invalidComplete,
  invalidReserve,
  reserveBackendError,
} from '../domain/responses.ts';
import type { Clock } from '../time/clock.ts';
import { deadline } from './deadline.ts';
import type { CallOptions, Limiter } from './limiter.ts';
import { fetchTransport, type HttpTransport } from './transport.ts';

export const DEFAULT_CALL_TIMEOUT_MS = 5000;

export interface HttpLimiterOptions {
  /** Where ratelimiterd listens, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  /** Each call gives up after this long (default 5000 ms); its outcome is then unknown. */
  timeoutMs?: number;
  /** Runs the per-call timeout; default: real time (AbortSignal.timeout). */
  clock?: Clock;
  adminToken?: string;
  /** How requests travel (default: fetchTransport over `fetch` or the global fetch). */
  transport?: HttpTransport;
  /** A fetch to use instead of the global one (tests); ignored when `transport` is given. */
  fetch?: typeof fetch;
}

/** The server refused a call for a reason retrying cannot fix (401, 404 route, 405...). */
export class HttpLimiterError extends Error {
  override name = 'HttpLimiterError';

  constructor(
    readonly status: number,
    readonly error: string,
    readonly detail: string,
  ) {
    super(`HTTP ${status} ${error}: ${detail}`);
  }
}

/** What came back: a status and a parsed body, or why nothing usable came back. */
type Exchange =
  | { kind: 'answer'; status: number; body: unknown }
  | { kind: 'unknown'; detail: string };

interface ErrorBody {
  error?: unknown;
  detail?: unknown;
}

function errorText(body: unknown): { error: string; detail: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  return {
    error: typeof b.error === 'string' ? b.error : 'unknown',
    detail: typeof b.detail === 'string' ? b.detail : '',
  };
}

function withDetail<A extends { detail?: string }>(answer: A, detail: string): A {
  return { ...answer, detail };
}

export class HttpLimiter implements Limiter {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly transport: HttpTransport;

  constructor(private readonly options: HttpLimiterOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.transport = options.transport ?? fetchTransport(options.fetch);
  }

  async reserve(request: ReserveRequest, options?: CallOptions): Promise<ReserveResponse> {
    const exchange = await this.call('POST', '/v1/reserve', request, options);
    return this.single(exchange, invalidReserve, reserveBackendError, isReserveAnswer);
  }

  async complete(request: CompleteRequest, options?: CallOptions): Promise<CompleteResponse> {
    const exchange = await this.call('POST', '/v1/complete', request, options);
    return this.single(exchange, invalidComplete, completeBackendError, isCompleteAnswer);
  }

  async reserveBatch(
    requests: ReserveRequest[],
    options?: CallOptions,
  ): Promise<ReserveResponse[]> {
    const exchange = await this.call('POST', '/v1/reserve/batch', { requests }, options);
    return this.batch(exchange, requests.length, invalidReserve, reserveBackendError);
  }

  async completeBatch(
    requests: CompleteRequest[],
    options?: CallOptions,
  ): Promise<CompleteResponse[]> {
    const exchange = await this.call('POST', '/v1/complete/batch', { requests }, options);
    return this.batch(exchange, requests.length, invalidComplete, completeBackendError);
  }

  /** Creates or changes a limit. A refusal (400, 409) is a value; anything else throws. */
  async putLimit(definition: LimitDefinition, options?: CallOptions): Promise<PutLimitResponse> {
    const exchange = await this.call('PUT', '/v1/admin/limits', definition, options);
    const answer = this.definite(exchange);
    if (answer.status === 200) return answer.body as PutLimitResponse;
    if (answer.status === 400 || answer.status === 409) {
      const { error, detail } = errorText(answer.body);
      return { ok: false, error, detail };
    }
    throw this.failure(answer.status, answer.body);
  }

  /** A limit's state and usage (debt as a bigint), or undefined when there is no such limit. */
  async getLimit(key: string, options?: CallOptions): Promise<LimitView | undefined> {
    const path = `/v1/admin/limits/${encodeURIComponent(key)}`;
    const answer = this.definite(await this.call('GET', path, undefined, options));
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.failure(answer.status, answer.body);

    const limit = (answer.body as { limit: LimitView & { usage: { debt: number | string } } })
      .limit;
    return { ...limit, usage: { ...limit.usage, debt: BigInt(limit.usage.debt) } };
  }

  /** Closes idle connections of the transport. */
  close(): void {
    this.transport.close();
  }

  async listLimits(options?: CallOptions): Promise<LimitState[]> {
    const answer = this.definite(await this.call('GET', '/v1/admin/limits', undefined, options));
    if (answer.status !== 200) throw this.failure(answer.status, answer.body);
    return (answer.body as { limits: LimitState[] }).limits;
  }

  private single<A>(
    exchange: Exchange,
    invalid: (detail: string) => A,
    unknown: () => A,
    isAnswer: (body: unknown) => boolean,
  ): A {
    if (exchange.kind === 'unknown') return withDetail(unknown() as A & object, exchange.detail);
    const { status, body } = exchange;
    if (status === 200 || (status >= 500 && isAnswer(body))) return body as A;
    if (status === 400 || status === 413 || status === 415) return invalid(errorText(body).detail);
    if (status >= 500) return withDetail(unknown() as A & object, `http: status ${status}`);
    throw this.failure(status, body);
  }

  private batch<A>(
    exchange: Exchange,
    count: number,
    invalid: (detail: string) => A,
    unknown: () => A,
  ): A[] {
    const every = (answer: A): A[] => Array.from({ length: count }, () => ({ ...answer }));
    if (exchange.kind === 'unknown') {
      return every(withDetail(unknown() as A & object, exchange.detail));
    }
    const { status, body } = exchange;
    if (status === 200) {
      const results = (body as { results?: unknown }).results;
      if (Array.isArray(results) && results.length === count) return results as A[];
      return every(withDetail(unknown() as A & object, 'http: answer has the wrong item count'));
    }
    if (status === 400 || status === 413 || status === 415) {
      return every(invalid(errorText(body).detail));
    }
    if (status >= 500) return every(withDetail(unknown() as A & object, `http: status ${status}`));
    throw this.failure(status, body);
  }

  private definite(exchange: Exchange): { status: number; body: unknown } {
    if (exchange.kind === 'unknown') {
      throw new HttpLimiterError(0, BACKEND_ERROR, exchange.detail);
    }
    if (exchange.status >= 500) throw this.failure(exchange.status, exchange.body);
    return exchange;
  }

  private failure(status: number, body: unknown): HttpLimiterError {
    const { error, detail } = errorText(body);
    return new HttpLimiterError(status, error, detail);
  }

  private async call(
    method: string,
    path: string,
    body: unknown,
    options: CallOptions | undefined,
  ): Promise<Exchange> {
    const callerSignal = options?.signal;
    callerSignal?.throwIfAborted();
    const limit = deadline(this.timeoutMs, this.options.clock, callerSignal);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.adminToken !== undefined && path.startsWith('/v1/admin/')) {
      headers.authorization = `Bearer ${this.options.adminToken}`;
    }

    try {
      const response = await this.transport.send({
        method,
        url: this.baseUrl + path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: limit.signal,
      });
      let parsed: unknown = null;
      try {
        parsed = response.text === '' ? null : JSON.parse(response.text);
      } catch {
        if (response.status < 500) {
          return { kind: 'answer', status: response.status, body: { detail: response.text } };
        }
      }
      return { kind: 'answer', status: response.status, body: parsed };
    } catch (error) {
      // The caller's own abort is theirs to handle; anything else leaves the outcome unknown.
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (limit.timedOut()) {
        return { kind: 'unknown', detail: `transport: no answer within ${this.timeoutMs} ms` };
      }
      return { kind: 'unknown', detail: `transport: ${describe(error)}` };
    } finally {
      limit.dispose();
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return `${error.message} (${cause.code})`;
  return error.message;
}

function hasBoolean(body: unknown, field: string): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Record<string, unknown>)[field] === 'boolean'
  );
}

function isReserveAnswer(body: unknown): boolean {
  return hasBoolean(body, 'allowed');
}

function isCompleteAnswer(body: unknown): boolean {
  return hasBoolean(body, 'ok');
}
