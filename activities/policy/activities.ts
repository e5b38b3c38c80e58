/**
 * policy.decide: what the persona does with the video on screen, through the policy named in the
 * audit spec (createPolicy). persona-stat runs as a local activity on the main worker so a step
 * costs one marker event (the ≤ 8 events per interaction budget); model policies run beside the
 * page instead (./on-screen). Every policy is seeded per (audit seed, phase, index): a retried or
 * replayed step decides the same.
 */
import type { Decision } from '../../core/decision';
import type { Phase } from '../../core/interaction-record';
import type { Observation } from '../../core/observation';
import type { Persona, ReversalSettings } from '../../core/persona';
import type { PolicyContext, PolicyHistoryEntry, PolicyImage } from '../../core/policy';
import type { PolicyConfig } from './config';
import { createPolicy, POLICIES } from './create-policy';

export { POLICIES };

export interface DecideInput {
  policy: string;
  persona: Persona;
  /** Set in the counterfactual phase: act as p', the reversal of `persona`. */
  reversal?: ReversalSettings;
  observation: Observation;
  /** This phase's earlier steps, most recent last (the workflow keeps a small window). */
  history?: PolicyHistoryEntry[];
  seed: string | number;
  phase: Phase;
  index: number;
}

export interface DecideResult {
  decision: Decision;
  latencyMs: number;
}

export function policyContext(input: DecideInput, extra: { screenshot?: PolicyImage; signal?: AbortSignal } = {}): PolicyContext {
  return {
    persona: input.persona,
    video: input.observation,
    history: input.history ?? [],
    seed: `${input.seed}/${input.phase}/${input.index}`,
    ...(input.reversal ? { reversal: input.reversal } : {}),
    ...extra,
  };
}

export interface PolicyActivityDeps {
  config?: PolicyConfig;
}

export function createPolicyActivities(deps: PolicyActivityDeps = {}) {
  return {
    async decide(input: DecideInput): Promise<DecideResult> {
      const started = performance.now();
      const policy = createPolicy(input.policy, { ...(deps.config ? { config: deps.config } : {}) });
      const { decision } = await policy.decide(policyContext(input));
      return { decision, latencyMs: performance.now() - started };
    },
  };
}

export type PolicyActivities = ReturnType<typeof createPolicyActivities>;
