/** `personaact worker`: runs Temporal workers for audits in this process. */
import { Command, Option } from 'commander';
import { loadWorkerConfig } from '../../workers/config';
import { createLogger, routeTemporalLogs } from '../../workers/logger';
import { TEMPORAL_HELP } from '../config';
import { runWorkers, WORKER_ROLES, type WorkerRole } from '../../workers/run-workers';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run workers: workflows, policy, analysis and training jobs (main), browser sessions (browser), both (all), or only training jobs on a GPU host (training: PERSONAACT_TRAINING_TASK_QUEUE)')
    .addOption(new Option('--role <role>', 'which workers to run').choices(WORKER_ROLES).default('all'))
    .addHelpText('after', `
Configured by environment variables (defaults fit \`personaact dev up\`):
${TEMPORAL_HELP}
  PERSONAACT_ARTIFACTS         <repository>/.personaact/artifacts (or s3://bucket/prefix)
  PERSONAACT_S3_ENDPOINT       e.g. http://127.0.0.1:8333 for the local S3
  PERSONAACT_SANDBOX_URL       http://127.0.0.1:8300 PERSONAACT_MAX_SESSIONS  4
  PERSONAACT_CHROMIUM          /usr/bin/chromium     PERSONAACT_LOG_LEVEL     info
  PERSONAACT_HEADED            false: true runs headed Chromium (sites that refuse headless browsers),
                               on DISPLAY or on a virtual display it starts with Xvfb (apt-get install xvfb)
  PERSONAACT_LIVE_VIEW_PORT    0 (any free port): the live view of pages waiting for a person, on 127.0.0.1
  PERSONAACT_SESSION_IDLE_MINUTES  30: a browser session unused this long (nobody at its live view) is closed
  PERSONAACT_SECRET_KEY        32-byte key (hex/base64; \`personaact secrets keygen\`): browser workers
                               refuse to start without it (or PERSONAACT_SECRET_KEY_FILE)
  PERSONAACT_PREVIOUS_SECRET_KEYS  old keys, comma-separated   PERSONAACT_ENCRYPT_PAYLOADS  false`)
    .action(async (options: { role: WorkerRole }) => {
      const config = loadWorkerConfig(process.env);
      const logger = createLogger(config.PERSONAACT_LOG_LEVEL);
      routeTemporalLogs(logger);
      await runWorkers(config, options.role, logger);
    });
}
