/**
 * policy.decide: what the persona does with the video on screen. Runs as a local activity so a
 * step costs one marker event, not a second activity's history (the ≤ 8 events per interaction
 * budget). The persona-stat policy is seeded per (audit seed, phase, index): a retried or replayed
 * step decides the same.
 */
import type { Decision } from '../../core/decision';
import type { Phase } from '../../core/interaction-record';
import type { Observation } from '../../core/observation';
import type { Persona, ReversalSettings } from '../../core/persona';
import { decidePersonaStat } from '../../core/persona-stat-policy';
import { createRng } from '../../core/rng';

export interface DecideInput {
  policy: string;
  persona: Persona;
  /** Set in the counterfactual phase: act as p', the reversal of `persona`. */
  reversal?: ReversalSettings;
  observation: Observation;
  seed: string | number;
  phase: Phase;
  index: number;
}

export interface DecideResult {
  decision: Decision;
  latencyMs: number;
}

export const POLICIES = ['persona-stat'] as const;

export function createPolicyActivities() {
  return {
    async decide(input: DecideInput): Promise<DecideResult> {
      const started = performance.now();
      if (input.policy !== 'persona-stat') throw new Error(`unknown policy "${input.policy}"; available: ${POLICIES.join(', ')}`);
      const rng = createRng(`${input.seed}/${input.phase}/${input.index}`);
      const decision = decidePersonaStat(input.persona, input.observation, rng, input.reversal);
      return { decision, latencyMs: performance.now() - started };
    },
  };
}

export type PolicyActivities = ReturnType<typeof createPolicyActivities>;
