/**
 * Model-policy configuration from the environment, validated with zod (merged into the worker
 * config, workers/config.ts; `personaact eval` reads the same variables). Nothing is required
 * until a model policy is created: persona-stat needs none of it.
 */
import { z } from 'zod';
import { HttpUrlSchema } from '../../core/primitives';
import { formatZodError } from '../../core/zod-error';

const positiveInt = z.coerce.number().int().positive();

export const PolicyEnvShape = {
  /** OpenAI-compatible server, up to and including /v1 (vLLM: http://host:8000/v1). */
  PERSONAACT_POLICY_BASE_URL: HttpUrlSchema.optional(),
  /** Model name the server knows (vLLM: the served LoRA adapter's name). */
  PERSONAACT_POLICY_MODEL: z.string().min(1).optional(),
  /** Local servers accept any key; the client needs one. */
  PERSONAACT_POLICY_API_KEY: z.string().min(1).default('not-needed'),
  /** Per request. Model policies run as regular activities (10 minutes), so a slow server fits. */
  PERSONAACT_POLICY_TIMEOUT_MS: positiveInt.default(60_000),
  /** Transport retries (connection errors, 429, 5xx) inside one request, with backoff. */
  PERSONAACT_POLICY_HTTP_RETRIES: z.coerce.number().int().nonnegative().default(2),
  /** Asks per decision: an unparseable answer is asked again, with the parse error. */
  PERSONAACT_POLICY_MAX_ATTEMPTS: positiveInt.max(10).default(3),
  PERSONAACT_POLICY_MAX_TOKENS: positiveInt.default(256),
  PERSONAACT_POLICY_TEMPERATURE: z.coerce.number().min(0).max(2).optional(),
  /** SageMaker real-time endpoint serving the model (HF TGI / LMI container, messages API). */
  PERSONAACT_SAGEMAKER_ENDPOINT: z.string().min(1).optional(),
  /** Region of the endpoint; the AWS SDK's own chain (AWS_REGION, profile) when unset. */
  PERSONAACT_SAGEMAKER_REGION: z.string().min(1).optional(),
};

export const PolicyEnvSchema = z.object(PolicyEnvShape);
export type PolicyConfig = z.output<typeof PolicyEnvSchema>;

/** For callers that are not workers (the eval command): parse just the policy variables. */
export function loadPolicyConfig(env: Record<string, string | undefined>): PolicyConfig {
  const parsed = PolicyEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(formatZodError(parsed.error, 'policy environment'));
  return parsed.data;
}

/** The value of a variable a policy cannot work without, or an error naming it. */
export function requireSetting<K extends keyof PolicyConfig>(config: PolicyConfig, key: K, policy: string): NonNullable<PolicyConfig[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new Error(`policy "${policy}" needs ${String(key)} to be set`);
  return value as NonNullable<PolicyConfig[K]>;
}
