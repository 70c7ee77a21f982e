/**
 * The Scheduler under a FakeClock with a scripted limiter: a denied queue waits without blocking
 * the others, denials take new leases and unknown outcomes keep theirs, refusals fail the job,
 * complete is called exactly once per allowed reserve whatever the job does, workers are bounded,
 * queues take turns, and shutdown drains.
 */
import { describe, expect, it } from 'vitest';

import { ReserveFailedError } from '../../src/client/reserve-verdict.ts';
import {
  JobTimeoutError,
  Scheduler,
  SchedulerClosedError,
  type Job,
} from '../../src/client/scheduler.ts';
import type { ReserveRequest } from '../../src/domain/requests.ts';
import { FakeClock } from '../../src/time/fake-clock.ts';
import { SeededRandom } from '../../src/time/random.ts';
import { advanceBy, allowedAt, deniedWith, FakeLimiter, flushAsync } from './fake-limiter.ts';

function setup(workers = 4) {
  const clock = new FakeClock(1_000_000);
  const limiter = new FakeLimiter(clock);
  const scheduler = new Scheduler({
    limiter,
    clock,
    random: new SeededRandom(3),
    workers,
    jitterMs: 10,
    jobTimeoutMs: 30_000,
  });
  return { clock, limiter, scheduler };
}

const keyOf = (request: ReserveRequest): string => request.requirements[0]!.key;

function job<T>(queue: string, run: Job<T>['run'], extra: Partial<Job<T>> = {}): Job<T> {
  return { queue, requirements: [{ key: queue, amount: 1 }], run, ...extra };
}

describe('Scheduler', () => {
  it('a denied queue waits; the other queues go on (no head-of-line blocking)', async () => {
    const { clock, limiter, scheduler } = setup(1);
    let gptDenied = false;
    limiter.answerReserve = (request) => {
      if (keyOf(request) === 'gpt' && !gptDenied) {
        gptDenied = true;
        return deniedWith('', 5000);
      }
      return allowedAt(clock.now());
    };

    const finished: string[] = [];
    const submit = (queue: string, name: string) =>
      scheduler.submit(job(queue, async () => void finished.push(name)));
    const all = Promise.all([
      submit('gpt', 'gpt-1'),
      submit('gpt', 'gpt-2'),
      submit('claude', 'claude-1'),
      submit('claude', 'claude-2'),
    ]);

    await advanceBy(clock, 100);
    expect(finished).toEqual(['claude-1', 'claude-2']);

    await advanceBy(clock, 5100);
    await all;
    expect(finished).toEqual(['claude-1', 'claude-2', 'gpt-1', 'gpt-2']);
    const gptReserves = limiter.calls.filter(
      (c) => c.kind === 'reserve' && keyOf(c.request as ReserveRequest) === 'gpt',
    );
    expect(gptReserves[1]!.atMs - gptReserves[0]!.atMs).toBeGreaterThanOrEqual(5000);
  });

  it('a denial retries with a new lease, an unknown outcome with the same lease', async () => {
    const { clock, limiter, scheduler } = setup();
    const script = [deniedWith('', 100), deniedWith('backend_error'), allowedAt(0)];
    limiter.answerReserve = () => script.shift() ?? allowedAt(clock.now());

    const done = scheduler.submit(job('q', async () => 'ok'));
    await advanceBy(clock, 1000);
    expect(await done).toBe('ok');
    const [first, second, third] = limiter.reserves().map((r) => r.lease_id);
    expect(second).not.toBe(first);
    expect(third).toBe(second);
    expect(limiter.completes().map((c) => c.lease_id)).toEqual([third]);
  });

  it('exceeds_capacity fails the job: no retry, no run, no complete', async () => {
    const { clock, limiter, scheduler } = setup();
    limiter.answerReserve = () => deniedWith('exceeds_capacity:q');
    let ran = false;
    const failure = scheduler.submit(job('q', async () => void (ran = true))).catch((e) => e);
    await advanceBy(clock, 60_000);
    const thrown = await failure;
    expect(thrown).toBeInstanceOf(ReserveFailedError);
    expect(thrown.error).toBe('exceeds_capacity:q');
    expect(ran).toBe(false);
    expect(limiter.reserves()).toHaveLength(1);
    expect(limiter.completes()).toHaveLength(0);
  });

  it('completes exactly once when the job returns, with the actuals it reports', async () => {
    const { clock, limiter, scheduler } = setup();
    const done = scheduler.submit(
      job('q', async () => 7, {
        actuals: (settled) => [
          { key: 'q', actual_amount: settled.status === 'fulfilled' ? settled.value : -1 },
        ],
      }),
    );
    await advanceBy(clock, 10);
    expect(await done).toBe(7);
    expect(limiter.completes()).toEqual([
      { lease_id: limiter.reserves()[0]!.lease_id, actuals: [{ key: 'q', actual_amount: 7 }] },
    ]);
  });

  it('completes exactly once when the job throws, and passes the error on', async () => {
    const { clock, limiter, scheduler } = setup();
    const failure = scheduler
      .submit(
        job('q', async () => {
          throw new Error('model overloaded');
        }),
      )
      .catch((e: Error) => e);
    await advanceBy(clock, 10);
    expect((await failure).message).toBe('model overloaded');
    expect(limiter.completes()).toHaveLength(1);
    // By default a failed job reports what it asked for: nothing is released early.
    expect(limiter.completes()[0]!.actuals).toEqual([{ key: 'q', actual_amount: 1 }]);
  });

  it('completes once when the job times out, and never again when it ends late', async () => {
    const { clock, limiter, scheduler } = setup();
    let finishLate: () => void = () => undefined;
    let signal: AbortSignal | undefined;
    const failure = scheduler
      .submit(
        job(
          'q',
          (context) => {
            signal = context.signal;
            return new Promise<void>((resolve) => (finishLate = resolve));
          },
          { timeoutMs: 2000 },
        ) as Job<void>,
      )
      .catch((e: unknown) => e);

    await advanceBy(clock, 1999);
    expect(limiter.completes()).toHaveLength(0);
    await advanceBy(clock, 1);
    expect(await failure).toBeInstanceOf(JobTimeoutError);
    expect(signal!.aborted).toBe(true);
    expect(limiter.completes()).toHaveLength(1);

    finishLate();
    await advanceBy(clock, 10_000);
    expect(limiter.completes()).toHaveLength(1);
  });

  it('never runs more jobs at once than it has workers', async () => {
    const { clock, scheduler } = setup(2);
    let running = 0;
    let most = 0;
    const jobs = Array.from({ length: 6 }, (_, i) =>
      scheduler.submit(
        job(`q${i % 3}`, async () => {
          running++;
          most = Math.max(most, running);
          await new Promise<void>((resolve) => clock.schedule(100, resolve));
          running--;
        }),
      ),
    );
    await advanceBy(clock, 1000);
    await Promise.all(jobs);
    expect(most).toBe(2);
  });

  it('takes one head from each ready queue in turn (round robin)', async () => {
    const { clock, limiter, scheduler } = setup(1);
    const jobs = ['a', 'a', 'a', 'b', 'b', 'c'].map((queue) =>
      scheduler.submit(job(queue, async () => undefined)),
    );
    await advanceBy(clock, 100);
    await Promise.all(jobs);
    expect(limiter.reserves().map(keyOf)).toEqual(['a', 'b', 'c', 'a', 'b', 'a']);
  });

  it('shutdown drains queued and waiting jobs, then refuses new ones', async () => {
    const { clock, limiter, scheduler } = setup(1);
    let denials = 1;
    limiter.answerReserve = () =>
      denials-- > 0 ? deniedWith('', 3000) : allowedAt(clock.now());
    const results: number[] = [];
    const jobs = [1, 2, 3].map((n) =>
      scheduler.submit(job('q', async () => void results.push(n))),
    );

    let drained = false;
    const shutdown = scheduler.shutdown().then(() => (drained = true));
    await expect(scheduler.submit(job('q', async () => 0))).rejects.toBeInstanceOf(
      SchedulerClosedError,
    );
    await advanceBy(clock, 1000);
    expect(drained).toBe(false);
    await advanceBy(clock, 3000);
    await shutdown;
    await Promise.all(jobs);
    expect(results).toEqual([1, 2, 3]);
    expect(scheduler.stats()).toEqual({ queued: 0, running: 0, queues: 0 });
  });

  it('shutdown without drain refuses queued jobs and still completes running ones', async () => {
    const { clock, limiter, scheduler } = setup(1);
    const started = scheduler.submit(
      job('q', (context) =>
        new Promise<string>((resolve, reject) => {
          context.signal.addEventListener('abort', () => reject(context.signal.reason));
          clock.schedule(1000, () => resolve('late'));
        }),
      ),
    );
    const queued = scheduler.submit(job('q', async () => 'never')).catch((e) => e);
    await flushAsync();
    await scheduler.shutdown({ drain: false });
    expect(await queued).toBeInstanceOf(SchedulerClosedError);
    await expect(started).rejects.toBeInstanceOf(SchedulerClosedError);
    expect(limiter.completes()).toHaveLength(1);
  });
});
