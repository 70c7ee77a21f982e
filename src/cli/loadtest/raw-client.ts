/**
 * The load tool's default client: the four lease calls over RawConnections, one connection per
 * concurrent caller. It reads answers as the HTTP client does (200, or a 503 that carries an
 * answer) and turns anything else into a `backend_error` answer whose detail says what came
 * back, so the load report counts it as an error.
 */
import { BACKEND_ERROR } from '../../domain/errors.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../../domain/requests.ts';
import { completeBackendError, reserveBackendError } from '../../domain/responses.ts';
import { RawConnection, type RawAnswer } from './raw-connection.ts';
import type { LoadClient } from './run-load.ts';

export class RawLoadClient implements LoadClient {
  private readonly idle: RawConnection[] = [];
  private readonly all: RawConnection[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  async reserve(request: ReserveRequest): Promise<ReserveResponse> {
    const answer = await this.exchange('/v1/reserve', JSON.stringify(request));
    return single(answer, reserveBackendError);
  }

  async complete(request: CompleteRequest): Promise<CompleteResponse> {
    const answer = await this.exchange('/v1/complete', JSON.stringify(request));
    return single(answer, completeBackendError);
  }

  async reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]> {
    const answer = await this.exchange('/v1/reserve/batch', JSON.stringify({ requests }));
    return batch(answer, requests.length, reserveBackendError);
  }

  async completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]> {
    const answer = await this.exchange('/v1/complete/batch', JSON.stringify({ requests }));
    return batch(answer, requests.length, completeBackendError);
  }

  close(): void {
    for (const connection of this.all) connection.close();
  }

  /** One POST on an idle connection (a new one when none is idle). */
  private async exchange(path: string, body: string): Promise<RawAnswer | string> {
    const connection = this.idle.pop() ?? this.open();
    try {
      return await connection.send('POST', path, body);
    } catch (error) {
      return (error as Error).message;
    } finally {
      this.idle.push(connection);
    }
  }

  private open(): RawConnection {
    const url = new URL(this.baseUrl);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const connection = new RawConnection(host, Number(url.port || 80), this.timeoutMs);
    this.all.push(connection);
    return connection;
  }
}

type Failure<A> = () => A;

function failed<A extends { detail?: string }>(failure: Failure<A>, detail: string): A {
  return { ...failure(), detail };
}

function parsed(answer: RawAnswer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

function describe(answer: RawAnswer | string): string {
  if (typeof answer === 'string') return answer;
  return `http: status ${answer.status}: ${answer.text.slice(0, 200)}`;
}

function single<A extends { error: string; detail?: string }>(
  answer: RawAnswer | string,
  failure: Failure<A>,
): A {
  if (typeof answer === 'string') return failed(failure, describe(answer));
  const body = parsed(answer) as A | undefined;
  const carriesAnswer = answer.status === 503 && body?.error === BACKEND_ERROR;
  if (body !== undefined && (answer.status === 200 || carriesAnswer)) return body;
  return failed(failure, describe(answer));
}

function batch<A extends { detail?: string }>(
  answer: RawAnswer | string,
  count: number,
  failure: Failure<A>,
): A[] {
  const every = (detail: string): A[] =>
    Array.from({ length: count }, () => failed(failure, detail));
  if (typeof answer === 'string' || answer.status !== 200) return every(describe(answer));
  const results = (parsed(answer) as { results?: unknown } | undefined)?.results;
  if (Array.isArray(results) && results.length === count) return results as A[];
  return every('http: answer has the wrong item count');
}
