/**
 * The one place a policy is made from its name: the audit's decide activity and the offline
 * fidelity evaluation both call `createPolicy`, so an agent is measured exactly as it audits.
 */
import type { Policy } from '../../core/policy';
import { personaStatPolicy } from '../../core/persona-stat-policy';
import type { PolicyConfig } from './config';

export const POLICIES = ['persona-stat'] as const;
export type PolicyName = (typeof POLICIES)[number];

export interface PolicyOptions {
  /** Model-policy settings (PERSONAACT_POLICY_*, PERSONAACT_SAGEMAKER_*); defaults when absent. */
  config?: PolicyConfig;
}

export const isPolicyName = (name: string): name is PolicyName => (POLICIES as readonly string[]).includes(name);

export function createPolicy(name: string, _options: PolicyOptions = {}): Policy {
  switch (name) {
    case 'persona-stat':
      return personaStatPolicy;
    default:
      throw new Error(`unknown policy "${name}"; available: ${POLICIES.join(', ')}`);
  }
}
