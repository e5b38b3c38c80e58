/**
 * The one place a policy is made from its name: the audit's decide activity and the offline
 * fidelity evaluation both call `createPolicy`, so an agent is measured exactly as it audits.
 */
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Policy } from '../../core/policy';
import { personaStatPolicy } from '../../core/persona-stat-policy';
import { loadPolicyConfig, type PolicyConfig } from './config';
import { OPENAI_POLICY, PERSONA_STAT_POLICY, POLICIES, SAGEMAKER_POLICY } from '../../core/policy-names';
import { createOpenAiPolicy } from './openai-policy';
import { createSagemakerPolicy } from './sagemaker-policy';

export { isPolicyName, MODEL_POLICIES, POLICIES, type PolicyName } from '../../core/policy-names';

export interface PolicyOptions {
  /** Model-policy settings (PERSONAACT_POLICY_*, PERSONAACT_SAGEMAKER_*); their defaults when absent. */
  config?: PolicyConfig;
  /** The SageMaker runtime client to use (tests pass one; by default one is made from the config). */
  sagemakerClient?: SageMakerRuntimeClient;
}

/** Throws, naming the variable, when a model policy lacks its settings; and for unknown names. */
export function createPolicy(name: string, options: PolicyOptions = {}): Policy {
  const config = () => options.config ?? loadPolicyConfig({});
  switch (name) {
    case PERSONA_STAT_POLICY:
      return personaStatPolicy;
    case OPENAI_POLICY:
      return createOpenAiPolicy(config());
    case SAGEMAKER_POLICY:
      return createSagemakerPolicy(config(), options.sagemakerClient);
    default:
      throw new Error(`unknown policy "${name}"; available: ${POLICIES.join(', ')}`);
  }
}
