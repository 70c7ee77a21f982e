import type { Backend } from '../backends/backend.ts';
import type {
  CompleteRequest,
  CompleteResponse,
  ReserveRequest,
  ReserveResponse,
} from '../domain/requests.ts';
import { invalidComplete, invalidReserve } from '../domain/responses.ts';
import { validateComplete, validateReserve } from '../domain/validate.ts';
import type { Limiter } from './limiter.ts';

/** A Limiter over a backend in this process: validation, then the backend, no I/O. */
export class LocalLimiter implements Limiter {
  constructor(private readonly backend: Backend) {}

  async reserve(request: ReserveRequest): Promise<ReserveResponse> {
    const checked = validateReserve(request);
    if (!checked.ok) return invalidReserve(checked.detail);
    return this.backend.reserve(checked.value);
  }

  async complete(request: CompleteRequest): Promise<CompleteResponse> {
    const checked = validateComplete(request);
    if (!checked.ok) return invalidComplete(checked.detail);
    return this.backend.complete(checked.value);
  }

  async reserveBatch(requests: ReserveRequest[]): Promise<ReserveResponse[]> {
    const checked = requests.map((request, i) => validateReserve(request, `requests[${i}]`));
    const valid = checked.flatMap((c) => (c.ok ? [c.value] : []));
    const answers = await this.backend.reserveBatch(valid);

    // Invalid items change nothing, so running only the valid ones keeps every item's view.
    let next = 0;
    return checked.map((c) => (c.ok ? answers[next++]! : invalidReserve(c.detail)));
  }

  async completeBatch(requests: CompleteRequest[]): Promise<CompleteResponse[]> {
    const checked = requests.map((request, i) => validateComplete(request, `requests[${i}]`));
    const valid = checked.flatMap((c) => (c.ok ? [c.value] : []));
    const answers = await this.backend.completeBatch(valid);

    let next = 0;
    return checked.map((c) => (c.ok ? answers[next++]! : invalidComplete(c.detail)));
  }
}
