/**
 * The persona interview on a real Temporal dev server with the offline question bank and the
 * paper's users a and b: scripted answers end to end, the answer Update's guards, and an
 * interview that outlives its worker.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { interviewKeys } from '../../activities/interview/activities';
import { InterviewTranscriptSchema, type InterviewProgress, type InterviewTranscript } from '../../core/interview';
import { PersonaSchema } from '../../core/persona';
import { currentQuestionQuery, type PersonaInterviewInput } from '../../workflows/interview';
import { answer, nextQuestion, USER_A_LOGS, USER_B_LOGS, type InterviewHandle } from './interview-harness';
import { startWorkflowStack, type WorkflowStack } from '../helpers/workflow-stack';
import { startInterview } from '../../clients/interview';

let harness: WorkflowStack;

before(async () => {
  harness = await startWorkflowStack();
});

after(async () => {
  await harness?.close();
});

/** Answers that exercise the bank's adaptation: a vague one, themes (boredom, relaxing), plain ones. */
const SCRIPT = [
  'idk',
  'When the first seconds are slow I get bored and swipe right away.',
  'Mostly in the evening after work, to relax before sleeping.',
  'Funny animal clips and short cooking tricks keep me watching.',
  'A like is for something I would want to see again later.',
];
const scripted = (i: number) => SCRIPT[i % SCRIPT.length] as string;

/** Answers every question with `answerFor` until the interview ends; returns the questions shown. */
async function interview(handle: InterviewHandle, answerFor: (i: number) => string): Promise<NonNullable<InterviewProgress['question']>[]> {
  const shown: NonNullable<InterviewProgress['question']>[] = [];
  let progress = await nextQuestion(handle);
  while (progress.question) {
    shown.push(progress.question);
    progress = await answer(handle, { questionId: progress.question.id, answer: answerFor(shown.length - 1) });
  }
  return shown;
}

test('user a: scripted answers run the interview end to end; questions cite behaviour, adapt, never repeat; transcript and persona stored', async (t) => {
  const worker = await harness.startWorker();
  const handle = await startInterview(harness.env.client, 'interview-user-a', { persona: { id: 'user-a', name: 'User A' }, logs: [USER_A_LOGS] });
  const shown = await interview(handle, scripted);
  const result = await handle.result();
  await worker.stop();

  for (const q of shown.slice(0, 3)) t.diagnostic(`${q.id} [${q.section}] ${q.text}  (cites: ${q.cites.join('; ')})`);
  // 3 + 3 + 3 + 1 + 3 + 2: the paper's logs carry no categories or creators, so that section has one question.
  assert.equal(shown.length, 15);
  assert.equal(new Set(shown.map((q) => q.text)).size, shown.length, 'no question repeats');
  assert.deepEqual(shown.map((q) => q.id), shown.map((_, i) => `q${i + 1}`));
  for (const q of shown) {
    assert.match(q.text, /\d/, `cites a number: ${q.text}`);
    assert.ok(q.cites.length > 0, `names what it cites: ${q.text}`);
  }
  assert.match(shown[0]!.text, /8 viewing sessions/, 'user a has 8 sessions');
  assert.ok(shown.some((q) => q.text.includes('6.2%') && q.text.includes('58 of 939')), 'cites the like rate of user a');

  const { transcript, persona } = result;
  assert.equal(transcript.turns.length, shown.length);
  assert.equal(transcript.interviewer, 'question-bank');
  const keys = transcript.turns.map((turn) => turn.key);
  assert.equal(keys[1], 'followup.vague.habits.sessions', '"idk" gets a request for an example');
  assert.deepEqual(keys.slice(3, 5), ['skipping.quick', 'followup.humour'], 'an answer about funny clips is followed up');
  assert.deepEqual(keys.slice(6, 8), ['liking.rate', 'followup.boredom'], 'so is one about boredom');
  assert.equal(keys.filter((key) => key?.startsWith('categories.')).length, 1);
  assert.deepEqual(transcript.turns.map((turn) => turn.answer), shown.map((_, i) => scripted(i)));
  assert.ok(transcript.turns.every((turn) => turn.askedAt && turn.answeredAt && turn.generatedBy === 'question-bank'));

  const stored = InterviewTranscriptSchema.parse(await harness.store.getJson(interviewKeys('interview-user-a').transcript));
  assert.deepEqual(stored, transcript);
  const storedPersona = PersonaSchema.parse(await harness.store.getJson(interviewKeys('interview-user-a').persona));
  assert.deepEqual(storedPersona, persona);
  assert.equal(persona.id, 'user-a');
  assert.equal(persona.stats.steps, 939);
  assert.equal(persona.stats.watchSeconds.p50, 4.95);
  assert.deepEqual(persona.provenance.interview, { interviewId: 'interview-user-a', interviewer: 'question-bank', turns: 15 });
  assert.equal(persona.provenance.model, 'template');
  assert.match(persona.narrative, /Funny animal clips and short cooking tricks keep me watching\./, 'the answers reach the narrative');
  assert.doesNotMatch(persona.narrative, /\d/);
});

test('the answer Update refuses wrong ids, empty answers and contact details; skip and finish end early with a persona', async () => {
  const worker = await harness.startWorker();
  const handle = await startInterview(harness.env.client, 'interview-guards', { persona: { id: 'user-b', name: 'User B' }, logs: [USER_B_LOGS] });
  const first = (await nextQuestion(handle)).question!;
  const refused = async (reply: Parameters<typeof answer>[1], why: RegExp) => {
    await assert.rejects(answer(handle, reply), (error: unknown) => {
      assert.ok(error instanceof WorkflowUpdateFailedError, String(error));
      assert.match(String((error.cause as Error | undefined)?.message), why);
      return true;
    });
  };
  await refused({ questionId: 'q9', answer: 'An answer for another question.' }, /for question q9, but the question waiting is q1/);
  await refused({ questionId: first.id, answer: '   ' }, /answer: the answer is empty/);
  await refused({ questionId: first.id, answer: 'Text me on +44 7700 900123 and I will explain.' }, /contains a phone number/);
  await refused({ questionId: first.id, answer: 'Write to me at viewer@example.org for details.' }, /contains an e-mail address/);
  await refused({ questionId: first.id, answer: 'Follow me, I am @viewer_b everywhere.' }, /contains a social-media handle/);
  assert.deepEqual(await handle.query(currentQuestionQuery), first, 'refused answers leave the question waiting');

  const afterSkip = await answer(handle, { questionId: first.id, skip: true });
  const second = afterSkip.question!;
  assert.notEqual(second.id, first.id);
  assert.equal(afterSkip.skipped, 1);
  const done = await answer(handle, { questionId: second.id, answer: 'I watch on the bus to and from university.', finish: true });
  assert.ok(done.status === 'SYNTHESIZING' || done.status === 'COMPLETED', done.status);
  assert.equal(done.question, null);
  const { transcript, persona } = await handle.result();
  await worker.stop();
  assert.deepEqual(transcript.turns.map((turn) => [turn.answer, turn.skipped ?? false]), [['', true], ['I watch on the bus to and from university.', false]]);
  assert.equal(persona.stats.steps, 780);
  assert.equal(persona.provenance.interview?.turns, 2);
});

test('an interview waits with no activity running, outlives its worker, and completes on a new one', async () => {
  const first = await harness.startWorker();
  const handle = await startInterview(harness.env.client, 'interview-restart', {
    persona: { id: 'user-a', name: 'User A' }, logs: [USER_A_LOGS],
    settings: { sections: [{ name: 'habits', turns: 2 }, { name: 'skipping', turns: 2 }, { name: 'liking', turns: 2 }] },
  });
  const before: string[] = [];
  let progress = await nextQuestion(handle);
  for (let i = 0; i < 3; i++) {
    before.push(progress.question!.text);
    progress = await answer(handle, { questionId: progress.question!.id, answer: `Answer number ${i + 1}, given before the restart.` });
  }
  const waiting = progress.question!;
  const described = await handle.describe();
  assert.equal(described.raw.pendingActivities?.length ?? 0, 0, 'nothing runs while the interview waits');
  const saved = InterviewTranscriptSchema.parse(await harness.store.getJson(interviewKeys('interview-restart').transcript)) as InterviewTranscript;
  assert.equal(saved.turns.length, 3, 'the transcript so far is stored after every answer');

  await first.stop();
  assert.equal((await handle.describe()).status.name, 'RUNNING');
  const second = await harness.startWorker();
  assert.deepEqual(await handle.query(currentQuestionQuery), waiting, 'the new worker shows the same question');
  progress = await answer(handle, { questionId: waiting.id, answer: 'Answer number 4, given after the restart.' });
  while (progress.question) {
    assert.ok(!before.includes(progress.question.text), 'no question asked before the restart comes again');
    progress = await answer(handle, { questionId: progress.question.id, answer: 'A later answer about my habits.' });
  }
  const { transcript } = await handle.result();
  await second.stop();
  assert.equal(transcript.turns.length, 6);
  assert.equal(transcript.turns[3]!.answer, 'Answer number 4, given after the restart.');
});

test('bad input fails the workflow at once, naming the field or the file, before any question', async () => {
  const worker = await harness.startWorker();
  const failure = async (id: string, input: PersonaInterviewInput) => {
    const handle = await startInterview(harness.env.client, id, input);
    const error = await handle.result().then(() => assert.fail('the interview should fail'), (e: unknown) => e);
    assert.ok(error instanceof WorkflowFailedError, String(error));
    // The chain of causes: the workflow's own failure, or the activity's under "Activity task failed".
    const messages: string[] = [];
    for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
    return messages.join(' ← ');
  };
  assert.match(await failure('interview-bad-id', { persona: { id: 'User A', name: 'User A' }, logs: [USER_A_LOGS] }), /interview input: persona\.id: expected a lowercase slug/);
  const missing = `${USER_A_LOGS}-missing`;
  assert.match(await failure('interview-bad-logs', { persona: { id: 'user-a', name: 'User A' }, logs: [missing] }), new RegExp(`${missing}: no such file or folder`));
  assert.equal(await harness.store.getJson(interviewKeys('interview-bad-logs').log), undefined, 'nothing stored');
  await worker.stop();
});
