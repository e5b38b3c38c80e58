/** The one prompt of model policies and training datasets: its exact text, and how answers are read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PersonaSchema } from '../../core/persona';
import type { PolicyContext } from '../../core/policy';
import { buildPolicyPrompt, parsePolicyAnswer, policyMessages, PROMPT_HISTORY_STEPS, PROMPT_VERSION } from '../../core/prompt';
import { personaFixture } from './persona-fixture';

const fixture = personaFixture();
const persona = PersonaSchema.parse({
  ...fixture,
  stats: { ...fixture.stats, categoryAffinities: { ...fixture.stats.categoryAffinities, comedy: 0.8, finance: 0.05, 'ads-promotion': 0.02 } },
});
const context: PolicyContext = {
  persona, seed: 's',
  video: { platform: 'douyin', title: 'Dumplings in ten minutes', creator: 'chef-li', level1: ['food'], durationSeconds: 42, tags: ['cooking', 'quick'] },
  history: [
    { level1: ['gaming'], title: 'Speedrun', watchSeconds: 1.1, like: false, comment: false, share: false },
    { level1: [], watchSeconds: 12, like: true, comment: true, share: true },
  ],
  screenshot: { mimeType: 'image/jpeg', base64: 'AAAA' },
};

// A change to this text changes what models are trained and asked on: bump PROMPT_VERSION with it.
const SYSTEM = `Below is your user profile (Persona A); make every decision the way this person would:

I watch cooking videos to the end and swipe past gaming within a second or two.

### Key traits
- content_vs_creator: content first
- novelty_tolerance: low

### Your viewing habits (from 1200 logged videos)
- You leave 30 % of videos within 3 seconds.
- Your median watch time is 6 s: a quarter of videos get less than 2.5 s, a tenth more than 25 s (longest 60 s, mean 9 s).
- You like 6.5 % of videos, comment on 0.3 % and share 1.0 %.
- You seek out most: Food, Comedy, Pets & animals.
- You care least for: Ads & promotion, Finance, Gaming.

You are a user who is happily enjoying short videos. You need to analyze the current video and make an appropriate action decision based on what you see.
First, briefly describe the video content and its category, then respond with a Python code block calling the following functions:
\`\`\`python
watch(second: float = 5.0) # Continue watching the video for this many seconds, then swipe to the next one
like() # Give a like to the video
comment(text: str = "") # Leave a comment on the video
share(who: str = "") # Share/forward the video to someone
not_interested() # Tell the platform you do not want videos like this
\`\`\`
You can call multiple functions in a single code block to perform multiple actions. A quick swipe is a short watch, e.g. watch(1.2).

Response format (required):
Video: [brief description]
Category: [category]-[subcategory]

\`\`\`python
[your action code]
\`\`\``;

const USER = `Your browsing history (most recent last):
1. "Speedrun" [Gaming] → watch(1.1)
2. [unknown] → watch(12), like(), comment(), share()

Below is the video you are currently browsing on douyin:
Title: Dumplings in ten minutes
Creator: chef-li
Category: Food
Length: 42 s
Tags: #cooking #quick
The current screen is attached as an image.`;

test('prompt snapshot: persona, habits in words and numbers, the action format, history and the current video', () => {
  assert.equal(PROMPT_VERSION, 'personaact-prompt/1');
  const prompt = buildPolicyPrompt(context);
  assert.equal(prompt.system, SYSTEM);
  assert.equal(prompt.user, USER);
});

test('messages: the screenshot as an image part after the text; plain text without one', () => {
  const prompt = buildPolicyPrompt(context);
  assert.deepEqual(policyMessages(prompt, context.screenshot), [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: [{ type: 'text', text: USER }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } }] },
  ]);
  const { screenshot: _, ...withoutScreenshot } = context;
  const plain = buildPolicyPrompt(withoutScreenshot);
  assert.deepEqual(policyMessages(plain)[1], { role: 'user', content: USER.replace('\nThe current screen is attached as an image.', '') });
});

test('only the last PROMPT_HISTORY_STEPS steps are shown; an unknown video length is left out', () => {
  const history = Array.from({ length: 15 }, (_, i) => ({ level1: ['food'], title: `v${i}`, watchSeconds: i, like: false, comment: false, share: false }));
  const { user } = buildPolicyPrompt({ ...context, history, video: { ...context.video, durationSeconds: undefined } });
  assert.equal(PROMPT_HISTORY_STEPS, 10);
  assert.match(user, /^Your browsing history \(most recent last\):\n1\. "v5" \[Food\] → watch\(5\)\n/);
  assert.match(user, /\n10\. "v14" \[Food\] → watch\(14\)\n\n/);
  assert.doesNotMatch(user, /Length:/);
});

test('the counterfactual phase prompts the reversed persona', () => {
  const { system } = buildPolicyPrompt({ ...context, reversal: { strategy: 'quantile-flip', engagement: 'suppress' } });
  assert.match(system, /^Below is your user profile \(Persona A \(reversed\)\)/);
  assert.match(system, /I am the counterfactual of Persona A \(persona persona-a\)/);
  assert.match(system, /You like 0\.0 % of videos, comment on 0\.0 % and share 0\.0 %\./);
});

test('answers: the code block (after the description), our decision JSON, and clear errors', () => {
  assert.deepEqual(parsePolicyAnswer('Video: dumplings\nCategory: Food-Home cooking\n\n```python\nwatch(8.2)\nlike()\n```'), { ok: true, decision: { watchSeconds: 8.2, like: true, notInterested: false } });
  assert.deepEqual(parsePolicyAnswer('{"watchSeconds": 3, "comment": "yum"}'), { ok: true, decision: { watchSeconds: 3, like: false, comment: 'yum', notInterested: false } });
  assert.deepEqual(parsePolicyAnswer('Here:\n```json\n{"watchSeconds": 1, "notInterested": true}\n```'), { ok: true, decision: { watchSeconds: 1, like: false, notInterested: true } });
  assert.deepEqual(parsePolicyAnswer('{"watchSeconds": "long"}'), { ok: false, error: 'decision JSON: watchSeconds: expected number, received string' });
  assert.match((parsePolicyAnswer('{"watchSeconds": 3,') as { error: string }).error, /^not valid JSON: /);
  assert.match((parsePolicyAnswer('I would keep watching') as { error: string }).error, /^line 1: unknown action "I"/);
});
