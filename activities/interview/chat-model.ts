/**
 * The chat-model interviewer: an OpenAI-compatible server (vLLM, Ollama, OpenAI…) through the
 * official `openai` client writes the next question and, at the end, the narrative and key traits.
 * It only writes prose: the facts it may cite come from the question bank's data-driven facts, and
 * the persona's numbers come from the logs (core/persona-synthesis personaFacts), never from it.
 *
 * Every reply is checked before use — JSON of the asked shape, a question that cites behaviour
 * (has a number), asks for no name, address or contact (core/interview-guard), and repeats no
 * earlier question; a narrative without numbers — and a failed check is put back to the model with
 * the reason, up to `maxAttempts` asks. Transport failures and timeouts are retried by the client
 * (`httpRetries`). What still fails comes back as `{ failure }`; the caller falls back to the bank.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import { HttpUrlSchema } from '../../core/primitives';
import type { InterviewSection, InterviewTranscript, InterviewTurn } from '../../core/interview';
import { bannedTopicOf } from '../../core/interview-guard';
import type { PersonaFeatures } from '../../core/persona-features';
import { formatZodError } from '../../core/zod-error';
import { behaviourFacts } from './question-bank';

const positiveInt = z.coerce.number().int().positive();

/** The worker's interviewer model, from the environment (merged into workers/config.ts). */
export const InterviewModelEnvShape = {
  /** OpenAI-compatible server, up to and including /v1 (vLLM: http://host:8000/v1). */
  PERSONAACT_INTERVIEW_BASE_URL: HttpUrlSchema.optional(),
  PERSONAACT_INTERVIEW_MODEL: z.string().min(1).optional(),
  /** Local servers accept any key; the client needs one. */
  PERSONAACT_INTERVIEW_API_KEY: z.string().min(1).default('not-needed'),
  /** Per request; the bank stands in once it passes (a person is waiting for the question). */
  PERSONAACT_INTERVIEW_TIMEOUT_MS: positiveInt.default(30_000),
  /** Transport retries (connection errors, 429, 5xx) inside one request, with backoff. */
  PERSONAACT_INTERVIEW_HTTP_RETRIES: z.coerce.number().int().nonnegative().default(1),
  /** Asks per question or persona: an unusable reply is asked again, with the reason. */
  PERSONAACT_INTERVIEW_MAX_ATTEMPTS: positiveInt.max(10).default(3),
};
type InterviewModelEnv = z.output<z.ZodObject<typeof InterviewModelEnvShape>>;

export interface ChatModelSettings {
  readonly baseURL: string;
  readonly model: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly httpRetries: number;
  readonly maxAttempts: number;
}

/** The configured model, or undefined when base URL and model are not both set. */
export function chatModelFromEnv(env: InterviewModelEnv): ChatModelSettings | undefined {
  const { PERSONAACT_INTERVIEW_BASE_URL: baseURL, PERSONAACT_INTERVIEW_MODEL: model } = env;
  if (baseURL === undefined && model === undefined) return undefined;
  if (baseURL === undefined || model === undefined) {
    throw new Error('set both PERSONAACT_INTERVIEW_BASE_URL and PERSONAACT_INTERVIEW_MODEL for a chat-model interviewer, or neither');
  }
  return {
    baseURL, model, apiKey: env.PERSONAACT_INTERVIEW_API_KEY, timeoutMs: env.PERSONAACT_INTERVIEW_TIMEOUT_MS,
    httpRetries: env.PERSONAACT_INTERVIEW_HTTP_RETRIES, maxAttempts: env.PERSONAACT_INTERVIEW_MAX_ATTEMPTS,
  };
}

const QuestionReplySchema = z.object({ question: z.string().min(1), cites: z.array(z.string().min(1)).min(1) });
const PersonaReplySchema = z.object({
  narrative: z.string().min(1),
  traits: z.union([z.record(z.string(), z.string()), z.array(z.string().min(1)).min(1)]),
});

export type Written<T> = { value: T } | { failure: string };
type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

const SECTION_TOPICS: Readonly<Record<InterviewSection, string>> = {
  habits: 'when, where and how long the person watches',
  skipping: 'why the person swipes videos away quickly',
  liking: 'what makes the person like a video',
  categories: 'which kinds of content and creators the person seeks or avoids',
  motives: 'mood and motives: why the person watches at all',
  social: 'commenting, sharing, and how other people and popularity matter',
};

const RULES = [
  'You interview a person about their short-video viewing, to understand WHY they behave as their log shows.',
  'Ask exactly one short, open question in English.',
  'Every question must cite a concrete fact from the behaviour facts, with its number (e.g. "You skipped 71% of gaming videos within 3 s — why?").',
  'Never ask for names, addresses, phone numbers, e-mail addresses, social-media handles or any other contact or identifying details.',
  'Never repeat a question already asked.',
  'Reply with JSON only: {"question": "...", "cites": ["the fact(s) you cite"]}.',
].join('\n');

const transcriptText = (turns: readonly InterviewTurn[]) =>
  turns.length === 0 ? '(none yet)' : turns.map((t, i) => `Q${i + 1} [${t.section}]: ${t.question}\nA${i + 1}: ${t.skipped ? '(skipped)' : t.answer}`).join('\n');

/** The first JSON object in a reply (models like to wrap it in ``` fences or prose). */
function jsonOf<T>(content: string, schema: z.ZodType<T>): Written<T> {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end < start) return { failure: 'the reply holds no JSON object' };
  let json: unknown;
  try {
    json = JSON.parse(content.slice(start, end + 1));
  } catch (error) {
    return { failure: `the reply is not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { value: parsed.data } : { failure: formatZodError(parsed.error, 'the reply') };
}

const normalized = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export function questionProblem(question: string, turns: readonly Pick<InterviewTurn, 'question'>[]): string | undefined {
  const banned = bannedTopicOf(question);
  if (banned) return `the question asks for ${banned}, which this interview never does`;
  if (!/\d/.test(question)) return 'the question cites no concrete behaviour (no number from the facts)';
  const repeated = turns.findIndex((t) => normalized(t.question) === normalized(question));
  if (repeated >= 0) return `the question repeats question ${repeated + 1}`;
  return undefined;
}

function narrativeProblem(narrative: string): string | undefined {
  if (/\d/.test(narrative)) return 'the narrative contains numbers; the statistics carry them, the narrative must not';
  if (!/\b(?:I|my|me)\b/.test(narrative)) return 'the narrative is not written in the first person';
  return undefined;
}

export class ChatInterviewer {
  private readonly client: OpenAI;

  constructor(readonly settings: ChatModelSettings) {
    this.client = new OpenAI({ baseURL: settings.baseURL, apiKey: settings.apiKey, timeout: settings.timeoutMs, maxRetries: settings.httpRetries });
  }

  /** Asks until a reply passes `check`, feeding each problem back; any transport failure ends it. */
  private async ask<T>(messages: Message[], schema: z.ZodType<T>, check: (value: T) => string | undefined): Promise<Written<T>> {
    let failure = 'no attempt made';
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt++) {
      let content: string;
      try {
        const completion = await this.client.chat.completions.create({ model: this.settings.model, messages, temperature: 0.7 });
        content = completion.choices[0]?.message.content ?? '';
      } catch (error) {
        return { failure: `chat model ${this.settings.model} failed: ${(error as Error).message}` };
      }
      const parsed = jsonOf(content, schema);
      const problem = 'failure' in parsed ? parsed.failure : check(parsed.value);
      if (problem === undefined && 'value' in parsed) return parsed;
      failure = `attempt ${attempt}: ${problem}`;
      messages.push({ role: 'assistant', content }, { role: 'user', content: `That cannot be used: ${problem}. Write a different one, in the same JSON format.` });
    }
    return { failure: `chat model ${this.settings.model} gave no usable reply in ${this.settings.maxAttempts} attempts (last: ${failure})` };
  }

  nextQuestion(features: PersonaFeatures, section: InterviewSection, turns: readonly InterviewTurn[]): Promise<Written<{ question: string; cites: string[] }>> {
    const facts = behaviourFacts(features).map((fact) => `- ${fact}`).join('\n');
    return this.ask(
      [
        { role: 'system', content: RULES },
        {
          role: 'user',
          content: `Behaviour facts from the log:\n${facts}\n\nInterview so far:\n${transcriptText(turns)}\n\n` +
            `Next section: "${section}" — ${SECTION_TOPICS[section]}. Follow up on the last answer if it was short, vague or opened a new theme.`,
        },
      ],
      QuestionReplySchema,
      (reply) => questionProblem(reply.question, turns),
    );
  }

  writePersona(features: PersonaFeatures, transcript: InterviewTranscript): Promise<Written<z.output<typeof PersonaReplySchema>>> {
    const facts = behaviourFacts(features).map((fact) => `- ${fact}`).join('\n');
    return this.ask(
      [
        {
          role: 'system',
          content: 'You write personas for agents that imitate real short-video viewers. Reply with JSON only: ' +
            '{"narrative": "a first-person description of how and why I watch, 4-8 sentences, with no numbers at all", ' +
            '"traits": {"trait name": "short value", ...}}. Base it on the behaviour facts and the interview answers; ' +
            'include no names, places or contact details.',
        },
        { role: 'user', content: `Behaviour facts:\n${facts}\n\nInterview:\n${transcriptText(transcript.turns)}` },
      ],
      PersonaReplySchema,
      (reply) => narrativeProblem(reply.narrative),
    );
  }
}
