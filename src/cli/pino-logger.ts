/**
 * Our Logger over pino: one JSON line per event on stdout, `event` naming it, the time from the
 * injected clock, bigints as decimal strings (pino would write them as bare numbers). Writes are
 * synchronous so that nothing is lost at exit; per-request events are at debug level only.
 */
import pino from 'pino';

import type { Logger, LogFields, LogLevel } from '../observability/logger.ts';
import type { Clock } from '../time/clock.ts';

export function pinoLogger(level: LogLevel, clock: Clock, destination = 1): Logger {
  const log = pino(
    {
      level,
      base: { service: 'ratelimiterd' },
      timestamp: () => `,"time":${clock.now()}`,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: destination, sync: true }),
  );

  return {
    log(eventLevel: LogLevel, event: string, fields: LogFields = {}) {
      // Per-request events are at debug: skip building them when they would be dropped.
      if (!log.isLevelEnabled(eventLevel)) return;
      log[eventLevel]({ event, ...withoutBigints(fields) });
    },
  };
}

function withoutBigints(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    out[name] = typeof value === 'bigint' ? value.toString() : value;
  }
  return out;
}
