import fc from 'fast-check';

/**
 * The fuzzer's commands: abstract, small and shrinkable. Keys and leases are indices into small
 * pools, so that replays, conflicts and contention happen often; fuzz-compile.ts turns a list of
 * commands into engine operations. Removing any command leaves a list that still compiles.
 */
export type FuzzCommand =
  | {
      c: 'put';
      key: number;
      kind: 'rolling' | 'concurrency';
      capacity: number;
      seconds: number;
      overage: 'deny' | 'debt';
    }
  | { c: 'reserve'; lease: number; needs: Need[]; fault?: 'duplicate' | 'lost' }
  | { c: 'complete'; lease: number; uses: Need[]; fault?: 'duplicate' | 'lost' }
  | { c: 'reserve_batch'; items: Array<{ lease: number; needs: Need[] }> }
  | { c: 'complete_batch'; items: Array<{ lease: number; uses: Need[] }> }
  /** Delivers the lease's last reserve again, as a late duplicate. */
  | { c: 'late'; lease: number }
  | { c: 'advance'; ms: number }
  | { c: 'tick' }
  | { c: 'get'; key: number }
  | { c: 'restart' }
  | { c: 'unavailable'; ms: number };

export interface Need {
  key: number;
  amount: number;
}

export interface FuzzShape {
  keys: number;
  leases: number;
  /** Restarts and cluster cut-offs (only a TigerBeetle target suffers them). */
  faults: boolean;
}

export const DEFAULT_SHAPE: FuzzShape = { keys: 3, leases: 10, faults: true };

export function fuzzCommandsArbitrary(
  shape: FuzzShape,
  steps: number,
): fc.Arbitrary<FuzzCommand[]> {
  const key = fc.integer({ min: 0, max: shape.keys - 1 });
  const lease = fc.integer({ min: 0, max: shape.leases - 1 });
  const needs = (min: number, minAmount: number): fc.Arbitrary<Need[]> =>
    fc.uniqueArray(fc.record({ key, amount: fc.integer({ min: minAmount, max: 8 }) }), {
      minLength: min,
      maxLength: shape.keys,
      selector: (need) => need.key,
    });
  const delivery = fc.option(fc.constantFrom('duplicate' as const, 'lost' as const), {
    freq: 6,
    nil: undefined,
  });

  const put = fc.record({
    c: fc.constant('put' as const),
    key,
    kind: fc.constantFrom('rolling' as const, 'concurrency' as const),
    capacity: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 3, max: 8 })),
    seconds: fc.integer({ min: 1, max: 4 }),
    overage: fc.constantFrom('debt' as const, 'deny' as const),
  });
  const reserve = fc.record(
    { c: fc.constant('reserve' as const), lease, needs: needs(1, 1), fault: delivery },
    { requiredKeys: ['c', 'lease', 'needs'] },
  );
  const complete = fc.record(
    { c: fc.constant('complete' as const), lease, uses: needs(0, 0), fault: delivery },
    { requiredKeys: ['c', 'lease', 'uses'] },
  );
  const advance = fc.record({
    c: fc.constant('advance' as const),
    ms: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 50, max: 2500 })),
  });

  const common: Array<fc.WeightedArbitrary<FuzzCommand>> = [
    { weight: 3, arbitrary: put },
    { weight: 10, arbitrary: reserve },
    { weight: 6, arbitrary: complete },
    {
      weight: 2,
      arbitrary: fc.record({
        c: fc.constant('reserve_batch' as const),
        items: fc.array(fc.record({ lease, needs: needs(1, 1) }), { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        c: fc.constant('complete_batch' as const),
        items: fc.array(fc.record({ lease, uses: needs(0, 0) }), { minLength: 1, maxLength: 4 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ c: fc.constant('late' as const), lease }) },
    { weight: 8, arbitrary: advance },
    { weight: 1, arbitrary: fc.constant({ c: 'tick' as const }) },
    { weight: 2, arbitrary: fc.record({ c: fc.constant('get' as const), key }) },
  ];
  const faults: Array<fc.WeightedArbitrary<FuzzCommand>> = shape.faults
    ? [
        { weight: 1, arbitrary: fc.constant({ c: 'restart' as const }) },
        {
          weight: 1,
          arbitrary: fc.record({
            c: fc.constant('unavailable' as const),
            ms: fc.integer({ min: 1, max: 8000 }),
          }),
        },
      ]
    : [];

  // Every key is defined first (shrinkable like the rest), so most reserves reach step 5.
  const setup = fc.tuple(...Array.from({ length: shape.keys }, (_, k) =>
    put.map((command) => ({ ...command, key: k }) as FuzzCommand),
  ));
  const body = fc.array(fc.oneof(...common, ...faults), {
    minLength: 1,
    maxLength: steps,
    size: 'max',
  });
  return fc.tuple(setup, body).map(([first, rest]) => [...first, ...rest]);
}
