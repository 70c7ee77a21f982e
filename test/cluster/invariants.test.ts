import fc from 'fast-check';
import {
  AccountFlags,
  CreateTransferStatus,
  TransferFlags,
} from 'tigerbeetle-node/dist/bindings.js';
import type { Transfer } from 'tigerbeetle-node/dist/bindings.js';
import { describe, expect, it } from 'vitest';
import type { SimulatedCluster } from '../../sim/cluster/index.ts';
import { TRANSIENT_TRANSFER_STATUSES } from '../../sim/cluster/index.ts';
import {
  hold,
  ledger,
  OPERATOR,
  postOf,
  RESOURCE,
  RESOURCE_B,
  transfer,
  voidOf,
} from './ledger-fixtures.ts';

// Goal: whatever requests arrive, the ledger stays consistent: double entry holds, pending
// balances equal the live pending transfers, no limited account goes over its credits, nothing
// due stays held, chains are all or nothing, timestamps only grow, transient failures burn ids.
// Method: random batches of holds, posts, voids, resends, capacity changes and clock steps
// (fast-check, seed printed; set CLUSTER_SEED to replay one).

const SEED = Number(process.env['CLUSTER_SEED'] ?? 20_241_204);
const RUNS = 150;
const MAX_U128 = (1n << 128n) - 1n;
const RESOURCES = [RESOURCE, RESOURCE_B];

type Spec =
  | { kind: 'hold'; resource: number; amount: number; timeoutS: number; linked: boolean }
  | { kind: 'void'; target: number; amount: 'zero' | 'exact' | 'less'; linked: boolean }
  | { kind: 'post'; target: number; amount: 'max' | 'exact' | 'part' | 'zero' | 'over' }
  | { kind: 'resend'; target: number }
  | { kind: 'capacity'; resource: number; delta: number };

type Step = { kind: 'advance'; ms: number } | { kind: 'batch'; specs: Spec[] };

const specArb: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({
    kind: fc.constant('hold' as const),
    resource: fc.nat(1),
    amount: fc.nat(6),
    timeoutS: fc.nat(3),
    linked: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('void' as const),
    target: fc.nat(),
    amount: fc.constantFrom('zero' as const, 'exact' as const, 'less' as const),
    linked: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('post' as const),
    target: fc.nat(),
    amount: fc.constantFrom(...(['max', 'exact', 'part', 'zero', 'over'] as const)),
  }),
  fc.record({ kind: fc.constant('resend' as const), target: fc.nat() }),
  fc.record({
    kind: fc.constant('capacity' as const),
    resource: fc.nat(1),
    delta: fc.integer({ min: -5, max: 10 }),
  }),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.nat(1500) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      specs: fc.array(specArb, { minLength: 1, maxLength: 6 }),
    }),
  },
);

/** Turns specs into transfers, drawing fresh ids and resolving targets among earlier holds. */
class Builder {
  private nextId = 1n;
  readonly holds: Transfer[] = [];
  readonly sent: Transfer[] = [];

  build(spec: Spec): Transfer {
    const id = this.nextId++;
    const target = (n: number): Transfer | undefined =>
      this.holds[n % Math.max(1, this.holds.length)];
    switch (spec.kind) {
      case 'hold': {
        const flags = spec.linked ? TransferFlags.linked : 0;
        const made = hold(id, BigInt(spec.amount), spec.timeoutS, flags, RESOURCES[spec.resource]);
        this.holds.push(made);
        return made;
      }
      case 'void': {
        const p = target(spec.target);
        const full = p?.amount ?? 0n;
        const less = full > 0n ? full - 1n : 0n;
        const amount = spec.amount === 'zero' ? 0n : spec.amount === 'exact' ? full : less;
        return voidOf(id, p?.id ?? 999_999n, amount, spec.linked ? TransferFlags.linked : 0);
      }
      case 'post': {
        const p = target(spec.target);
        const full = p?.amount ?? 0n;
        const amounts = { max: MAX_U128, exact: full, part: full / 2n, zero: 0n, over: full + 1n };
        return postOf(id, p?.id ?? 999_999n, amounts[spec.amount]);
      }
      case 'resend':
        return this.sent[spec.target % Math.max(1, this.sent.length)] ?? hold(id, 1n, 1);
      case 'capacity': {
        const resource = RESOURCES[spec.resource]!;
        const up = spec.delta >= 0;
        return transfer({
          id,
          debit_account_id: up ? OPERATOR : resource,
          credit_account_id: up ? resource : OPERATOR,
          amount: BigInt(Math.abs(spec.delta)),
        });
      }
    }
  }
}

function checkLedger(cluster: SimulatedCluster, nowMs: number): void {
  const accounts = [OPERATOR, ...RESOURCES].map((id) => cluster.inspectAccount(id)!);
  const sum = (f: (a: (typeof accounts)[number]) => bigint): bigint =>
    accounts.reduce((total, a) => total + f(a), 0n);
  expect(sum((a) => a.debits_posted)).toBe(sum((a) => a.credits_posted));
  expect(sum((a) => a.debits_pending)).toBe(sum((a) => a.credits_pending));

  const pendingByDebit = new Map<bigint, bigint>();
  for (const record of cluster.state.transfers.values()) {
    if (record.pendingState !== 'pending') continue;
    const t = record.transfer;
    const before = pendingByDebit.get(t.debit_account_id) ?? 0n;
    pendingByDebit.set(t.debit_account_id, before + t.amount);
    if (record.expiresAtNs !== null) {
      expect(record.expiresAtNs / 1_000_000n > BigInt(nowMs), `due but held: ${t.id}`).toBe(true);
    }
  }
  for (const a of accounts) {
    expect(a.debits_pending).toBe(pendingByDebit.get(a.id) ?? 0n);
    if ((a.flags & AccountFlags.debits_must_not_exceed_credits) !== 0) {
      expect(a.debits_pending + a.debits_posted <= a.credits_posted).toBe(true);
    }
  }
}

/** Chains in request order: [start, end] inclusive. */
function chains(batch: Transfer[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start: number | null = null;
  batch.forEach((t, i) => {
    const linked = (t.flags & TransferFlags.linked) !== 0;
    if (linked && start === null) start = i;
    if (start !== null && (!linked || i === batch.length - 1)) {
      out.push([start, i]);
      start = null;
    }
  });
  return out;
}

describe('ledger invariants under random requests', () => {
  it(`hold for ${RUNS} random runs (seed ${SEED})`, async () => {
    // Printed so that a failure can be replayed with CLUSTER_SEED.
    console.info(`cluster invariants: seed ${SEED}`);
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 30 }), async (steps) => {
        const { client, cluster, clock } = await ledger();
        const builder = new Builder();
        let lastTimestampNs = cluster.state.lastEventTimestampNs;

        for (const step of steps) {
          if (step.kind === 'advance') {
            clock.advance(step.ms);
            checkLedger(cluster, clock.now());
            continue;
          }
          const batch = step.specs.map((spec) => builder.build(spec));
          const results = await client.createTransfers(batch);
          builder.sent.push(...batch);
          expect(results).toHaveLength(batch.length);

          for (const [i, result] of results.entries()) {
            seen.add(CreateTransferStatus[result.status] ?? String(result.status));
            if (result.status === CreateTransferStatus.exists) continue;
            expect(result.timestamp).toBeGreaterThan(lastTimestampNs);
            lastTimestampNs = result.timestamp;
            if (TRANSIENT_TRANSFER_STATUSES.has(result.status)) {
              expect(cluster.isIdFailed(batch[i]!.id)).toBe(true);
            }
          }
          for (const [start, end] of chains(batch)) {
            const created = results
              .slice(start, end + 1)
              .map((r) => r.status === CreateTransferStatus.created);
            expect(created.every((c) => c) || created.every((c) => !c)).toBe(true);
          }
          checkLedger(cluster, clock.now());
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );

    // The runs reached the answers that matter, or they proved little.
    for (const status of [
      'created',
      'exists',
      'exceeds_credits',
      'linked_event_failed',
      'linked_event_chain_open',
      'id_already_failed',
      'pending_transfer_expired',
      'pending_transfer_already_voided',
      'pending_transfer_already_posted',
      'exceeds_pending_transfer_amount',
    ]) {
      expect(seen, status).toContain(status);
    }
  });
});
