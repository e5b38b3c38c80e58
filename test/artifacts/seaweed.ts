/**
 * SeaweedFS alone (no Temporal, no sandbox) for the S3 tests, started exactly as `personaact dev
 * up --s3` starts it (infra/stack's s3Service spec), in its own data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolveStackConfig } from '../../infra/stack/config';
import { sleep } from '../../infra/stack/health';
import { isPortFree } from '../../infra/stack/ports';
import { spawnDetached, stopProcess } from '../../infra/stack/processes';
import { s3Service } from '../../infra/stack/services';

export interface Seaweed {
  endpoint: string;
  /** SIGTERM, SIGKILL after the grace; weed's filer takes ~15 s to stop. */
  stop(): Promise<void>;
}

/** Starts weed with S3 on `s3Port` and its seven internal ports right above it; resolves when healthy. */
export async function startSeaweed(dataDir: string, s3Port: number): Promise<Seaweed> {
  const spec = s3Service(resolveStackConfig({ dataDir, s3: true, s3Port }));
  const missing = spec.missing();
  if (missing) throw new Error(missing);
  const taken = [];
  for (const use of spec.ports) if (!(await isPortFree(use.port))) taken.push(`${use.port} (${use.what})`);
  if (taken.length > 0) throw new Error(`SeaweedFS for the S3 tests needs ports already in use: ${taken.join(', ')}`);

  fs.mkdirSync(spec.cwd, { recursive: true });
  const logFile = path.join(dataDir, 'weed.log');
  const { command, args, cwd, env } = spec;
  const spawned = await spawnDetached({ command, args, cwd, env, logFile, pidFile: path.join(dataDir, 'weed.pid') });
  const stop = async () => {
    await stopProcess(spawned.pid, spec.stopGraceMs);
  };
  let exited = false;
  void spawned.exited.then(() => (exited = true));
  const deadline = Date.now() + spec.startTimeoutMs;
  while (!(await spec.healthy())) {
    if (exited || Date.now() > deadline) {
      await stop();
      const log = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      throw new Error(`SeaweedFS ${exited ? 'exited' : 'did not become healthy'} while starting; ${logFile}:\n${log}`);
    }
    await sleep(250);
  }
  return { endpoint: spec.urls.endpoint as string, stop };
}
