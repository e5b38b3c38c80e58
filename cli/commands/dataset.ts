/** `personaact dataset build`: the training dataset from behaviour logs and a persona. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { EngagementModeSchema, ReversalStrategySchema, type EngagementMode, type ReversalStrategy } from '../../core/persona';
import { cliConfig } from '../config';
import { buildDataset, renderDatasetBuild, type DatasetBuildOptions } from '../training/dataset-build';
import { out } from '../output';


function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a share between 0 and 1, e.g. 0.5.');
  return n;
}

export function registerDatasetCommand(program: Command): void {
  const dataset = program.command('dataset').description('build training datasets (SFT and GRPO samples) from behaviour logs');
  dataset
    .command('build')
    .description('logs + persona (+ frames) → a dataset in the artifact store, split by session')
    .requiredOption('--logs <paths...>', "one user's logs: files or folders (paper session JSON, neutral .jsonl, TikTok export)")
    .option('--persona <file>', 'the persona the samples are conditioned on (default: built from the training sessions only; one that has seen a test session is refused)')
    .option('--user <name>', "the log's user (default: the paper's collector, else the first file's name)")
    .option('--images <dir>', 'frames as <dir>/<user>/<sessionId>/<index>.jpg|png (index: the step in its session, from 0)')
    .option('--reversed-share <share>', "share of train/validation samples that show the reversed persona p' with transformed targets (0..1)", share, 0)
    .addOption(new Option('--reversal <strategy>', "with --reversed-share: how p' watches (the quantile flip on p's distribution, or t' = max(0, 30 − t))").choices(ReversalStrategySchema.options).default('quantile-flip'))
    .addOption(new Option('--engagement <mode>', "with --reversed-share: p' never engages (suppress), or engages on what p passes over (invert)").choices(EngagementModeSchema.options).default('suppress'))
    .option('--out <location>', 'a folder or s3://bucket/prefix (default: PERSONAACT_ARTIFACTS)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `
Writes datasets/<id>/ with dataset.json, sft/{train,validation}.jsonl (chat samples: the serving
prompt of core/prompt.ts and the answer as an action block), grpo/{train,validation}.jsonl and
test.jsonl (prompts with the ground truth: solution, watch_seconds, actions), images/ and
checksums.json. The persona is built from the training sessions unless --persona is given, and a
given persona whose provenance covers a test session is refused: its statistics would leak the
held-out steps into every prompt. The split is by session (docs/method.md): the last sessions holding ≥ 10 % of the
steps are the test set, the ≥ 10 % before them validation. The id is the user and a content
hash: the same inputs give the same dataset, and building it twice writes nothing.


--reversed-share S puts the counterfactual persona p' into a share S of the train and validation
samples (drawn per sample id, so the same inputs give the same dataset): the prompt shows p', the
target is the person's step as p' would have taken it — the watch time reversed by --reversal,
engagement by --engagement — so a model can learn to follow the persona it is given, as the
counterfactual phase of an audit asks of it. The test split always shows p (docs/training.md).

Examples:
  personaact dataset build --logs data/personaact/raw_data/a
  personaact dataset build --logs data/personaact/raw_data/b --reversed-share 0.5`)
    .action(async (flags: DatasetBuildOptions & { json?: boolean; reversedShare: number; reversal: ReversalStrategy; engagement: EngagementMode }) => {
      const options = { ...flags, reversal: { share: flags.reversedShare, settings: { strategy: flags.reversal, engagement: flags.engagement } } };
      const result = await buildDataset(options, cliConfig(), flags.json ? () => {} : (line) => out(`  ${line}`));
      out(flags.json ? JSON.stringify(result, null, 2) : renderDatasetBuild(result));
    });
}
