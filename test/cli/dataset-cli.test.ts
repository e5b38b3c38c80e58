/**
 * `personaact dataset build` as a user runs it (the real CLI in a subprocess) on the paper's users
 * a and b: the session split, the sample counts, the files the trainer reads; frames; and bad
 * inputs, which fail with a message naming the problem and write nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetBuildResult } from '../../cli/training/dataset-build';
import { parseActionBlock } from '../../core/decision';
import { importLogs } from '../../behaviour-logs/import-logs';
import { sessionsOf, type LogStep } from '../../core/behaviour-log';
import { reverseWatchSeconds } from '../../core/reversal';
import { DatasetManifestSchema } from '../../core/training';
import { trainingPersona } from '../../core/training-persona';
import { BIN, REPO_ROOT, run, type RunResult } from '../infra/helpers';

const LOGS = (user: 'a' | 'b') => join(REPO_ROOT, 'data', 'personaact', 'raw_data', user);
const PERSONA = (user: 'a' | 'b') => join(REPO_ROOT, 'examples', 'personas', `user-${user}.json`);

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-dataset-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const dataset = (...args: string[]): Promise<RunResult> => run(process.execPath, [BIN, 'dataset', 'build', ...args], { cwd: dir, timeoutMs: 120_000 });

/** Without --persona: the persona is built from the training sessions. */
async function build(user: 'a' | 'b', out: string, ...extra: string[]): Promise<DatasetBuildResult> {
  const result = await dataset('--logs', LOGS(user), '--out', out, '--json', ...extra);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as DatasetBuildResult;
}

const jsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

// Hand-checked from the session files: user a's last session (2025-12-11) alone holds 469 of 939
// steps; the one before it (2025-12-03 23:06) 186. User b's last session holds 94 of 780 (≥ 78),
// the two before it 48 + 80.
const EXPECTED = {
  a: { splits: { train: 284, validation: 186, test: 469 }, validation: ['20251203_230614'], test: ['20251211_204126'], trainSessions: 6 },
  b: { splits: { train: 558, validation: 128, test: 94 }, validation: ['20251201_110423', '20251201_114843'], test: ['20251201_130544'], trainSessions: 16 },
};

for (const user of ['a', 'b'] as const) {
  test(`user ${user}: split by session, the counts, and the files the trainer reads`, async (t) => {
    const out = join(dir, `store-${user}`);
    const result = await build(user, out);
    t.diagnostic(`user ${user}: ${JSON.stringify(result.splits)} in ${result.seconds.toFixed(2)} s`);
    const expected = EXPECTED[user];
    assert.deepEqual(result.splits, expected.splits);
    assert.deepEqual(result.sessions.validation, expected.validation);
    assert.deepEqual(result.sessions.test, expected.test);
    assert.equal(result.sessions.train.length, expected.trainSessions);
    assert.match(result.datasetId, new RegExp(`^${user}-[0-9a-f]{12}$`));
    assert.equal(result.images, 0, 'the paper published no frames');

    const folder = join(out, 'datasets', result.datasetId);
    const manifest = DatasetManifestSchema.strict().parse(JSON.parse(readFileSync(join(folder, 'dataset.json'), 'utf8')));
    assert.deepEqual(manifest, { schemaVersion: 1, users: [user], promptVersion: 'personaact-prompt/1', splits: expected.splits });
    const sft = { train: jsonl(join(folder, 'sft', 'train.jsonl')), validation: jsonl(join(folder, 'sft', 'validation.jsonl')) };
    const grpo = { train: jsonl(join(folder, 'grpo', 'train.jsonl')), validation: jsonl(join(folder, 'grpo', 'validation.jsonl')), test: jsonl(join(folder, 'test.jsonl')) };
    assert.equal(sft.train.length, expected.splits.train);
    assert.equal(sft.validation.length, expected.splits.validation);
    assert.equal(grpo.train.length, expected.splits.train);
    assert.equal(grpo.test.length, expected.splits.test);

    // No session in two splits; ids unique.
    const sessionOf = (row: Record<string, unknown>) => String(row.id).split('/')[1];
    const parts = [grpo.train, grpo.validation, grpo.test].map((rows) => new Set(rows.map(sessionOf)));
    for (const [i, a] of parts.entries()) for (const b of parts.slice(i + 1)) for (const s of a) assert.ok(!b.has(s), `session ${s} is in two splits`);
    assert.deepEqual([...(parts[2] ?? [])], expected.test);
    const ids = [...grpo.train, ...grpo.validation, ...grpo.test].map((row) => row.id);
    assert.equal(new Set(ids).size, ids.length);

    // An SFT sample: system + user prompt, the answer an action block that parses back to the logged step.
    const sample = sft.train[0] as { id: string; messages: { role: string; content: { type: string; text?: string }[] }[]; images: string[] };
    assert.deepEqual(sample.messages.map((m) => m.role), ['system', 'user', 'assistant']);
    assert.deepEqual(sample.images, []);
    assert.ok(sample.messages[1]?.content.every((part) => part.type === 'text'), 'no image part without a frame');
    const answer = sample.messages[2]?.content[0]?.text ?? '';
    const parsed = parseActionBlock(answer);
    assert.ok(parsed.ok, answer);
    const twin = grpo.train[0] as { id: string; solution: string; watch_seconds: number; actions: string[]; prompt: unknown };
    assert.equal(twin.id, sample.id);
    assert.equal(twin.solution, answer);
    assert.deepEqual(twin.prompt, sample.messages.slice(0, 2));
    assert.equal(parsed.decision.watchSeconds, twin.watch_seconds);
    // Every logged like is in the ground truth, as the reward function expects.
    const liked = [...grpo.train, ...grpo.validation, ...grpo.test].filter((row) => (row.actions as string[]).includes('like')).length;
    assert.ok(liked > 0);
    for (const row of grpo.test) assert.equal(parseActionBlock(String(row.solution)).ok, true);

    // The same inputs again: the same id, nothing written.
    const again = await dataset('--logs', LOGS(user), '--out', out);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`persona user-${user} built from the ${expected.splits.train} steps of the training sessions`));
    assert.match(again.stdout, new RegExp(`dataset ${result.datasetId} is already in .*; nothing written`));
  });
}

test('frames become image parts and files under images/ (named by the step\'s place in the user\'s log)', async () => {
  const images = join(dir, 'frames');
  mkdirSync(join(images, 'a', '20251125_173059'), { recursive: true });
  writeFileSync(join(images, 'a', '20251125_173059', '0.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  writeFileSync(join(images, 'a', '20251125_173059', '2.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const out = join(dir, 'store-frames');
  const result = await build('a', out, '--images', images);
  assert.equal(result.images, 2);
  const folder = join(out, 'datasets', result.datasetId);
  const rows = jsonl(join(folder, 'sft', 'train.jsonl')) as { id: string; images: string[]; messages: { content: { type: string; text?: string }[] }[] }[];
  const first = rows.find((row) => row.id === 'a/20251125_173059/0');
  assert.deepEqual(first?.images, ['images/a-000009.jpg']);
  assert.equal(first?.messages[1]?.content[0]?.type, 'image');
  assert.match(first?.messages[1]?.content[1]?.text ?? '', /The current screen is attached as an image\./);
  assert.deepEqual(rows.find((row) => row.id === 'a/20251125_173059/2')?.images, ['images/a-000011.png']);
  assert.deepEqual(rows.find((row) => row.id === 'a/20251125_173059/1')?.images, []);
  assert.deepEqual([...readFileSync(join(folder, 'images', 'a-000009.jpg'))], [0xff, 0xd8, 0xff, 0xd9]);
});

test('bad inputs fail with a message naming the problem, and nothing is written', async () => {
  const out = join(dir, 'store-bad');
  const oneSession = join(dir, 'one-session.jsonl');
  writeFileSync(oneSession, `${JSON.stringify({ sessionId: 's1', time: '2025-11-25T08:00:00Z', platform: 'douyin', watchSeconds: 3, actions: [] })}\n`);
  const badPersona = join(dir, 'bad-persona.json');
  writeFileSync(badPersona, JSON.stringify({ id: 'x', schemaVersion: 1, name: 'X', narrative: 'I', traits: [], stats: { steps: 1 } }));
  // A persona built from logs before personas recorded their sessions: it cannot say it never saw the test set.
  const unrecorded = join(dir, 'unrecorded-persona.json');
  const example = JSON.parse(readFileSync(PERSONA('a'), 'utf8'));
  delete example.provenance.sessions;
  writeFileSync(unrecorded, JSON.stringify(example));
  const cases: [string[], RegExp][] = [
    [['--logs', join(dir, 'missing')], /missing: no such file or folder/],
    // The example persona is built from all of a's sessions, the test session 20251211_204126 among them.
    [['--logs', LOGS('a'), '--persona', PERSONA('a')], /persona "user-a" was built from 1 test session\(s\) of user "a" \(20251211_204126\)[\s\S]*Leave --persona out/],
    [['--logs', LOGS('a'), '--persona', unrecorded], /its provenance does not record which sessions/],
    [['--logs', LOGS('a'), '--reversed-share', '1.5'], /--reversed-share.*expected a share between 0 and 1/],
    [['--logs', LOGS('a'), '--reversed-share', 'half'], /--reversed-share.*expected a share between 0 and 1/],
    [['--logs', LOGS('a'), '--reversed-share', '0.5', '--engagement', 'mirror'], /--engagement.*Allowed choices are suppress, invert/],
    [['--logs', LOGS('a'), '--persona', badPersona], /persona file .*bad-persona\.json is not a valid persona:[\s\S]*stats\.likeRate/],
    [['--logs', LOGS('a'), '--persona', join(dir, 'nope.json')], /cannot read persona file .*nope\.json: no such file/],
    [['--logs', oneSession], /cannot build a dataset: user "one-session": a session split needs at least 2 sessions/],
    [['--logs', LOGS('a'), '--images', join(dir, 'no-frames')], /--images .*no-frames: no such folder/],
    [['--logs', LOGS('a'), '--out', 's3://Bad_Bucket/x'], /--out: invalid S3 location/],
  ];
  for (const [args, message] of cases) {
    const result = await dataset(...(args.includes('--out') ? args : [...args, '--out', out]));
    assert.equal(result.code, 1, `${args.join(' ')}: exit ${result.code}\n${result.stdout}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.equal(existsSync(join(out, 'datasets')), false, 'nothing written');
});

test('--reversed-share puts p\' into about that share of train and validation samples, with quantile-flipped targets; the test split stays p', async () => {
  const out = join(dir, 'store-reversed');
  const result = await build('a', out, '--reversed-share', '0.5');
  const folder = join(out, 'datasets', result.datasetId);
  const manifest = DatasetManifestSchema.strict().parse(JSON.parse(readFileSync(join(folder, 'dataset.json'), 'utf8')));
  const grpo = { train: jsonl(join(folder, 'grpo', 'train.jsonl')), test: jsonl(join(folder, 'test.jsonl')) };
  const reversed = grpo.train.filter((row) => String(row.id).endsWith('/reversed'));
  assert.equal(manifest.reversal?.samples.train, reversed.length);
  assert.deepEqual([manifest.reversal?.share, manifest.reversal?.strategy, manifest.reversal?.engagement], [0.5, 'quantile-flip', 'suppress']);
  assert.ok(reversed.length > 0.4 * grpo.train.length && reversed.length < 0.6 * grpo.train.length, `${reversed.length} of ${grpo.train.length}`);
  assert.equal(grpo.test.filter((row) => String(row.id).endsWith('/reversed')).length, 0);

  // The targets: the person's watch time flipped on the training persona's distribution, no engagement.
  const log = await importLogs([LOGS('a')]);
  const persona = trainingPersona(log);
  const steps = new Map<string, LogStep>(sessionsOf(log.steps).flatMap((session) => session.steps.map((step, i) => [`a/${session.sessionId}/${i}`, step] as const)));
  for (const row of reversed) {
    const step = steps.get(String(row.id).replace(/\/reversed$/, ''));
    assert.ok(step, String(row.id));
    const flipped = Math.round(reverseWatchSeconds(step.watchSeconds, persona.stats.watchSeconds, 'quantile-flip') * 100) / 100;
    assert.equal(row.watch_seconds, flipped, String(row.id));
    assert.deepEqual(row.actions, []);
    const prompt = JSON.stringify(row.prompt);
    assert.match(prompt, /I am the counterfactual of User a/);
  }
  // The others show p and the logged step.
  const kept = grpo.train.find((row) => !String(row.id).endsWith('/reversed'));
  assert.doesNotMatch(JSON.stringify(kept?.prompt), /counterfactual/);
  assert.equal(kept?.watch_seconds, steps.get(String(kept?.id))?.watchSeconds);
});
