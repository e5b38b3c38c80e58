/**
 * One pino logger per process; the Temporal runtime (core SDK and workers) logs through it too.
 * Account cookies and storage states never reach a log line.
 */
import pino, { type Logger } from 'pino';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['*.storageState', '*.cookies', '*.cookie', '*.password', '*.secretAccessKey'], censor: '[redacted]' },
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}

const TEMPORAL_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/** Routes the Temporal runtime's logs to `logger`. Call once per process, before creating workers. */
export function routeTemporalLogs(logger: Logger): void {
  const temporal = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => temporal[TEMPORAL_LEVELS[level]](meta ?? {}, message)),
  });
}
