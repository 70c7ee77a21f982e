import type { Backend } from '../../../src/backends/backend.ts';
import { DEFAULT_DECREASE_POLL_MS } from '../../../src/backends/options.ts';
import { LocalLimiter } from '../../../src/client/local-limiter.ts';
import { INVALID_REQUEST } from '../../../src/domain/errors.ts';
import type { LimitView } from '../../../src/domain/limits.ts';
import { validateDefinition } from '../../../src/domain/validate.ts';
import type { Clock } from '../../../src/time/clock.ts';
import type { FakeClock } from '../../../src/time/fake-clock.ts';
import { advanceWithTicks } from '../../../src/time/ticks.ts';
import type { AdminAnswer, Target, TargetName } from './target.ts';

/** How time moves for a backend driven in this process. */
export interface TimeDriver {
  readonly simulated: boolean;
  advance(ms: number): Promise<void>;
  stepBack?(ms: number): void;
  /** Stops whatever runs the ticks; called before the backend closes. */
  stop?(): Promise<void>;
}

/**
 * Simulated time: the fake clock moves only when told, stopping at every tick instant (whole
 * multiples of decrease_poll_ms) to run the backend's tick.
 */
export function fakeTime(
  clock: FakeClock,
  backend: Backend,
  beforeStepBack?: () => void,
): TimeDriver {
  return {
    simulated: true,
    advance: (ms) => advanceWithTicks(clock, ms, DEFAULT_DECREASE_POLL_MS, () => backend.tick()),
    stepBack: (ms) => {
      beforeStepBack?.();
      clock.set(clock.now() - ms);
    },
  };
}

/**
 * A backend driven in this process, as a program using the library would: reserve and complete
 * through a LocalLimiter, definitions checked before they reach the backend (as the server
 * checks them), usage read from the backend.
 */
export class BackendTarget implements Target {
  readonly limiter: LocalLimiter;
  readonly simulatedTime: boolean;

  constructor(
    readonly name: TargetName,
    readonly clock: Clock,
    private readonly backend: Backend,
    private readonly time: TimeDriver,
  ) {
    this.limiter = new LocalLimiter(backend);
    this.simulatedTime = time.simulated;
    if (time.stepBack !== undefined) this.stepBack = time.stepBack;
  }

  stepBack?: (ms: number) => void;

  async putLimit(definition: unknown): Promise<AdminAnswer> {
    const checked = validateDefinition(definition);
    if (!checked.ok) return { ok: false, error: INVALID_REQUEST, detail: checked.detail };
    return this.backend.putLimit(checked.value);
  }

  getLimit(key: string): Promise<LimitView | undefined> {
    return this.backend.getLimit(key);
  }

  advance(ms: number): Promise<void> {
    return this.time.advance(ms);
  }

  async close(): Promise<void> {
    await this.time.stop?.();
    await this.backend.close();
  }
}
