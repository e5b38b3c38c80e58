/**
 * sagemaker-endpoint: the same prompt through InvokeEndpoint on a SageMaker real-time endpoint.
 * The body is an OpenAI-style chat request ({messages, max_tokens, seed, temperature}), which the
 * Hugging Face TGI and the LMI (vLLM) containers accept on /invocations and answer with a chat
 * completion ({choices: [{message: {content}}]}); image parts go as data URLs, as to vLLM.
 * The SDK retries throttling and 5xx itself; unreadable answers are re-asked by modelPolicy.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Policy } from '../../core/policy';
import { requireSetting, type PolicyConfig } from './config';
import { SAGEMAKER_POLICY } from '../../core/policy-names';
import { modelPolicy, type ChatTransport } from './model-policy';

/** The text of a chat completion, or an error saying what the endpoint sent instead. */
function completionText(response: unknown): string {
  const content = (response as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new Error(`the endpoint's answer is not a chat completion (no choices[0].message.content): ${JSON.stringify(response).slice(0, 200)}`);
  return content;
}

export function sagemakerTransport(config: PolicyConfig, client?: SageMakerRuntimeClient): ChatTransport {
  const endpoint = requireSetting(config, 'PERSONAACT_SAGEMAKER_ENDPOINT', SAGEMAKER_POLICY);
  const runtime = client ?? new SageMakerRuntimeClient({
    ...(config.PERSONAACT_SAGEMAKER_REGION ? { region: config.PERSONAACT_SAGEMAKER_REGION } : {}),
    maxAttempts: config.PERSONAACT_POLICY_HTTP_RETRIES + 1,
  });
  return {
    async complete(messages, { seed, signal }) {
      const request = {
        messages,
        max_tokens: config.PERSONAACT_POLICY_MAX_TOKENS,
        seed,
        ...(config.PERSONAACT_POLICY_TEMPERATURE !== undefined ? { temperature: config.PERSONAACT_POLICY_TEMPERATURE } : {}),
      };
      const timeout = AbortSignal.timeout(config.PERSONAACT_POLICY_TIMEOUT_MS);
      const output = await runtime.send(
        new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: 'application/json', Accept: 'application/json', Body: JSON.stringify(request) }),
        { abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout },
      );
      const body = new TextDecoder().decode(output.Body);
      let response: unknown;
      try {
        response = JSON.parse(body);
      } catch {
        throw new Error(`the endpoint's answer is not JSON: ${body.slice(0, 200)}`);
      }
      return { request: { endpoint, body: request }, response, text: completionText(response) };
    },
  };
}

export function createSagemakerPolicy(config: PolicyConfig, client?: SageMakerRuntimeClient): Policy {
  return modelPolicy(SAGEMAKER_POLICY, sagemakerTransport(config, client), config.PERSONAACT_POLICY_MAX_ATTEMPTS);
}
