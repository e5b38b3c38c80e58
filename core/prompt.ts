/**
 * THE prompt and answer format of every model policy, and of the training dataset built for them:
 * serving (openai-compatible, sagemaker-endpoint) and training (the dataset exporter) import this
 * one module, so the text a model learns on is the text it is asked with. Change the wording only
 * with a new PROMPT_VERSION.
 *
 * Follows the paper's released prompt (github.com/Silung/PersonaAct, prompts.py, get_user_prompt):
 * the persona's profile text and key traits, "a user who is happily enjoying short videos", the
 * four Python functions with their signatures, "first describe the video and its category, then a
 * Python code block", the browsing history as action code, then the current video. Differences: the
 * persona's logged statistics are spelled out (words and numbers), history and the current video
 * are described in text (title, creator, categories, length), since audits do not keep a frame per
 * history step; not_interested() is offered, the platform's explicit negative-feedback control.
 */
import { DecisionSchema, parseActionBlock, type Decision } from './decision';
import type { Persona } from './persona';
import type { PolicyContext, PolicyHistoryEntry, PolicyImage, PolicyVideo } from './policy';
import { reversePersona } from './reversal';
import { level1 } from './taxonomy';
import { formatZodError } from './zod-error';

export const PROMPT_VERSION = 'personaact-prompt/1';
/** History steps the prompt shows (most recent last); the paper's history is a few steps too. */
export const PROMPT_HISTORY_STEPS = 10;
/** Categories named as most and least sought. */
const CATEGORIES_NAMED = 3;

export interface PolicyPrompt {
  readonly system: string;
  readonly user: string;
}

/** Whole percents from 10 % up; one decimal below, where 6.5 % and 7 % differ by a fifth. */
const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} %`;
const seconds = (s: number) => `${Number(s.toFixed(1))} s`;
const categoryName = (slug: string) => level1(slug)?.en ?? slug;

function traitLines(traits: Persona['traits']): string[] {
  return Array.isArray(traits) ? traits.map((t) => `- ${t}`) : Object.entries(traits).map(([name, value]) => `- ${name}: ${value}`);
}

function habitLines({ stats }: Persona): string[] {
  const ws = stats.watchSeconds;
  const ranked = Object.entries(stats.categoryAffinities).sort(([, a], [, b]) => b - a);
  const lines = [
    `- You leave ${percent(stats.quickSkipRate)} of videos within 3 seconds.`,
    `- Your median watch time is ${seconds(ws.p50)}: a quarter of videos get less than ${seconds(ws.p25)}, a tenth more than ${seconds(ws.p90)} (longest ${seconds(ws.max)}, mean ${seconds(ws.mean)}).`,
    `- You like ${percent(stats.likeRate)} of videos, comment on ${percent(stats.commentRate)} and share ${percent(stats.shareRate)}.`,
  ];
  if (ranked.length >= 2 * CATEGORIES_NAMED) {
    lines.push(
      `- You seek out most: ${ranked.slice(0, CATEGORIES_NAMED).map(([slug]) => categoryName(slug)).join(', ')}.`,
      `- You care least for: ${ranked.slice(-CATEGORIES_NAMED).reverse().map(([slug]) => categoryName(slug)).join(', ')}.`,
    );
  }
  return lines;
}

const ACTION_FORMAT = [
  'First, briefly describe the video content and its category, then respond with a Python code block calling the following functions:',
  '```python',
  'watch(second: float = 5.0) # Continue watching the video for this many seconds, then swipe to the next one',
  'like() # Give a like to the video',
  'comment(text: str = "") # Leave a comment on the video',
  'share(who: str = "") # Share/forward the video to someone',
  'not_interested() # Tell the platform you do not want videos like this',
  '```',
  'You can call multiple functions in a single code block to perform multiple actions. A quick swipe is a short watch, e.g. watch(1.2).',
  '',
  'Response format (required):',
  'Video: [brief description]',
  'Category: [category]-[subcategory]',
  '',
  '```python',
  '[your action code]',
  '```',
].join('\n');

function systemText(persona: Persona): string {
  return [
    `Below is your user profile (${persona.name}); make every decision the way this person would:`,
    '',
    persona.narrative,
    '',
    '### Key traits',
    ...traitLines(persona.traits),
    '',
    `### Your viewing habits (from ${persona.stats.steps > 0 ? `${persona.stats.steps} logged videos` : 'your profile'})`,
    ...habitLines(persona),
    '',
    'You are a user who is happily enjoying short videos. You need to analyze the current video and make an appropriate action decision based on what you see.',
    ACTION_FORMAT,
  ].join('\n');
}

const categoriesOf = (slugs: readonly string[]) => (slugs.length > 0 ? slugs.map(categoryName).join(', ') : 'unknown');

/** One history step as the paper writes it: the video, then its action code on one line. */
function historyLine(entry: PolicyHistoryEntry, n: number): string {
  const calls = [`watch(${entry.watchSeconds})`];
  if (entry.like) calls.push('like()');
  if (entry.comment) calls.push('comment()');
  if (entry.share) calls.push('share()');
  const title = entry.title ? `"${entry.title}" ` : '';
  return `${n}. ${title}[${categoriesOf(entry.level1)}] → ${calls.join(', ')}`;
}

function videoLines(video: PolicyVideo): string[] {
  return [
    `Title: ${video.title || '(none)'}`,
    `Creator: ${video.creator || '(unknown)'}`,
    `Category: ${categoriesOf(video.level1)}`,
    ...(video.durationSeconds !== undefined ? [`Length: ${seconds(video.durationSeconds)}`] : []),
    ...(video.tags && video.tags.length > 0 ? [`Tags: ${video.tags.map((t) => `#${t}`).join(' ')}`] : []),
  ];
}

/**
 * The prompt for one decision. In the counterfactual phase (`context.reversal`) the model plays
 * p', the reversed persona (core/reversal), just as persona-stat does.
 */
export function buildPolicyPrompt(context: PolicyContext): PolicyPrompt {
  const persona = context.reversal ? reversePersona(context.persona, context.reversal) : context.persona;
  const history = context.history.slice(-PROMPT_HISTORY_STEPS);
  const user = [
    ...(history.length > 0 ? ['Your browsing history (most recent last):', ...history.map((entry, i) => historyLine(entry, i + 1)), ''] : []),
    `Below is the video you are currently browsing on ${context.video.platform}:`,
    ...videoLines(context.video),
    ...(context.screenshot ? ['The current screen is attached as an image.'] : []),
  ].join('\n');
  return { system: systemText(persona), user };
}

/** OpenAI-style chat messages (what vLLM, llama.cpp, TGI and the SageMaker LMI containers accept). */
export type PromptContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
export type PromptMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | PromptContentPart[] }
  | { role: 'assistant'; content: string };

/** System and user messages; the screenshot, when there is one, as an image part (data URL) after the text. */
export function policyMessages(prompt: PolicyPrompt, screenshot?: PolicyImage): PromptMessage[] {
  const user: PromptMessage = screenshot
    ? { role: 'user', content: [{ type: 'text', text: prompt.user }, { type: 'image_url', image_url: { url: `data:${screenshot.mimeType};base64,${screenshot.base64}` } }] }
    : { role: 'user', content: prompt.user };
  return [{ role: 'system', content: prompt.system }, user];
}

/** What is said back to a model whose answer could not be read, before it is asked again. */
export function repairMessage(error: string): string {
  return `Your answer could not be read (${error}). Answer again in the required format: "Video:" and "Category:" lines, then one \`\`\`python code block with watch(...) and any other calls.`;
}

export type PolicyAnswer = { ok: true; decision: Decision } | { ok: false; error: string };

/** The JSON object of an answer that is one (bare or in a ```json block); undefined when it is not JSON. */
function jsonCandidate(text: string): string | undefined {
  const fenced = /```json\s*\n([\s\S]*?)```/.exec(text);
  if (fenced) return fenced[1];
  const trimmed = text.trim();
  return trimmed.startsWith('{') ? trimmed : undefined;
}

/** Reads a model's answer: our decision JSON (DecisionSchema) or the paper's code-block format. */
export function parsePolicyAnswer(text: string): PolicyAnswer {
  const json = jsonCandidate(text);
  if (json === undefined) return parseActionBlock(text);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  const decision = DecisionSchema.safeParse(value);
  return decision.success ? { ok: true, decision: decision.data } : { ok: false, error: formatZodError(decision.error, 'decision JSON') };
}
