/**
 * The one place where HTTP errors are made. Routes throw an HttpError (or let anything else
 * escape); `errorReply` turns whatever was thrown into a status and a body of the form
 * `{error, detail}`, so every refusal the server sends reads the same way.
 */
import {
  BACKEND_ERROR,
  INVALID_REQUEST,
  KIND_IMMUTABLE,
} from '../domain/errors.ts';

export interface ErrorBody {
  error: string;
  detail: string;
}

export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    /** Extra response headers, e.g. WWW-Authenticate on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.error}: ${body.detail}`);
  }
}

/** A malformed request: `detail` is `<field>: <rule>`, as the domain validators write it. */
export function invalidRequest(detail: string): HttpError {
  return new HttpError(400, { error: INVALID_REQUEST, detail });
}

export function unknownLimit(key: string): HttpError {
  return new HttpError(404, { error: 'unknown_limit', detail: `key: no limit named ${key}` });
}

export function routeNotFound(method: string, url: string): HttpError {
  return new HttpError(404, { error: 'not_found', detail: `route: no route ${method} ${url}` });
}

export function kindImmutable(detail: string): HttpError {
  return new HttpError(409, { error: KIND_IMMUTABLE, detail });
}

export function unauthorized(): HttpError {
  return new HttpError(
    401,
    { error: 'unauthorized', detail: 'authorization: must be "Bearer <admin token>"' },
    { 'www-authenticate': 'Bearer realm="ratelimiterd admin"' },
  );
}

export function payloadTooLarge(limitBytes: number): HttpError {
  return new HttpError(413, {
    error: 'payload_too_large',
    detail: `body: must be at most ${limitBytes} bytes`,
  });
}

export function unsupportedMediaType(): HttpError {
  return new HttpError(415, {
    error: 'unsupported_media_type',
    detail: 'content-type: must be application/json',
  });
}

/** The backend threw: the outcome is unknown, so the client must retry with the same lease. */
export function backendFailure(): HttpError {
  return new HttpError(503, {
    error: BACKEND_ERROR,
    detail: 'backend: failed or unavailable; the outcome is unknown, retry with the same lease',
  });
}

export function shuttingDown(): HttpError {
  return new HttpError(503, { error: 'shutting_down', detail: 'server: is shutting down' });
}

/** Fastify's own refusals, by code, mapped onto ours so that bad input is never a 5xx. */
interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * What to answer for anything thrown while serving a request. `unexpected` is true when the error
 * is not a refusal of bad input (a backend exception, a bug): the caller logs those.
 */
export function errorReply(
  error: unknown,
  bodyLimitBytes: number,
): { http: HttpError; unexpected: boolean } {
  if (error instanceof HttpError) return { http: error, unexpected: false };

  const framework = (error ?? {}) as FrameworkError;
  switch (framework.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { http: payloadTooLarge(bodyLimitBytes), unexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { http: unsupportedMediaType(), unexpected: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { http: invalidRequest('body: must not be empty'), unexpected: false };
    case 'FST_ERR_BAD_URL':
      return { http: invalidRequest('url: must be validly percent-encoded'), unexpected: false };
    default:
      break;
  }

  // Any other client-side refusal by the framework (a 4xx) keeps its status but our shape.
  const status = framework.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const detail = `request: ${framework.message ?? 'refused'}`;
    return { http: new HttpError(status, { error: INVALID_REQUEST, detail }), unexpected: false };
  }
  return { http: backendFailure(), unexpected: true };
}
