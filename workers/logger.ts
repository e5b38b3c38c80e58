/**
 * One pino logger per process; the Temporal runtime (core SDK and workers) logs through it too.
 * Account cookies and storage states never reach a log line.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

/**
 * Field names that hold secrets: session cookies and storage states, passwords and tokens, API
 * keys (OpenAI, AWS), Authorization headers, the secret key itself. Redacted wherever they sit,
 * up to three levels deep (e.g. `{ request: { headers: { authorization } } }`).
 */
const SECRET_FIELDS = [
  'storageState', 'cookies', 'cookie', 'set-cookie', 'password', 'secret',
  'token', 'accessToken', 'refreshToken', 'sessionToken', 'apiKey', 'api_key',
  'authorization', 'Authorization', 'secretAccessKey', 'SecretAccessKey', 'SessionToken',
  'OPENAI_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'PERSONAACT_SECRET_KEY',
];
const field = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `[${JSON.stringify(name)}]`);
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((name) => {
  const f = field(name);
  const nested = f.startsWith('[') ? f : `.${f}`;
  return [f, `*${nested}`, `*.*${nested}`, `*.*.*${nested}`];
});
export const CENSOR = '[redacted]';

/** `destination`: where lines go (tests capture them); default stdout, pretty in a terminal. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: CENSOR } };
  if (destination) return pino(options, destination);
  return pino({ ...options, ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}) });
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
