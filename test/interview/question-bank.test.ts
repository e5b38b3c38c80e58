/**
 * The offline question bank on the paper's users a and b and on a categorised log: every question
 * cites behaviour, passes the privacy guard, and never repeats; follow-ups come from the answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { behaviourFacts, nextBankQuestion, sectionQuestions } from '../../activities/interview/question-bank';
import { importLogs } from '../../behaviour-logs/import-logs';
import type { BehaviourLog, LogStep } from '../../core/behaviour-log';
import { INTERVIEW_SECTIONS, type InterviewTurn } from '../../core/interview';
import { bannedTopicOf } from '../../core/interview-guard';
import { extractFeatures, type PersonaFeatures } from '../../core/persona-features';
import { REPO_ROOT } from '../infra/helpers';

const paperUser = async (user: string) => extractFeatures(await importLogs([path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', user)]));

/** Walks every section to its budget (or until the bank runs dry) with `answerFor`. */
function walk(features: PersonaFeatures, answerFor: (i: number) => string, budget = 4): InterviewTurn[] {
  const turns: InterviewTurn[] = [];
  for (const section of INTERVIEW_SECTIONS) {
    for (let i = 0; i < budget; i++) {
      const q = nextBankQuestion(features, section, turns);
      if (!q) break;
      turns.push({ section, question: q.text, cites: [...q.cites], key: q.key, answer: answerFor(turns.length) });
    }
  }
  return turns;
}

const MIXED = ['no idea', 'I get bored when the intro is slow and then I swipe away.', 'I send the funny ones to friends in our group chat.', 'Mostly cooking tricks, because they are useful for dinner.'];

for (const user of ['a', 'b']) {
  test(`user ${user}: every question cites a number, passes the guard, and none repeats`, async () => {
    const features = await paperUser(user);
    for (const answers of [MIXED, ['A long and thoughtful answer about my habits.']]) {
      const turns = walk(features, (i) => answers[i % answers.length]!);
      assert.ok(turns.length >= 12, `${turns.length} questions`);
      for (const turn of turns) {
        assert.match(turn.question, /\d/, turn.question);
        assert.ok(turn.cites.length > 0 && turn.cites.every((c) => /\d/.test(c)), `cites numbers: ${turn.cites.join('; ')}`);
        assert.equal(bannedTopicOf(turn.question), undefined, turn.question);
      }
      assert.equal(new Set(turns.map((t) => t.question)).size, turns.length);
      assert.equal(new Set(turns.map((t) => t.key)).size, turns.length);
    }
    assert.ok(behaviourFacts(features).length >= 10);
  });
}

test('follow-ups: a vague answer gets a request for an example, a theme is followed up once, a follow-up is not followed up', async () => {
  const features = await paperUser('a');
  const first = nextBankQuestion(features, 'skipping', [])!;
  assert.equal(first.key, 'skipping.quick');
  assert.match(first.text, /You left 28% of all videos within 3 s/);
  const turn = (q: typeof first, answer: string): InterviewTurn => ({ section: q.section, question: q.text, cites: [...q.cites], key: q.key, answer });

  const vague = nextBankQuestion(features, 'skipping', [turn(first, 'dunno')])!;
  assert.equal(vague.key, 'followup.vague.skipping.quick');
  assert.match(vague.text, /quick-skip rate 28%/, 'the follow-up cites what the question cited');
  const afterVague = nextBankQuestion(features, 'skipping', [turn(first, 'dunno'), turn(vague, 'idk')])!;
  assert.equal(afterVague.key, 'skipping.spread', 'no follow-up of a follow-up');

  const bored = nextBankQuestion(features, 'skipping', [turn(first, 'Slow starts bore me, so I am gone quickly.')])!;
  assert.equal(bored.key, 'followup.boredom');
  const liking = nextBankQuestion(features, 'liking', [turn(first, 'Slow starts bore me.'), turn(bored, 'Talking heads.')])!;
  assert.equal(liking.key, 'liking.rate', 'a follow-up stays in its section');
  const again = nextBankQuestion(features, 'liking', [turn(first, 'x'), turn(bored, 'y'), turn(liking, 'When it is boring I never like it, obviously.')])!;
  assert.notEqual(again.key, 'followup.boredom', 'each theme once per interview');
});

function categorisedLog(): BehaviourLog {
  const steps: LogStep[] = [];
  const add = (level1: string, watchSeconds: number, creator: string, like = false) => {
    const i = steps.length;
    steps.push({
      sessionId: `s${Math.floor(i / 20)}`, time: new Date(Date.UTC(2025, 10, 1, 20, 0, i * 10)).toISOString().replace('Z', '+00:00'),
      platform: 'tiktok', watchSeconds, actions: like ? [{ type: 'like' }] : [], level1: [level1], creator,
    });
  };
  for (let i = 0; i < 20; i++) add('gaming', 1 + (i % 2) * 0.5, `gamer-${i % 7}`);
  for (let i = 0; i < 15; i++) add('food', 25 + i, `cook-${i % 4}`, i % 3 === 0);
  for (let i = 0; i < 10; i++) add('entertainment', 6, `host-${i % 2}`);
  return { schemaVersion: 1, user: 'c', sources: ['synthetic'], steps };
}

test('a categorised log: questions about the categories skipped, liked and watched longest, and about creators', () => {
  const features = extractFeatures(categorisedLog());
  const texts = (section: (typeof INTERVIEW_SECTIONS)[number]) => Object.fromEntries(sectionQuestions(features, section).map((q) => [q.key, q.text]));
  assert.equal(texts('skipping')['skipping.category'], 'You skipped 100% of gaming videos within 3 s, more than the 44% you skip overall. Why do they lose you so fast?');
  assert.match(texts('liking')['liking.category']!, /^You liked 33% of the food videos you saw, more than any other kind/);
  assert.match(texts('liking')['liking.creators']!, /^Your likes went to 4 different creators, 2 of them to a single creator/);
  const categories = texts('categories');
  assert.match(categories['categories.top']!, /^Gaming makes up 44% of what you watched, followed by food \(33%\)/);
  assert.match(categories['categories.longest']!, /^You stay longer on food videos than on others \(median 32 s against 6 s overall\)/);
  assert.match(categories['categories.creators']!, /of your videos came from your 5 most-watched creators, out of 13/);
  assert.equal(categories['categories.unknown'], undefined, 'asked only when the log has no categories');
});
