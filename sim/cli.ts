/**
 * ratelimiter-sim: the deterministic simulator that proves, or refutes, that the memory and
 * TigerBeetle backends behave the same (spec/simulator.md). The only place in sim/ that touches
 * the wall clock (for the marked timing lines) and the event loop's macrotasks.
 */
import { performance } from 'node:perf_hooks';

import { UsageError, type Io } from './commands/args.ts';
import { isInputProblem } from './input-error.ts';
import { CHECK_USAGE, checkCommand } from './commands/check.ts';
import { FUZZ_USAGE, fuzzCommand } from './commands/fuzz.ts';
import { IMPORT_USAGE, importCommand } from './commands/import.ts';
import { REPLAY_USAGE, replayCommand } from './commands/replay.ts';

const USAGE = [CHECK_USAGE, FUZZ_USAGE, REPLAY_USAGE, IMPORT_USAGE].join('\n\n');

interface Command {
  run: (args: string[], io: Io) => Promise<number>;
  usage: string;
}

const COMMANDS: Record<string, Command> = {
  check: { run: checkCommand, usage: CHECK_USAGE },
  fuzz: { run: fuzzCommand, usage: FUZZ_USAGE },
  replay: { run: replayCommand, usage: REPLAY_USAGE },
  import: { run: importCommand, usage: IMPORT_USAGE },
};

const io: Io = {
  out: (line) => void process.stdout.write(line + '\n'),
  err: (line) => void process.stderr.write(line + '\n'),
  wallMs: () => performance.now(),
  waitForQuiet: () => new Promise((resolve) => setImmediate(resolve)),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`ratelimiter-sim: unknown command ${name}\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (isInputProblem(error)) {
      io.err(`ratelimiter-sim ${name}: ${error.message}`);
      return 2;
    }
    if (!(error instanceof UsageError)) throw error;
    io.err(`ratelimiter-sim ${name}: ${error.message}\n\n${command.usage}`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(`ratelimiter-sim: ${text}`);
    process.exitCode = 3;
  },
);
