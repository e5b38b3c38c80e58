/**
 * Temporal's runtime logs (workers, the core SDK) of a test process go to a file instead of the
 * test output; the file's tail is printed only when the process fails, and a passing process
 * deletes it. Installed by startTestTemporal, before the runtime exists.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';

const TAIL_LINES = 60;
let logFile: string | undefined;

const json = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v));

/** Where this process's worker logs go (installed on first call). */
export function quietWorkerLogs(): string {
  if (logFile) return logFile;
  const dir = join(tmpdir(), 'personaact-test-logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(process.argv[1] ?? 'test').replace(/[^\w.-]+/g, '-')}-${process.pid}.log`);
  logFile = file;
  try {
    Runtime.install({
      logger: new DefaultLogger('INFO', ({ level, message, meta }) => appendFileSync(file, `${new Date().toISOString()} ${level} ${message}${meta ? ` ${json(meta)}` : ''}\n`)),
    });
  } catch {
    // A runtime exists already (a test created one itself): its logs go where it says.
    return file;
  }
  process.on('exit', (code) => {
    if (!existsSync(file)) return;
    if (code === 0 && !process.exitCode) {
      rmSync(file, { force: true });
      return;
    }
    const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
    process.stderr.write(`\nTemporal worker logs of this test file (last ${TAIL_LINES} lines; all in ${file}):\n${tail}\n`);
  });
  return file;
}
