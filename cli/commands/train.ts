/**
 * `personaact train start | status | cancel`: the training pipeline (export → SFT → GRPO →
 * evaluate → register) as a durable Temporal workflow. The logic lives in cli/training/.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKENDS } from '../../core/training';
import { positiveInt } from '../arguments';
import { uiLink } from '../../clients/connection';
import { cliConfig, TEMPORAL_HELP } from '../config';
import { cancelRun } from '../training/cancel';
import { prepareRun, startRun, type TrainStartOptions } from '../training/start';
import { followRun, renderRunStatus, runStatus } from '../training/status';
import { out } from '../output';


function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number.');
  return n;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const CONFIG_HELP = `
Configured by environment variables (defaults fit \`personaact dev up\`):
${TEMPORAL_HELP}
  PERSONAACT_ARTIFACTS         <repo>/.personaact/artifacts (or s3://bucket/prefix: SageMaker needs S3)
The workers run the jobs: the local backend in PERSONAACT_TRAINING_DIR with PERSONAACT_TRAINER_PYTHON;
SageMaker with PERSONAACT_SAGEMAKER_ROLE_ARN, _IMAGE_URI, _OUTPUT and _SOURCE (activities/training/config.ts).`;

export function registerTrainCommand(program: Command): void {
  const train = program
    .command('train')
    .description('train persona policies: SFT then GRPO on a dataset, evaluate, register the model')
    .addHelpText('after', `
Each run is a Temporal workflow: export the dataset → SFT job (LoRA r=64) → GRPO job from the SFT
model (LoRA r=8) → evaluate on the test split → register models/<run>/manifest.json (metrics,
dataset id and hash, code version, hyperparameters, artifact locations). Jobs run on the worker's
machine (--backend local) or on SageMaker; a worker restart in the middle of a job loses nothing.

Typical session:
  personaact dataset build --logs data/personaact/raw_data/a
  personaact train start --dataset <ID> --base-model Qwen/Qwen2.5-VL-7B-Instruct --backend sagemaker --spot
  personaact train status <RUN> --follow
${CONFIG_HELP}`);

  train
    .command('start')
    .description('validate everything, then start a training run')
    .option('--dataset <id>', 'a dataset built with `personaact dataset build`')
    .option('--logs <paths...>', 'or: logs to build the dataset from (the export stage builds it)')
    .option('--persona <file>', 'with --logs: the persona the samples are conditioned on (default: built from the training sessions only; a persona that has seen a test session is refused)')
    .option('--user <name>', "with --logs: the log's user")
    .option('--images <dir>', 'with --logs: frames as <dir>/<user>/<sessionId>/<index>.jpg|png')
    .requiredOption('--base-model <model>', 'model to start from: a folder (local), an s3:// URI or a Hugging Face id')
    .addOption(new Option('--backend <name>', 'where the jobs run').choices(BACKENDS).default('local'))
    .option('--sft-steps <n>', 'SFT optimiser steps (default: whole epochs)', positiveInt)
    .option('--grpo-steps <n>', 'GRPO optimiser steps (default: whole epochs)', positiveInt)
    .option('--eval-limit <n>', 'evaluate only the first N test samples', positiveInt)
    .option('--hp <stage.name=value>', "a trainer option, repeatable: sft.learning_rate=1e-4, grpo.num_generations=8 (see python -m personaact_trainer <stage> --help)", collect, [])
    .option('--instance-type <type>', 'SageMaker instance type (default ml.g5.2xlarge)')
    .option('--spot', 'SageMaker managed spot training (resumes from checkpoints when interrupted)', false)
    .option('--max-runtime <hours>', 'SageMaker: stop a job after this long (default 24)', positiveNumber)
    .option('--max-wait <hours>', 'SageMaker spot: runtime plus waiting for capacity (default twice --max-runtime)', positiveNumber)
    .option('--poll-max <seconds>', 'longest wait between two looks at a job (default 300; the first is 10 s, doubling)', positiveNumber)
    .option('--task-queue <name>', 'run the jobs on the worker polling this queue: a GPU host\'s `personaact worker --role training` (its PERSONAACT_TRAINING_TASK_QUEUE); default: the main workers')
    .option('--id <run-id>', 'run id = workflow id; jobs are <id>-sft, <id>-grpo, <id>-evaluate (default train-<name>-<time>-<hex>)')
    .option('--study <id>', 'group runs into a study (a search attribute)')
    .option('--follow', 'follow the run after starting it', false)
    .addHelpText('after', `
Checked before anything starts: --dataset exists (or the logs and persona parse and split by
session), the base model exists (local) or is an s3:// URI / hub id, the options, and that
SageMaker runs have an S3 artifact store. With --logs, the logs, persona and frames are stored
under training/<id>/inputs/ for the export stage.

Examples:
  personaact train start --dataset a-0123456789ab --base-model ./models/tiny --sft-steps 20 --grpo-steps 10 --eval-limit 50
  personaact train start --logs data/personaact/raw_data/b \\
      --base-model Qwen/Qwen2.5-VL-7B-Instruct --backend sagemaker --instance-type ml.g5.12xlarge --spot --max-runtime 8
${CONFIG_HELP}`)
    .action(async (flags: TrainStartOptions & { follow: boolean; maxRuntime?: number; maxWait?: number }) => {
      const config = cliConfig();
      const prepared = await prepareRun({ ...flags, maxRuntimeHours: flags.maxRuntime, maxWaitHours: flags.maxWait }, config);
      await startRun(prepared, config, out);
      if (flags.follow) await followRun(config, prepared.runId, out);
    });

  train
    .command('status')
    .description("a run's stages, job progress, metrics and model (or --follow it until it ends)")
    .argument('<run-id>', 'the run id printed by `train start`')
    .option('--json', 'print the status as JSON')
    .option('--follow', 'print the status whenever it changes, until the run ends', false)
    .addHelpText('after', CONFIG_HELP)
    .action(async (runId: string, flags: { json?: boolean; follow: boolean }) => {
      const config = cliConfig();
      if (flags.follow) await followRun(config, runId, out);
      else if (flags.json) out(JSON.stringify(await runStatus(config, runId), null, 2));
      else out(renderRunStatus(await runStatus(config, runId), uiLink(config.temporal, runId)));
    });

  train
    .command('cancel')
    .description('cancel a run: its running job is stopped (StopTrainingJob, or the trainer process killed)')
    .argument('<run-id>', 'the run id')
    .option('--timeout <seconds>', 'how long to wait for the run to close', positiveInt, 120)
    .addHelpText('after', CONFIG_HELP)
    .action(async (runId: string, flags: { timeout: number }) => {
      await cancelRun(cliConfig(), runId, flags.timeout, out);
    });
}
