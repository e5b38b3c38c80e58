/**
 * `personaact eval`: offline fidelity of agents on real held-out sessions, the paper's Table 2.
 * The logic lives in cli/eval/; this file is the CLI face (options and help).
 */
import { Command, Option } from 'commander';
import { POLICIES } from '../../activities/policy/create-policy';
import { BASELINES } from '../../core/fidelity-baselines';
import { renderFidelity, runEval } from '../eval/fidelity';
import { out } from '../output';


interface EvalFlags {
  logs: string[];
  policy: string[];
  seed: string;
  json?: boolean;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('measure how closely agents imitate real users on their held-out sessions (SMAPE, MAE, r, action accuracy, F1, KL)')
    .requiredOption('--logs <paths...>', 'one user per path: a folder of the paper\'s session_*.json, a .jsonl log (docs/log-formats.md) or a TikTok user_data.json')
    .addOption(new Option('--policy <names...>', 'policies to evaluate (model policies read PERSONAACT_POLICY_* / PERSONAACT_SAGEMAKER_*)').choices(POLICIES).default(['persona-stat']))
    .option('--seed <seed>', 'seed of the stochastic policies and the marginal-sample baseline; same seed, same numbers', '1')
    .addOption(new Option('--json', 'print machine-readable JSON instead of the table (progress goes to stderr)'))
    .addHelpText('after', `
Per user, the log is split by session (never by step): sessions in time order, the last sessions
holding >= 10 % of the steps are the test set, the >= 10 % before them validation. The persona and
the baselines are fit on every session before the test set only. Each policy then decides the test
steps in order, given the person's true earlier steps of the session as history.

Columns (docs/method.md): SMAPE of watch time (the paper's definition, 0..2), MAE in seconds, Pearson
r (– when undefined, e.g. for a constant), action-type accuracy (the exact set of like / comment /
share / not_interested; "watch" when none), F1 of like, comment and share (– when neither the
person nor the agent ever did it), and KL(true ‖ predicted) between 20-bin watch-time histograms.
Baselines, always reported: ${BASELINES.join(', ')}.

A low SMAPE alone is no realistic agent: constant-median scores well on SMAPE but has the worst KL.

Examples:
  personaact eval --logs data/personaact/raw_data/a data/personaact/raw_data/b
  PERSONAACT_POLICY_BASE_URL=http://gpu:8000/v1 PERSONAACT_POLICY_MODEL=personaact-a \\
    personaact eval --logs data/personaact/raw_data/a --policy persona-stat openai-compatible --json`)
    .action(async (flags: EvalFlags) => {
      const progress = (line: string) => process.stderr.write(`${line}\n`);
      const result = await runEval({ logs: flags.logs, policies: flags.policy, seed: flags.seed }, progress);
      out(flags.json ? JSON.stringify(result, null, 2) : renderFidelity(result.users));
    });
}
