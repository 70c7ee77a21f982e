/**
 * The ratelimiterd process: parse the configuration (flags > environment > file), start the
 * daemon, and shut down gracefully on SIGTERM or SIGINT. Exit 0 after a clean shutdown, 2 for a
 * bad option, 1 when the daemon cannot start or stop.
 */
import { readFileSync } from 'node:fs';

import { SystemClock } from '../time/system-clock.ts';
import { parseDaemonConfig } from './daemon-config.ts';
import { startDaemon } from './daemon.ts';
import { pinoLogger } from './pino-logger.ts';
import { TurnClock } from './turn-clock.ts';

/** A shutdown that takes longer than this is cut short (exit 1). */
const SHUTDOWN_LIMIT_MS = 30_000;

async function main(): Promise<void> {
  const parsed = parseDaemonConfig(process.argv.slice(2), process.env, (file) =>
    readFileSync(file, 'utf8'),
  );
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`ratelimiterd: ${parsed.message}\n`);
    process.exitCode = 2;
    return;
  }

  const clock = new TurnClock(new SystemClock());
  const logger = pinoLogger(parsed.config.logLevel, clock);
  let daemon;
  try {
    daemon = await startDaemon(parsed.config, clock, logger);
  } catch (error) {
    logger.log('error', 'start_failed', { error: (error as Error).message });
    process.stderr.write(`ratelimiterd: cannot start: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.log('warn', 'shutdown_forced', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.log('info', 'shutdown', { signal });
    const limit = setTimeout(() => {
      logger.log('error', 'shutdown_too_slow', { limit_ms: SHUTDOWN_LIMIT_MS });
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    limit.unref();

    daemon.stop().then(
      () => {
        logger.log('info', 'stopped', {});
        process.exit(0);
      },
      (error: unknown) => {
        logger.log('error', 'stop_failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
