import { spawnSync } from 'node:child_process';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tsx sim/cli.ts ...args` from the project root, as a person would. */
export function runSimCli(args: string[]): CliRun {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** Splits a printed command (`npx tsx sim/cli.ts replay F --backends B`) into its arguments. */
export function cliArgs(command: string): string[] {
  const prefix = 'npx tsx sim/cli.ts ';
  if (!command.startsWith(prefix)) throw new Error(`not a simulator command: ${command}`);
  return command.slice(prefix.length).split(' ');
}

/** A macrotask turn, as the CLI hands the engine (tests may use the event loop). */
export const waitForQuiet = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
