/**
 * `personaact eval`: offline fidelity of policies on each user's held-out sessions. Everything is
 * checked before any policy runs (policy settings, every log, every split), so a typo never costs
 * an hour of model calls.
 */
import { evaluateUser, type UserFidelity } from '../../evaluation/evaluate-fidelity';
import { importLogs } from '../../behaviour-logs/import-logs';
import { loadPolicyConfig } from '../../activities/policy/config';
import { createPolicy, MODEL_POLICIES } from '../../activities/policy/create-policy';
import type { BehaviourLog } from '../../core/behaviour-log';
import type { Policy } from '../../core/policy';
import { SessionSplitError, splitBySession } from '../../core/session-split';
import { table } from '../audit/format';
import { UserError } from '../errors';

export interface EvalOptions {
  /** One user per path: a folder of session files, or one log file. */
  readonly logs: readonly string[];
  readonly policies: readonly string[];
  readonly seed: string;
}

/** Model policies report every this many steps; persona-stat is done in milliseconds. */
const PROGRESS_EVERY = 25;

function createPolicies(names: readonly string[]): Policy[] {
  const unique = [...new Set(names)];
  try {
    const config = loadPolicyConfig(process.env);
    return unique.map((name) => createPolicy(name, { config }));
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

async function loadUser(path: string): Promise<BehaviourLog> {
  const log = await importLogs([path]);
  try {
    splitBySession(log.steps);
  } catch (error) {
    if (error instanceof SessionSplitError) throw new UserError(`${path} (user "${log.user}"): ${error.message}`);
    throw error;
  }
  return log;
}

export async function runEval(options: EvalOptions, progress: (line: string) => void): Promise<{ users: UserFidelity[] }> {
  if (options.logs.length === 0) throw new UserError('no --logs given: name one folder or file per user');
  const policies = createPolicies(options.policies);
  const logs: BehaviourLog[] = [];
  for (const path of options.logs) logs.push(await loadUser(path));

  const users: UserFidelity[] = [];
  for (const log of logs) {
    progress(`user ${log.user}: ${log.steps.length} steps from ${log.sources.length} file(s)`);
    try {
      users.push(
        await evaluateUser(log, {
          policies,
          seed: options.seed,
          onProgress: ({ user, policy, done, total, unparsed }) => {
            if (!MODEL_POLICIES.includes(policy) || (done % PROGRESS_EVERY !== 0 && done !== total)) return;
            progress(`  ${user} · ${policy}: ${done}/${total} test steps${unparsed > 0 ? `, ${unparsed} unreadable answers (scored as 0 s)` : ''}`);
          },
        }),
      );
    } catch (error) {
      throw new UserError(`user ${log.user}: ${(error as Error).message}`);
    }
  }
  return { users };
}

const fixed = (digits: number) => (value: number | null) => (value === null ? '–' : value.toFixed(digits));

/** The paper's Table 2, one block per user: policies first, then the baselines. */
export function renderFidelity(users: readonly UserFidelity[]): string {
  const three = fixed(3);
  return users
    .map(({ user, testSteps, policies }) =>
      [
        `user ${user}: ${testSteps} held-out test steps`,
        table(
          ['policy', 'SMAPE', 'MAE (s)', 'r', 'type acc', 'F1 like', 'F1 comment', 'F1 share', 'KL'],
          policies.map((p) => [p.name, three(p.smape), fixed(2)(p.mae), three(p.pearson), three(p.typeAccuracy), three(p.f1.like), three(p.f1.comment), three(p.f1.share), three(p.kl)]),
        ),
      ].join('\n'),
    )
    .join('\n\n');
}
