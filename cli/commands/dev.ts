/**
 * `personaact dev up | down | status | restart-worker`: the local stack (Temporal dev server + Web
 * UI, sandbox platform, optional SeaweedFS S3, audit workers). The logic lives in infra/stack/;
 * this file is the CLI face.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_PORTS, type StackOptions } from '../../infra/stack/config';
import { DEFAULT_DATA_DIR, displayPath } from '../../infra/stack/paths';
import { port as parsePort, timeScale } from '../arguments';
import {
  restartWorker,
  stackDown,
  stackStatus,
  stackUp,
  type ServiceStatus,
  type StackStatus,
  type UpResult,
} from '../../infra/stack/stack';
import { out } from '../output';

const dataDirOption = () =>
  new Option('--data-dir <dir>', 'data folder of the local stack (default: .personaact/ at the repository root)');

const progress = (line: string) => process.stdout.write(`[dev] ${line}\n`);

function describeUrls(service: ServiceStatus): string {
  switch (service.name) {
    case 'temporal':
      return `gRPC ${service.urls.grpc}  UI ${service.urls.ui}`;
    case 'sandbox':
      return `${service.urls.http}`;
    case 's3':
      return `${service.urls.endpoint}`;
    case 'codec':
      return `${service.urls.http}`;
    case 'worker':
      return `queues ${service.urls.taskQueues}  artifacts ${displayPath(service.urls.artifacts ?? '')}`;
  }
}

function printUrls(status: StackStatus): void {
  const byName = Object.fromEntries(status.services.map((s) => [s.name, s]));
  const running = (s: ServiceStatus | undefined) => s?.state === 'running';
  const rows: Array<[string, string]> = [];
  if (byName.temporal) {
    rows.push(['Temporal gRPC', `${byName.temporal.urls.grpc}   (namespace default)`]);
    rows.push(['Temporal UI', `${byName.temporal.urls.ui}`]);
  }
  if (byName.sandbox) rows.push(['Sandbox', `${byName.sandbox.urls.http}`]);
  if (running(byName.s3)) {
    rows.push(['S3 endpoint', `${byName.s3?.urls.endpoint}   (path-style, region us-east-1, any access key/secret)`]);
  } else {
    rows.push(['S3 endpoint', 'not started (add --s3)']);
  }
  const worker = byName.worker;
  const artifacts = worker?.urls.artifacts ?? '';
  if (running(worker)) {
    rows.push(['Worker', `polling ${worker?.urls.taskQueues}   (after code changes: personaact dev restart-worker${dataDirArg(status)})`]);
    rows.push(['Artifacts', `${displayPath(artifacts)}${/^s3:/i.test(artifacts) ? '' : path.sep}`]);
  } else if (worker) {
    const env = [
      `PERSONAACT_TEMPORAL_ADDRESS=${worker.urls.temporal}`,
      `PERSONAACT_SANDBOX_URL=${byName.sandbox?.urls.http}`,
      ...(running(byName.s3) ? [`PERSONAACT_S3_ENDPOINT=${byName.s3?.urls.endpoint}`] : []),
      `PERSONAACT_ARTIFACTS=${displayPath(artifacts)}`,
      ...(worker.urls.secretKeyFile ? [`PERSONAACT_SECRET_KEY_FILE=${displayPath(worker.urls.secretKeyFile)}`] : []),
    ];
    rows.push(['Worker', `not started (--no-worker); to run your own: ${env.join(' ')} personaact worker`]);
  }
  if (running(byName.codec)) {
    rows.push(['Codec server', `${byName.codec?.urls.http}   (payloads encrypted; the UI decrypts through it)`]);
    const key = worker?.urls.secretKeyFile ? `PERSONAACT_SECRET_KEY_FILE=${displayPath(worker.urls.secretKeyFile)} ` : '';
    rows.push(['CLI needs', `${key}PERSONAACT_ENCRYPT_PAYLOADS=true`]);
  }
  if (worker?.urls.secretKeyFile) rows.push(['Secret key', `${displayPath(worker.urls.secretKeyFile)}   (encrypts account cookies; keep it private, back it up)`]);
  rows.push(['Logs', `${displayPath(path.join(status.dataDir, 'logs'))}${path.sep}`]);
  for (const [label, value] of rows) out(`  ${label.padEnd(14)} ${value}`);
}

/** ` --data-dir <dir>` unless it is the default. */
function dataDirArg(status: Pick<StackStatus, 'dataDir'>): string {
  return status.dataDir === path.resolve(DEFAULT_DATA_DIR) ? '' : ` --data-dir ${displayPath(status.dataDir)}`;
}

function reportUp(result: UpResult): void {
  for (const warning of result.warnings) progress(`warning: ${warning}`);
  if (result.addedSearchAttributes.length > 0) {
    progress(`registered search attributes: ${result.addedSearchAttributes.join(', ')}`);
  }
  if (result.started.length === 0) {
    out(`The local stack is already running (${result.alreadyRunning.join(', ')}); nothing started.`);
  } else {
    out(`The local stack is up (data: ${displayPath(result.status.dataDir)}).`);
  }
  if (result.alreadyRunning.includes('worker')) {
    out('The worker was already running: it runs the workflow/activity code it loaded when it started.');
  }
  printUrls(result.status);
  out(`Stop it with: personaact dev down${dataDirArg(result.status)}`);
}

type UpOptions = StackOptions & { worker: boolean };

export function registerDevCommand(program: Command): void {
  const dev = program
    .command('dev')
    .description('run the local stack: Temporal dev server (+ Web UI), sandbox platform, optional S3, audit workers')
    .addHelpText(
      'after',
      `
Everything lives in the data folder: temporal.db, sandbox/, s3/, artifacts/, logs/<service>.log,
pids/<service>.pid. The processes keep running after the command returns.`,
    );

  dev
    .command('up')
    .description('start the local stack (each service once) and wait until it is healthy')
    .addOption(dataDirOption())
    .option('--temporal-port <port>', 'Temporal gRPC port', parsePort, DEFAULT_PORTS.temporal)
    .option('--ui-port <port>', 'Temporal Web UI port', parsePort, DEFAULT_PORTS.ui)
    .option('--sandbox-port <port>', 'sandbox platform port', parsePort, DEFAULT_PORTS.sandbox)
    .option('--time-scale <x>', 'sandbox clock: platform seconds per real second (default: the sandbox default, 1)', timeScale)
    .option('--s3', 'also start an S3-compatible server (SeaweedFS)', false)
    .option('--s3-port <port>', 'S3 port', parsePort, DEFAULT_PORTS.s3)
    .option('--weed-port-base <port>', 'first of the 7 internal SeaweedFS ports (default: S3 port + 1)', parsePort)
    .option('--no-worker', 'do not start the audit workers (for running `personaact worker` yourself)')
    .option('--encrypt-payloads', 'encrypt Temporal payloads (default: PERSONAACT_ENCRYPT_PAYLOADS) and run a codec server for the UI')
    .option('--codec-port <port>', 'codec server port', parsePort, DEFAULT_PORTS.codec)
    .addHelpText(
      'after',
      `
Examples:
  personaact dev up
  personaact dev up --s3
  personaact dev up --data-dir /tmp/pa --temporal-port 17233 --ui-port 18233 --sandbox-port 18300

S3 (--s3): endpoint http://127.0.0.1:<s3-port>, path-style, no identities configured, so any
access key/secret (or none) is accepted. Local use only: it listens on 127.0.0.1.

Worker (\`personaact worker --role all\`, started once Temporal and the sandbox are healthy):
gets this stack's Temporal address, sandbox URL and (--s3) S3 endpoint; artifacts go to
PERSONAACT_ARTIFACTS when set, else <data>/artifacts; log level PERSONAACT_LOG_LEVEL (info).
It loads the workflow/activity code when it starts: after changing it, run
\`personaact dev restart-worker\`.

Secrets: the worker encrypts account cookies with <data>/secret.key (made on the first start,
mode 0600; PERSONAACT_SECRET_KEY or PERSONAACT_SECRET_KEY_FILE in the environment replaces it).
--encrypt-payloads also encrypts every Temporal payload and starts a codec server (:8234) that the
UI decrypts through; CLI commands then need PERSONAACT_SECRET_KEY_FILE=<data>/secret.key and
PERSONAACT_ENCRYPT_PAYLOADS=true.`,
    )
    .action(async (options: UpOptions) => {
      reportUp(await stackUp(options, progress));
    });

  dev
    .command('restart-worker')
    .description('restart the audit workers (to load changed workflow/activity code), with the settings of the last `up`: rolling, the new worker polls before the old one drains (docs/upgrading.md)')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      const { down, up } = await restartWorker(options.dataDir, progress);
      for (const { pid } of down.stopped) out(`stopped worker (pid ${pid})`);
      reportUp(up);
    });

  dev
    .command('down')
    .description('stop what `dev up` started (SIGTERM, then SIGKILL after a grace period)')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      const result = await stackDown(options.dataDir, progress);
      if (result.stopped.length === 0) {
        out('Nothing was running.');
        return;
      }
      for (const { name, pid, how } of result.stopped) {
        out(`stopped ${name} (pid ${pid}${how === 'killed' ? ', killed after the grace period' : ''})`);
      }
    });

  dev
    .command('status')
    .description('show each service: running / stopped / stale pid, and its URLs')
    .addOption(dataDirOption())
    .option('--json', 'machine-readable output', false)
    .action(async (options: { dataDir?: string; json: boolean }) => {
      const status = await stackStatus(options.dataDir);
      if (options.json) {
        out(JSON.stringify(status, null, 2));
        return;
      }
      out(`Local stack (data: ${displayPath(status.dataDir)})`);
      for (const service of status.services) {
        const state =
          service.state === 'running'
            ? service.healthy === false
              ? service.name === 'worker'
                ? 'running (not polling)'
                : 'running (not answering)'
              : 'running'
            : service.state === 'stale'
              ? 'stale pid file'
              : 'stopped';
        const pid = service.pid ? `pid ${service.pid}` : '';
        out(`  ${service.name.padEnd(9)} ${state.padEnd(24)} ${pid.padEnd(10)} ${describeUrls(service)}`);
      }
    });
}
