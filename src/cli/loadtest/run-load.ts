/**
 * The load itself: `connections` clients, each sending one request at a time until the duration
 * or the request budget runs out. Single mode: reserve one key, complete it when allowed.
 * Batch mode: reserve a batch, complete the allowed ones in one batch. Completes report the
 * amount reserved, which changes nothing, so the window check stays exact.
 */
import { performance } from 'node:perf_hooks';

import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../../domain/requests.ts';
import type { UlidFactory } from '../../domain/ulid.ts';
import type { Admission } from './window-check.ts';

/** The four lease calls the load makes: HttpLimiter, or the load tool's own RawLoadClient. */
export interface LoadClient {
  reserve(request: ReserveRequest): Promise<ReserveResponse>;
  complete(request: CompleteRequest): Promise<CompleteResponse>;
  reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]>;
  completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]>;
}

export interface LoadPlan {
  connections: number;
  durationS: number;
  mode: 'single' | 'batch';
  batchSize: number;
  maxRequests: number;
  keys: readonly string[];
  /** Complete each allowed reserve; with 'no' the load is reserves only. */
  completes: 'yes' | 'no';
}

export interface LoadResult {
  elapsedS: number;
  httpRequests: number;
  reserves: { allowed: number; denied: number; error: number };
  completes: { ok: number; error: number };
  /** Round-trip times of reserve requests (single or batch), in milliseconds. */
  reserveLatencyMs: number[];
  completeLatencyMs: number[];
  admissions: Admission[];
  /** A few distinct error answers, to say what went wrong. */
  errorSamples: string[];
}

export async function runLoad(
  limiter: LoadClient,
  ids: UlidFactory,
  plan: LoadPlan,
): Promise<LoadResult> {
  const result: LoadResult = {
    elapsedS: 0,
    httpRequests: 0,
    reserves: { allowed: 0, denied: 0, error: 0 },
    completes: { ok: 0, error: 0 },
    reserveLatencyMs: [],
    completeLatencyMs: [],
    admissions: [],
    errorSamples: [],
  };
  const startedAt = performance.now();
  const endAt = startedAt + plan.durationS * 1000;
  const budgetLeft = (): boolean =>
    performance.now() < endAt && result.httpRequests < plan.maxRequests;

  const noteError = (answer: { error: string; detail?: string }): void => {
    const text = `${answer.error}${answer.detail === undefined ? '' : `: ${answer.detail}`}`;
    if (result.errorSamples.length < 5 && !result.errorSamples.includes(text)) {
      result.errorSamples.push(text);
    }
  };

  const count = (request: ReserveRequest, answer: ReserveResponse): boolean => {
    if (answer.allowed) {
      result.reserves.allowed++;
      const { key, amount } = request.requirements[0]!;
      result.admissions.push({ key, amount, reservedAtMs: answer.reserved_at_unix_ms });
      return true;
    }
    if (answer.error === 'backend_error' || answer.error === 'invalid_request') {
      result.reserves.error++;
      noteError(answer);
    } else {
      result.reserves.denied++;
    }
    return false;
  };

  const timed = async <T>(samples: number[], call: () => Promise<T>): Promise<T> => {
    result.httpRequests++;
    const t0 = performance.now();
    const answer = await call();
    samples.push(performance.now() - t0);
    return answer;
  };

  const completeOf = (request: ReserveRequest): CompleteRequest => ({
    lease_id: request.lease_id,
    actuals: request.requirements.map((r) => ({ key: r.key, actual_amount: r.amount })),
  });

  const client = async (index: number): Promise<void> => {
    let turn = index;
    const nextRequest = (): ReserveRequest => ({
      lease_id: ids.next(),
      requirements: [{ key: plan.keys[turn++ % plan.keys.length]!, amount: 1 }],
    });

    while (budgetLeft()) {
      if (plan.mode === 'single') {
        const request = nextRequest();
        const answer = await timed(result.reserveLatencyMs, () => limiter.reserve(request));
        if (!count(request, answer) || plan.completes === 'no') continue;
        const done = await timed(result.completeLatencyMs, () =>
          limiter.complete(completeOf(request)),
        );
        if (done.ok) result.completes.ok++;
        else (result.completes.error++, noteError(done));
        continue;
      }

      const requests = Array.from({ length: plan.batchSize }, nextRequest);
      const answers = await timed(result.reserveLatencyMs, () => limiter.reserveBatch(requests));
      const allowed = requests.filter((request, i) => count(request, answers[i]!));
      if (allowed.length === 0 || plan.completes === 'no') continue;
      const done = await timed(result.completeLatencyMs, () =>
        limiter.completeBatch(allowed.map(completeOf)),
      );
      for (const answer of done) {
        if (answer.ok) result.completes.ok++;
        else (result.completes.error++, noteError(answer));
      }
    }
  };

  await Promise.all(Array.from({ length: plan.connections }, (_, i) => client(i)));
  result.elapsedS = (performance.now() - startedAt) / 1000;
  return result;
}

/** The p-th percentile (0 < p <= 100) by nearest rank; 0 for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
