/**
 * openai-compatible: chat completions through the official `openai` client against any
 * OpenAI-compatible server — vLLM serving Qwen2.5-VL with a LoRA adapter (the adapter's name is
 * the model), llama.cpp's server, a hosted API. Timeouts: the client's per-request timeout, and
 * the caller's AbortSignal (activity cancellation). Transport failures (connection, 429, 5xx) are
 * retried by the client; unreadable answers by modelPolicy.
 */
import OpenAI from 'openai';
import type { Policy } from '../../core/policy';
import type { PromptMessage } from '../../core/prompt';
import { requireSetting, type PolicyConfig } from './config';
import { OPENAI_POLICY } from '../../core/policy-names';
import { modelPolicy, type ChatTransport } from './model-policy';

export function openAiTransport(config: PolicyConfig): ChatTransport {
  const client = new OpenAI({
    baseURL: requireSetting(config, 'PERSONAACT_POLICY_BASE_URL', OPENAI_POLICY),
    apiKey: config.PERSONAACT_POLICY_API_KEY,
    timeout: config.PERSONAACT_POLICY_TIMEOUT_MS,
    maxRetries: config.PERSONAACT_POLICY_HTTP_RETRIES,
  });
  const model = requireSetting(config, 'PERSONAACT_POLICY_MODEL', OPENAI_POLICY);
  return {
    async complete(messages: PromptMessage[], { seed, signal }) {
      const request = {
        model,
        messages,
        max_tokens: config.PERSONAACT_POLICY_MAX_TOKENS,
        seed,
        ...(config.PERSONAACT_POLICY_TEMPERATURE !== undefined ? { temperature: config.PERSONAACT_POLICY_TEMPERATURE } : {}),
      };
      const response = await client.chat.completions.create(request, signal ? { signal } : {});
      return { request, response, text: response.choices[0]?.message.content ?? '' };
    },
  };
}

export function createOpenAiPolicy(config: PolicyConfig): Policy {
  return modelPolicy(OPENAI_POLICY, openAiTransport(config), config.PERSONAACT_POLICY_MAX_ATTEMPTS);
}
