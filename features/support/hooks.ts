import { After, AfterAll, BeforeAll } from '@cucumber/cucumber';

import { beginRun, endRun } from './targets/index.ts';
import { isTargetName } from './targets/target.ts';
import type { LimiterWorld } from './world.ts';

/** Starting a real cluster formats a data file and waits for the replica to listen. */
const RUN_HOOK_TIMEOUT_MS = 60_000;

BeforeAll({ timeout: RUN_HOOK_TIMEOUT_MS }, async function () {
  const target: unknown = this.parameters.target;
  if (isTargetName(target)) await beginRun(target);
});

AfterAll({ timeout: RUN_HOOK_TIMEOUT_MS }, async function () {
  const target: unknown = this.parameters.target;
  if (isTargetName(target)) await endRun(target);
});

/** Each scenario built its own target; close it so no server, socket or client outlives it. */
After(async function (this: LimiterWorld) {
  await this.close();
});
