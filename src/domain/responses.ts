import { BACKEND_ERROR, INVALID_REQUEST } from './errors.ts';
import type { CompleteResponse, ReserveResponse } from './requests.ts';

export function allowed(reservedAtMs: number): ReserveResponse {
  return { allowed: true, retry_after_ms: 0, reserved_at_unix_ms: reservedAtMs, error: '' };
}

export function denied(error: string, retryAfterMs: number): ReserveResponse {
  return { allowed: false, retry_after_ms: retryAfterMs, reserved_at_unix_ms: 0, error };
}

export function invalidReserve(detail: string): ReserveResponse {
  return { ...denied(INVALID_REQUEST, 0), detail };
}

export function reserveBackendError(): ReserveResponse {
  return denied(BACKEND_ERROR, 0);
}

export function completed(): CompleteResponse {
  return { ok: true, error: '' };
}

export function invalidComplete(detail: string): CompleteResponse {
  return { ok: false, error: INVALID_REQUEST, detail };
}

export function completeBackendError(): CompleteResponse {
  return { ok: false, error: BACKEND_ERROR };
}
