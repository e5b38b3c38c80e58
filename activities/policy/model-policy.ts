/**
 * What every model policy shares, whatever carries the request (an OpenAI-compatible server, a
 * SageMaker endpoint): the prompt from core/prompt, bounded re-asks on unreadable answers (the
 * parse error is said back to the model), and every attempt kept as a raw exchange — with the
 * screenshot's base64 replaced by its hash, so stored exchanges stay small.
 */
import { createHash } from 'node:crypto';
import type { Policy, PolicyExchange } from '../../core/policy';
import { buildPolicyPrompt, parsePolicyAnswer, policyMessages, repairMessage, type PromptMessage } from '../../core/prompt';
import { createRng } from '../../core/rng';

/** Request seeds are non-negative 31-bit integers (what the OpenAI API and vLLM accept). */
const SEED_RANGE = 2 ** 31;

/** One round trip: the request as sent, the raw response, and the answer's text. */
export interface Completion {
  request: unknown;
  response: unknown;
  text: string;
}

export interface CompletionOptions {
  /** Sampling seed derived from the step's seed: a server that honours it answers a replayed step alike. */
  seed: number;
  signal?: AbortSignal;
}

export interface ChatTransport {
  complete(messages: PromptMessage[], options: CompletionOptions): Promise<Completion>;
}

/** A model policy gave up; `exchanges` holds every attempt, for the record. */
export class PolicyError extends Error {
  constructor(message: string, readonly exchanges: readonly PolicyExchange[]) {
    super(message);
    this.name = 'PolicyError';
  }
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** Replaces every image data URL in `value` with "sha256:<hash> (<mime>, <bytes> bytes)". */
export function redactImages(value: unknown): unknown {
  if (typeof value === 'string') {
    const match = DATA_URL.exec(value);
    if (!match) return value;
    const bytes = Buffer.from(match[2] as string, 'base64');
    return `sha256:${createHash('sha256').update(bytes).digest('hex')} (${match[1]}, ${bytes.length} bytes)`;
  }
  if (Array.isArray(value)) return value.map(redactImages);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactImages(v)]));
  return value;
}

export function modelPolicy(name: string, transport: ChatTransport, maxAttempts: number): Policy {
  return {
    name,
    async decide(context) {
      const messages = policyMessages(buildPolicyPrompt(context), context.screenshot);
      const exchanges: PolicyExchange[] = [];
      const seed = createRng(context.seed).int(SEED_RANGE);
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        let completion: Completion;
        try {
          completion = await transport.complete([...messages], { seed, ...(context.signal ? { signal: context.signal } : {}) });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          exchanges.push({ request: redactImages({ messages: [...messages] }), response: null, attempt, error: message });
          throw new PolicyError(`${name}: the model call failed: ${message}`, exchanges);
        }
        const answer = parsePolicyAnswer(completion.text);
        const exchange = { request: redactImages(completion.request), response: completion.response, attempt };
        if (answer.ok) {
          exchanges.push(exchange);
          return { decision: answer.decision, exchanges };
        }
        exchanges.push({ ...exchange, error: answer.error });
        messages.push({ role: 'assistant', content: completion.text }, { role: 'user', content: repairMessage(answer.error) });
      }
      throw new PolicyError(`${name}: no readable decision after ${maxAttempts} attempts; last error: ${exchanges.at(-1)?.error}`, exchanges);
    },
  };
}
