/**
 * The figures ratelimiterd exposes on /metrics. Routes call the record* methods with what they
 * answered; the TigerBeetle backend can be handed `ledger` to report its requests.
 */
import type { CompleteResponse, ReserveRequest, ReserveResponse } from '../../domain/requests.ts';
import type { LedgerMetrics } from '../../observability/ledger-metrics.ts';
import { MetricsRegistry, type Counter, type Histogram } from './registry.ts';

const LATENCY_BUCKETS_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8189];

export type ReserveResult = 'allowed' | 'denied' | 'error';

/** allowed; denied (any answer the contract gives); error (invalid input, backend failure). */
export function reserveResult(answer: ReserveResponse): ReserveResult {
  if (answer.allowed) return 'allowed';
  if (answer.error === 'invalid_request' || answer.error === 'backend_error') return 'error';
  return 'denied';
}

/** The reason without the key it names: `capacity` for a plain capacity denial. */
export function reserveReason(answer: ReserveResponse): string {
  if (answer.allowed) return '';
  if (answer.error === '') return 'capacity';
  const colon = answer.error.indexOf(':');
  return colon === -1 ? answer.error : answer.error.slice(0, colon);
}

export class ServerMetrics {
  readonly registry: MetricsRegistry;
  readonly ledger: LedgerMetrics;

  private readonly reserves: Counter;
  private readonly keyReserves: Counter;
  private readonly completes: Counter;
  private readonly requests: Counter;
  private readonly latency: Histogram;
  private readonly batchSizes: Histogram;
  private readonly registryWrites: Counter;
  private readonly ticks: Counter;
  private readonly ledgerEvents: Histogram;
  private readonly ledgerLatency: Histogram;
  private readonly ledgerStatuses: Counter;

  constructor(registry = new MetricsRegistry()) {
    this.registry = registry;
    this.reserves = registry.counter(
      'ratelimiter_reserves_total',
      'Reserve answers by result (allowed, denied, error) and reason.',
      ['result', 'reason'],
    );
    this.keyReserves = registry.counter(
      'ratelimiter_key_reserves_total',
      'Reserve answers by limit key named in the request and result.',
      ['key', 'result'],
    );
    this.completes = registry.counter(
      'ratelimiter_completes_total',
      'Complete answers by result (ok, error) and reason.',
      ['result', 'reason'],
    );
    this.requests = registry.counter(
      'ratelimiter_http_requests_total',
      'HTTP requests by route and status.',
      ['route', 'status'],
    );
    this.latency = registry.histogram(
      'ratelimiter_http_request_duration_seconds',
      'Time from request received to response sent, by route.',
      ['route'],
      LATENCY_BUCKETS_SECONDS,
    );
    this.batchSizes = registry.histogram(
      'ratelimiter_batch_size',
      'Items per batch request, by operation.',
      ['op'],
      SIZE_BUCKETS,
    );
    this.registryWrites = registry.counter(
      'ratelimiter_registry_writes_total',
      'Admin puts by outcome (active, decreasing, kind_immutable, error).',
      ['outcome'],
    );
    this.ticks = registry.counter(
      'ratelimiter_ticks_total',
      'Backend ticks (decreases, purges) by result.',
      ['result'],
    );
    this.ledgerEvents = registry.histogram(
      'ratelimiter_ledger_request_events',
      'Events per TigerBeetle request, by operation.',
      ['operation'],
      SIZE_BUCKETS,
    );
    this.ledgerLatency = registry.histogram(
      'ratelimiter_ledger_request_duration_seconds',
      'TigerBeetle request round trips, by operation.',
      ['operation'],
      LATENCY_BUCKETS_SECONDS,
    );
    this.ledgerStatuses = registry.counter(
      'ratelimiter_ledger_results_total',
      'TigerBeetle event results by operation and status.',
      ['operation', 'status'],
    );

    this.ledger = {
      request: (operation, events, durationMs) => {
        this.ledgerEvents.observe([operation], events);
        this.ledgerLatency.observe([operation], durationMs / 1000);
      },
      statuses: (operation, status, count) => this.ledgerStatuses.inc([operation, status], count),
    };
  }

  reserve(request: ReserveRequest | undefined, answer: ReserveResponse): void {
    const result = reserveResult(answer);
    this.reserves.inc([result, reserveReason(answer)]);
    if (request === undefined) return;
    for (const requirement of request.requirements) this.keyReserves.inc([requirement.key, result]);
  }

  complete(answer: CompleteResponse): void {
    this.completes.inc([answer.ok ? 'ok' : 'error', answer.error]);
  }

  httpRequest(route: string, status: number, seconds: number): void {
    this.requests.inc([route, String(status)]);
    this.latency.observe([route], seconds);
  }

  batch(op: 'reserve' | 'complete', size: number): void {
    this.batchSizes.observe([op], size);
  }

  registryWrite(outcome: string): void {
    this.registryWrites.inc([outcome]);
  }

  tick(result: 'ok' | 'error'): void {
    this.ticks.inc([result]);
  }

  render(): string {
    return this.registry.render();
  }
}
