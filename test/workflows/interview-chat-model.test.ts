/**
 * The chat-model interviewer through the official `openai` client against a local
 * OpenAI-compatible server (node:http, scripted /v1/chat/completions replies), on a real Temporal
 * dev server: a question asking for a phone number is refused and rewritten, a failing request
 * falls back to the question bank (recorded in the transcript), and the model's narrative is used
 * while every number comes from the logs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatModelSettings } from '../../activities/interview/chat-model';
import { answer, nextQuestion, USER_A_LOGS } from './interview-harness';
import { startWorkflowStack, type WorkflowStack } from '../helpers/workflow-stack';
import { startInterview } from '../../clients/interview';

const MODEL = 'scripted-interviewer';

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}
type Reply = { status: number; body: unknown } | { content: string } | { hang: true };

let harness: WorkflowStack;
let server: Server;
let settings: ChatModelSettings;
const requests: ChatRequest[] = [];
/** Replies to question requests, in order; persona requests get `personaReply`. */
const questionReplies: Reply[] = [];
let personaReply: Reply;

const completion = (content: string) => ({
  id: `chatcmpl-${requests.length}`, object: 'chat.completion', created: 0, model: MODEL,
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const request = JSON.parse(body) as ChatRequest;
      requests.push(request);
      const forPersona = request.messages[0]?.content.startsWith('You write personas');
      const reply = forPersona ? personaReply : questionReplies.shift() ?? { status: 500, body: { error: { message: 'script exhausted' } } };
      if ('hang' in reply) return; // never answers: the client's timeout has to end it
      const [status, payload] = 'content' in reply ? [200, completion(reply.content)] : [reply.status, reply.body];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  settings = { baseURL: `http://127.0.0.1:${port}/v1`, model: MODEL, apiKey: 'test', timeoutMs: 5_000, httpRetries: 0, maxAttempts: 3 };
  harness = await startWorkflowStack();
});

after(async () => {
  await harness?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const question = (text: string, cites: string[]) => ({ content: `\`\`\`json\n${JSON.stringify({ question: text, cites })}\n\`\`\`` });

test('questions and narrative from the chat model; a banned question is rewritten, a failure falls back to the bank', async () => {
  questionReplies.push(
    question('You watched 939 videos. What is your phone number, so we can follow up?', ['939 videos']),
    question('You watched 939 videos, most of them in the evening. What does a typical evening of scrolling look like?', ['939 videos']),
    { status: 500, body: { error: { message: 'model overloaded' } } },
    question('You watched 939 videos, most of them in the evening. What does a typical evening of scrolling look like?', ['939 videos']),
    question('Seems you like few videos. Why?', ['likes']),
    question('You liked 6.2% of the videos. What makes one worth a like?', ['like rate 6.2%']),
  );
  personaReply = { content: JSON.stringify({ narrative: 'I scroll in the evening to switch off, and I swipe fast when a video starts slowly.', traits: { mood: 'winding down', pace: 'impatient' } }) };
  const worker = await harness.startWorker({ interviewModel: settings });
  const handle = await startInterview(harness.env.client, 'interview-chat', {
    persona: { id: 'user-a', name: 'User A' }, logs: [USER_A_LOGS],
    settings: { interviewer: 'chat-model', sections: [{ name: 'habits', turns: 2 }, { name: 'liking', turns: 1 }] },
  });
  const shown: string[] = [];
  let progress = await nextQuestion(handle);
  while (progress.question) {
    shown.push(progress.question.text);
    progress = await answer(handle, { questionId: progress.question.id, answer: 'I watch after dinner to switch off from the day.' });
  }
  const { transcript, persona } = await handle.result();
  await worker.stop();

  assert.equal(transcript.interviewer, MODEL);
  const [first, second, third] = transcript.turns;
  assert.equal(first?.question, 'You watched 939 videos, most of them in the evening. What does a typical evening of scrolling look like?');
  assert.equal(first?.generatedBy, MODEL);
  const rewrite = requests[1]!.messages.at(-1)!.content;
  assert.match(rewrite, /asks for contact details/, 'the refusal reason goes back to the model');

  assert.equal(second?.generatedBy, 'question-bank', 'the failed request falls back to the bank');
  assert.equal(second?.key, 'habits.sessions');
  assert.match(second?.fallback ?? '', /chat model scripted-interviewer failed: 500/);

  // The model first repeats question 1, then cites no number, then writes a usable question.
  assert.equal(third?.question, 'You liked 6.2% of the videos. What makes one worth a like?');
  assert.equal(third?.generatedBy, MODEL);
  assert.match(requests[4]!.messages.at(-1)!.content, /repeats question 1/);
  assert.match(requests[5]!.messages.at(-1)!.content, /cites no concrete behaviour/);
  assert.ok(shown.every((text) => !/phone/i.test(text)), 'the banned question was never shown');

  assert.equal(persona.narrative, 'I scroll in the evening to switch off, and I swipe fast when a video starts slowly.');
  assert.deepEqual(persona.traits, { mood: 'winding down', pace: 'impatient' });
  assert.equal(persona.provenance.model, MODEL);
  assert.equal(persona.stats.steps, 939, 'numbers come from the logs, not the model');
  assert.equal(persona.stats.likeRate, 0.0618);
});

test('a narrative with numbers is refused each time; the template writes the persona and says why', async () => {
  questionReplies.push(question('You watched 939 videos. When do you usually start?', ['939 videos']));
  personaReply = { content: JSON.stringify({ narrative: 'I like 6% of videos.', traits: ['impatient'] }) };
  const worker = await harness.startWorker({ interviewModel: settings });
  const handle = await startInterview(harness.env.client, 'interview-chat-template', {
    persona: { id: 'user-a', name: 'User A' }, logs: [USER_A_LOGS],
    settings: { interviewer: 'chat-model', sections: [{ name: 'habits', turns: 1 }] },
  });
  const progress = await nextQuestion(handle);
  await answer(handle, { questionId: progress.question!.id, answer: 'Right after dinner, usually on the sofa.' });
  const { persona } = await handle.result();
  await worker.stop();
  assert.equal(persona.provenance.model, 'template');
  assert.match(String(persona.provenance.notes), /3 attempts .*narrative contains numbers/);
  assert.doesNotMatch(persona.narrative, /\d/);
});

test('a model that does not answer in time: the bank asks, and the transcript says the request timed out', async () => {
  questionReplies.push({ hang: true });
  personaReply = { content: JSON.stringify({ narrative: 'I watch in the evening.', traits: ['calm'] }) };
  const worker = await harness.startWorker({ interviewModel: { ...settings, timeoutMs: 500 } });
  const handle = await startInterview(harness.env.client, 'interview-chat-timeout', {
    persona: { id: 'user-a', name: 'User A' }, logs: [USER_A_LOGS],
    settings: { interviewer: 'chat-model', sections: [{ name: 'skipping', turns: 1 }] },
  });
  const progress = await nextQuestion(handle);
  assert.match(progress.question!.text, /^You left 28% of all videos within 3 s/);
  await answer(handle, { questionId: progress.question!.id, answer: 'Slow intros, mostly.' });
  const { transcript } = await handle.result();
  await worker.stop();
  assert.equal(transcript.turns[0]?.generatedBy, 'question-bank');
  assert.match(transcript.turns[0]?.fallback ?? '', /failed: Request timed out/);
});
