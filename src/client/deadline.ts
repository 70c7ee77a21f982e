/**
 * Signals that end a call: the caller's own signal, or a per-call timeout. The timeout runs on
 * the injected clock when there is one (tests), else on AbortSignal.timeout: the client is a
 * process edge, where real time is the point.
 */
import type { Clock } from '../time/clock.ts';

export class CallTimeoutError extends Error {
  override name = 'TimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

export interface Deadline {
  signal: AbortSignal;
  /** True when the timeout, not the caller, ended the call. */
  timedOut(): boolean;
  dispose(): void;
}

export function deadline(
  timeoutMs: number,
  clock: Clock | undefined,
  callerSignal: AbortSignal | undefined,
): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const onTimeout = (): void => {
    timedOut = true;
    controller.abort(new CallTimeoutError(timeoutMs));
  };

  let cancelTimer: () => void;
  if (clock !== undefined) {
    const handle = clock.schedule(timeoutMs, onTimeout);
    cancelTimer = () => handle.cancel();
  } else {
    const timeout = AbortSignal.timeout(timeoutMs);
    timeout.addEventListener('abort', onTimeout, { once: true });
    cancelTimer = () => timeout.removeEventListener('abort', onTimeout);
  }

  const onCallerAbort = (): void => controller.abort(callerSignal!.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      cancelTimer();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Resolves after `delayMs` on the clock; rejects with the signal's reason if it aborts first. */
export function sleepOn(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let handle: { cancel(): void } | undefined;
    const onAbort = (): void => {
      handle?.cancel();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    handle = clock.schedule(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
