/** Policy names, importable anywhere (the workflow bundle too: no model clients come with them). */
export const PERSONA_STAT_POLICY = 'persona-stat';
export const OPENAI_POLICY = 'openai-compatible';
export const SAGEMAKER_POLICY = 'sagemaker-endpoint';

export const POLICIES = [PERSONA_STAT_POLICY, OPENAI_POLICY, SAGEMAKER_POLICY] as const;
export type PolicyName = (typeof POLICIES)[number];

/**
 * Policies that call a model: slow, and they look at the current frame, so the audit runs them as
 * a regular activity on the browser worker that holds the page (activities/policy/on-screen.ts).
 */
export const MODEL_POLICIES: readonly string[] = [OPENAI_POLICY, SAGEMAKER_POLICY];

export const isPolicyName = (name: string): name is PolicyName => (POLICIES as readonly string[]).includes(name);
