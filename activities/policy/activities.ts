/**
 * policy.decide: what the persona does with the video on screen, through the policy named in the
 * audit spec (createPolicy). persona-stat runs as a local activity so a step costs one marker
 * event (the ≤ 8 events per interaction budget). Every policy is seeded per (audit seed, phase,
 * index): a retried or replayed step decides the same.
 */
import type { Decision } from '../../core/decision';
import type { Phase } from '../../core/interaction-record';
import type { Observation } from '../../core/observation';
import type { Persona, ReversalSettings } from '../../core/persona';
import type { PolicyHistoryEntry } from '../../core/policy';
import { createPolicy, POLICIES } from './create-policy';
import type { PolicyConfig } from './config';

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

export interface PolicyActivityDeps {
  config?: PolicyConfig;
}

export function createPolicyActivities(deps: PolicyActivityDeps = {}) {
  return {
    async decide(input: DecideInput): Promise<DecideResult> {
      const started = performance.now();
      const policy = createPolicy(input.policy, { ...(deps.config ? { config: deps.config } : {}) });
      const { decision } = await policy.decide({
        persona: input.persona,
        video: input.observation,
        history: input.history ?? [],
        seed: `${input.seed}/${input.phase}/${input.index}`,
        ...(input.reversal ? { reversal: input.reversal } : {}),
      });
      return { decision, latencyMs: performance.now() - started };
    },
  };
}

export type PolicyActivities = ReturnType<typeof createPolicyActivities>;
