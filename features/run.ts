/**
 * Runs the features once per available target, each with its own HTML report in reports/, and
 * prints one line per target plus a closing total. Exits non-zero if any scenario failed (or
 * was undefined or pending: the profiles are strict) on any target.
 *
 *   npx tsx features/run.ts                    every available target
 *   npx tsx features/run.ts memory http        only these
 *
 * The support code is loaded once and shared by every run; each run hands the World its
 * target through worldParameters.
 */
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import {
  loadConfiguration,
  loadSources,
  loadSupport,
  runCucumber,
} from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';

import { loadTarget } from './support/targets/index.ts';
import { isTargetName, TARGET_NAMES, type TargetName } from './support/targets/target.ts';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  excluded: number;
  seconds: number;
}

const SKIP_REAL = 'tigerbeetle-real: skipped because TB_BIN is not set';
const REAL_EXCLUSION =
  'scenarios tagged @simulated-time were not run: they need exact instants or long windows';

async function main(): Promise<number> {
  const targets = chosenTargets(process.argv.slice(2));
  mkdirSync('reports', { recursive: true });

  let failed = false;
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const support = await loadSharedSupport();

  for (const target of targets) {
    if (target === 'tigerbeetle-real' && !process.env.TB_BIN) {
      console.log(SKIP_REAL);
      continue;
    }
    const missing = await whyUnavailable(target);
    if (missing !== undefined) {
      failed = true;
      totals.failed += 1;
      console.log(`features ${target}: 0 passed, 1 failed (not run: ${missing})`);
      continue;
    }

    let tally: Tally;
    try {
      tally = await runTarget(target, support);
    } catch (error) {
      // A hook around the whole run failed (a real cluster that would not start, say).
      failed = true;
      totals.failed += 1;
      console.log(`features ${target}: 0 passed, 1 failed (run stopped: ${describe(error)})`);
      continue;
    }
    totals.passed += tally.passed;
    totals.failed += tally.failed;
    totals.skipped += tally.skipped;
    failed ||= tally.failed > 0;

    console.log(
      `features ${target}: ${tally.passed} passed, ${tally.failed} failed` +
        (tally.skipped > 0 ? `, ${tally.skipped} skipped` : '') +
        ` (${tally.seconds.toFixed(1)} s, report reports/features-${target}.html)`,
    );
    if (tally.excluded > 0) console.log(`features ${target}: ${tally.excluded} ${REAL_EXCLUSION}`);
  }

  console.log(
    `features: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
  );
  return failed ? 1 : 0;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error.message + cause;
}

function chosenTargets(args: string[]): TargetName[] {
  if (args.length === 0) return [...TARGET_NAMES];
  for (const arg of args) {
    if (!isTargetName(arg)) {
      throw new Error(`unknown target ${arg}: one of ${TARGET_NAMES.join(', ')}`);
    }
  }
  return args as TargetName[];
}

/** Why a target's code cannot be loaded, or undefined when it can. */
async function whyUnavailable(target: TargetName): Promise<string | undefined> {
  try {
    await loadTarget(target);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

type SupportLibrary = Awaited<ReturnType<typeof loadSupport>>;

async function loadSharedSupport(): Promise<SupportLibrary> {
  const { runConfiguration } = await loadConfiguration({ profiles: ['memory'] });
  return loadSupport(runConfiguration);
}

async function runTarget(target: TargetName, support: SupportLibrary): Promise<Tally> {
  const { runConfiguration } = await loadConfiguration({ profiles: [target] });
  const all = await countScenarios();
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, excluded: 0, seconds: 0 };
  const started = performance.now();

  let planned = 0;
  const finished = new Map<string, string>();
  const testCaseOf = new Map<string, string>();
  const worst = new Map<string, string>();

  const onMessage = (envelope: Envelope): void => {
    if (envelope.testCase) planned += 1;
    if (envelope.testCaseStarted) {
      testCaseOf.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
    }
    if (envelope.testStepFinished) {
      const { testCaseStartedId, testStepResult } = envelope.testStepFinished;
      const previous = worst.get(testCaseStartedId) ?? 'PASSED';
      worst.set(testCaseStartedId, worse(previous, testStepResult.status));
    }
    if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      const id = envelope.testCaseFinished.testCaseStartedId;
      finished.set(testCaseOf.get(id) ?? id, worst.get(id) ?? 'PASSED');
    }
  };

  const { success } = await runCucumber({ ...runConfiguration, support }, undefined, onMessage);

  for (const status of finished.values()) {
    if (status === 'PASSED') tally.passed += 1;
    else if (status === 'SKIPPED') tally.skipped += 1;
    else tally.failed += 1;
  }
  // A run can fail outside any scenario (a hook before all, a parse error): count it.
  if (!success && tally.failed === 0) tally.failed = 1;
  tally.excluded = all - planned;
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
}

/** Undefined, pending, ambiguous and failed steps all fail a scenario in strict mode. */
const RANK: Record<string, number> = {
  PASSED: 0,
  SKIPPED: 1,
  UNKNOWN: 2,
  PENDING: 3,
  UNDEFINED: 4,
  AMBIGUOUS: 5,
  FAILED: 6,
};

function worse(a: string, b: string): string {
  return (RANK[b] ?? 6) > (RANK[a] ?? 6) ? b : a;
}

/** How many scenarios the feature files hold, before any tag filter. */
async function countScenarios(): Promise<number> {
  const { runConfiguration } = await loadConfiguration({ profiles: ['memory'] });
  const { plan } = await loadSources({ ...runConfiguration.sources, tagExpression: '' });
  return plan.length;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
