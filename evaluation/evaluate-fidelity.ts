/**
 * Offline fidelity (issue 5): how closely each policy imitates a real person on that person's
 * held-out sessions. Per user: split by session (core/session-split.ts), build the persona from
 * the sessions before the test set only (no leakage), let each policy decide every test step in
 * order through `Policy.decide` — with the person's true earlier steps of the session as history,
 * as the training data shows them — and score the decisions beside the baselines.
 */
import type { BehaviourLog } from '../core/behaviour-log';
import { BASELINES, baselinePredictions } from '../core/fidelity-baselines';
import { fidelityMetrics, outcomeOfDecision, outcomeOfStep, UNPARSED_OUTCOME, type ActionOutcome, type FidelityMetrics } from '../core/fidelity-metrics';
import { historyEntryOfStep, policyVideoOfStep } from '../core/log-step-context';
import type { Persona } from '../core/persona';
import { extractFeatures } from '../core/persona-features';
import { PERSISTENCE_WINDOW } from '../core/persona-stat-policy';
import { synthesizePersona } from '../core/persona-synthesis';
import type { Policy } from '../core/policy';
import { fitSteps, splitBySession } from '../core/session-split';
import { PolicyError } from '../activities/policy/model-policy';

/** History steps a policy is given: what the audit workflow keeps (persona-stat's window; the prompt shows fewer). */
export const EVAL_HISTORY_STEPS = PERSISTENCE_WINDOW;

export interface PolicyFidelity extends FidelityMetrics {
  readonly name: string;
}

export interface UserFidelity {
  readonly user: string;
  readonly testSteps: number;
  /** The policies asked for, in order, then the baselines. */
  readonly policies: readonly PolicyFidelity[];
}

export interface FidelityProgress {
  readonly user: string;
  readonly policy: string;
  readonly done: number;
  readonly total: number;
  /** Answers so far that never parsed (scored as 0 s and no action). */
  readonly unparsed: number;
}

export interface EvaluateOptions {
  readonly policies: readonly Policy[];
  /** Seeds stochastic policies (per user and step) and the marginal-sample baseline. */
  readonly seed: string;
  readonly onProgress?: (progress: FidelityProgress) => void;
}

/** The persona the log's fit steps give (template narrative; only its statistics drive persona-stat). */
export function personaOfFitSteps(log: BehaviourLog, fit: BehaviourLog['steps']): Persona {
  const fitLog: BehaviourLog = { ...log, steps: fit };
  return synthesizePersona({ id: 'evaluated-user', name: `User ${log.user}`, log: fitLog, features: extractFeatures(fitLog), sources: log.sources });
}

/**
 * A model's answer that stayed unreadable after its re-asks is scored, not fatal (the trainer's
 * evaluate does the same); a failed call (server down, timeout) stops the evaluation.
 */
const isUnreadableAnswer = (error: unknown): boolean => error instanceof PolicyError && (error.exchanges.at(-1)?.response ?? null) !== null;

export async function evaluateUser(log: BehaviourLog, options: EvaluateOptions): Promise<UserFidelity> {
  const split = splitBySession(log.steps);
  const fit = fitSteps(split);
  const persona = personaOfFitSteps(log, fit);
  const truth = split.test.map(outcomeOfStep);
  const rows: PolicyFidelity[] = [];

  for (const policy of options.policies) {
    const predicted: ActionOutcome[] = [];
    let unparsed = 0;
    for (const [index, step] of split.test.entries()) {
      const sessionStart = split.test.findIndex((s) => s.sessionId === step.sessionId);
      const history = split.test.slice(Math.max(sessionStart, index - EVAL_HISTORY_STEPS), index).map(historyEntryOfStep);
      try {
        const { decision } = await policy.decide({ persona, video: policyVideoOfStep(step), history, seed: `${options.seed}/${log.user}/${index}` });
        predicted.push(outcomeOfDecision(decision));
      } catch (error) {
        if (!isUnreadableAnswer(error)) throw error;
        unparsed++;
        predicted.push(UNPARSED_OUTCOME);
      }
      options.onProgress?.({ user: log.user, policy: policy.name, done: index + 1, total: split.test.length, unparsed });
    }
    rows.push({ name: policy.name, ...fidelityMetrics(predicted, truth) });
  }
  for (const baseline of BASELINES) {
    rows.push({ name: baseline, ...fidelityMetrics(baselinePredictions(baseline, fit, split.test, `${options.seed}/${log.user}`), truth) });
  }
  return { user: log.user, testSteps: split.test.length, policies: rows };
}
