/** Reserve and complete requests and answers, shaped as the HTTP API writes them. */

export interface Requirement {
  key: string;
  amount: number;
}

export interface Actual {
  key: string;
  actual_amount: number;
}

export interface ReserveRequest {
  lease_id: string;
  job_id?: string;
  requirements: Requirement[];
}

export interface CompleteRequest {
  lease_id: string;
  job_id?: string;
  actuals: Actual[];
}

export interface ReserveResponse {
  allowed: boolean;
  retry_after_ms: number;
  /** 0 unless allowed. */
  reserved_at_unix_ms: number;
  /** "" when allowed or denied for capacity; otherwise one of the reasons in errors.ts. */
  error: string;
  /** Only with `error: invalid_request`: which field broke which rule. */
  detail?: string;
}

export interface CompleteResponse {
  ok: boolean;
  error: string;
  detail?: string;
}

export type PutLimitResponse =
  | { ok: true; status: 'active' | 'decreasing' }
  | { ok: false; error: string; detail?: string };
