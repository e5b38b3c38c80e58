/** `personaact dataset build`: the training dataset from behaviour logs and a persona. */
import { Command } from 'commander';
import { cliConfig } from '../config';
import { buildDataset, renderDatasetBuild, type DatasetBuildOptions } from '../training/dataset-build';
import { out } from '../output';


export function registerDatasetCommand(program: Command): void {
  const dataset = program.command('dataset').description('build training datasets (SFT and GRPO samples) from behaviour logs');
  dataset
    .command('build')
    .description('logs + persona (+ frames) → a dataset in the artifact store, split by session')
    .requiredOption('--logs <paths...>', "one user's logs: files or folders (paper session JSON, neutral .jsonl, TikTok export)")
    .requiredOption('--persona <file>', 'the persona the samples are conditioned on (schema: core/persona.ts)')
    .option('--user <name>', "the log's user (default: the paper's collector, else the first file's name)")
    .option('--images <dir>', 'frames as <dir>/<user>/<sessionId>/<index>.jpg|png (index: the step in its session, from 0)')
    .option('--out <location>', 'a folder or s3://bucket/prefix (default: PERSONAACT_ARTIFACTS)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `
Writes datasets/<id>/ with dataset.json, sft/{train,validation}.jsonl (chat samples: the serving
prompt of core/prompt.ts and the answer as an action block), grpo/{train,validation}.jsonl and
test.jsonl (prompts with the ground truth: solution, watch_seconds, actions), images/ and
checksums.json. The split is by session (docs/method.md): the last sessions holding ≥ 10 % of the
steps are the test set, the ≥ 10 % before them validation. The id is the user and a content
hash: the same inputs give the same dataset, and building it twice writes nothing.

Example:
  personaact dataset build --logs data/personaact/raw_data/a --persona examples/personas/user-a.json`)
    .action(async (flags: DatasetBuildOptions & { json?: boolean }) => {
      const result = await buildDataset(flags, cliConfig(), flags.json ? () => {} : (line) => out(`  ${line}`));
      out(flags.json ? JSON.stringify(result, null, 2) : renderDatasetBuild(result));
    });
}
