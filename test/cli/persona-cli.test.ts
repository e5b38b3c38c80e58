/**
 * `personaact persona build | show | diff` as a user runs them: the real CLI in a subprocess, from
 * outside the repository, on the paper's logs and the fixtures; malformed logs write nothing. A
 * built persona passes the audit's own validation against a real sandbox server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareAudit } from '../../cli/audit/start';
import { parseCliConfig } from '../../cli/config';
import type { PersonaDiff } from '../../cli/persona/diff';
import { PersonaSchema, type Persona } from '../../core/persona';
import { startSandbox, type SandboxServer } from '../../sandbox/server';
import { BIN, REPO_ROOT, run, type RunResult } from '../infra/helpers';

const RAW = join(REPO_ROOT, 'data', 'personaact', 'raw_data');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const SESSION_A = join(RAW, 'a', 'session_20251125_165859.json');

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-persona-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function persona(...args: string[]): Promise<RunResult> {
  return run(process.execPath, [BIN, 'persona', ...args], { cwd: dir, timeoutMs: 60_000 });
}

const readPersona = (file: string): Persona => PersonaSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

test('build from the paper\'s folder: --json prints the persona it wrote, progress on stderr', async () => {
  const out = join(dir, 'a.json');
  const result = await persona('build', '--logs', join(RAW, 'a'), '--out', out, '--json');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /imported 939 steps in 8 sessions of user "a" from 8 file\(s\)/);
  const printed = PersonaSchema.parse(JSON.parse(result.stdout));
  assert.deepEqual(readPersona(out), printed);
  assert.equal(printed.id, 'user-a');
  assert.equal(printed.name, 'User a');
  assert.equal(printed.stats.steps, 939);
  assert.equal(printed.stats.likeRate, 0.0618);
  assert.equal(printed.stats.watchSeconds.p50, 4.95);
  assert.equal(printed.stats.quickSkipRate, 0.2833);
  assert.deepEqual(printed.stats.categoryAffinities, {}, 'the paper\'s logs carry no categories');
  assert.equal(printed.provenance.logs?.length, 8);
  assert.equal(printed.provenance.model, 'template');
  assert.doesNotMatch(printed.narrative, /\d/);
  // The stats equal the committed example persona's: one importer, one feature code.
  assert.deepEqual(printed.stats.watchSeconds, readPersona(join(REPO_ROOT, 'examples', 'personas', 'user-a.json')).stats.watchSeconds);
});

test('build from JSONL with a simple answers file, then show it (text and --json)', async () => {
  const out = join(dir, 'viewer-7.json');
  const built = await persona('build', '--logs', join(FIXTURES, 'logs', 'neutral.jsonl'), '--answers', join(FIXTURES, 'answers.json'), '--id', 'viewer-7', '--name', 'Viewer 7', '--out', out);
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stdout, /read 2 answers \(interview answers-answers\)/);
  assert.match(built.stdout, new RegExp(`wrote ${out}: viewer-7, 6 steps, like 33\\.3 %, quick skip 33\\.3 %, median watch 4\\.5 s`));
  const document = readPersona(out);
  assert.deepEqual(document.provenance.interview, { interviewId: 'answers-answers', interviewer: 'answers-file', turns: 2 });
  assert.match(document.narrative, /When I want to cook it myself\./);

  const shown = await persona('show', out);
  assert.equal(shown.code, 0, shown.stderr);
  for (const expected of ['Viewer 7 (viewer-7, schema 1)', 'Narrative:', 'novelty_tolerance: medium', '6 steps; like 33.3 %', 'median 4.5 s', 'Food (美食)', '0.66', 'interview: answers-answers by answers-file, 2 turns', 'narrative and traits by: template']) {
    assert.ok(shown.stdout.includes(expected), `show lacks "${expected}":\n${shown.stdout}`);
  }
  const json = await persona('show', out, '--json');
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), document);
});

test('build from a TikTok export; --id defaults from --user', async () => {
  const result = await persona('build', '--logs', join(FIXTURES, 'logs', 'tiktok', 'user_data.json'), '--user', 'p07');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /imported 7 steps in 2 sessions of user "p07" from 1 file\(s\) \(watch time inferred for 100 %\)/);
  const document = readPersona(join(dir, 'user-p07.json'));
  assert.equal(document.stats.steps, 7);
  assert.equal(document.stats.likeRate, 0.2857);
});

test('diff: statistics, affinities and traits of two personas, as text and JSON', async () => {
  const a = join(dir, 'diff-a.json');
  const b = join(dir, 'diff-b.json');
  for (const [user, file] of [['a', a], ['b', b]] as const) {
    const built = await persona('build', '--logs', join(RAW, user), '--out', file);
    assert.equal(built.code, 0, built.stderr);
  }
  const json = await persona('diff', a, b, '--json');
  assert.equal(json.code, 0, json.stderr);
  const diff = JSON.parse(json.stdout) as PersonaDiff;
  assert.deepEqual(diff.a, { id: 'user-a', file: a });
  const steps = diff.stats.find((d) => d.field === 'steps');
  assert.deepEqual(steps, { field: 'steps', a: 939, b: 780, delta: -159 });
  assert.deepEqual(diff.stats.find((d) => d.field === 'watchSeconds.p50'), { field: 'watchSeconds.p50', a: 4.95, b: 7.345, delta: 2.395 });
  assert.deepEqual(diff.traits.find((t) => t.trait === 'emotion_regulation'), { trait: 'emotion_regulation', a: 'low', b: 'high' });
  assert.equal(diff.traits.some((t) => t.trait === 'novelty_tolerance'), false, 'both medium');
  assert.deepEqual(diff.affinities, []);
  assert.equal(diff.narrativeChanged, true);

  const withExample = await persona('diff', a, join(REPO_ROOT, 'examples', 'personas', 'user-a.json'), '--json');
  const exampleDiff = JSON.parse(withExample.stdout) as PersonaDiff;
  assert.ok(exampleDiff.stats.every((d) => d.delta === 0), 'the same logs give the same statistics');
  assert.equal(exampleDiff.affinities.length, 25, 'the example assumes an affinity for every category');

  const text = await persona('diff', a, b);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^A: user-a \(.*diff-a\.json\)\nB: user-b/);
  assert.match(text.stdout, /steps\s+939\s+780\s+-159/);
  assert.match(text.stdout, /likeRate\s+6\.2 %\s+6\.9 %\s+\+0\.7 pp/);
  assert.match(text.stdout, /emotion_regulation\s+low\s+high/);
});

/** Writes a bad log into its own folder and returns [path to give --logs, the file the error must name]. */
function badLog(name: string, write: (folder: string) => string): [string, string] {
  const folder = join(dir, `bad-${name}`);
  mkdirSync(folder);
  const file = write(folder);
  return [file, file];
}

test('malformed logs: a clear error naming the file, exit 1, nothing written (an existing --out stays as it was)', async () => {
  const session = () => JSON.parse(readFileSync(SESSION_A, 'utf8'));
  const cases: [string, [string, string], RegExp][] = [
    ['truncated JSON', badLog('truncated', (f) => {
      const text = readFileSync(SESSION_A, 'utf8');
      writeFileSync(join(f, 'session.json'), text.slice(0, text.length - 40));
      return join(f, 'session.json');
    }), /: truncated JSON: the text ends at line \d+/],
    ['negative duration', badLog('negative', (f) => {
      const s = session();
      s.actions[0].viewing_duration = -2.5;
      writeFileSync(join(f, 'session.json'), JSON.stringify(s, null, 2));
      return join(f, 'session.json');
    }), /: actions\[0\]\.viewing_duration: /],
    ['unknown action type', badLog('action', (f) => {
      const s = session();
      s.actions[1].actions = [{ type: 'super-like' }];
      writeFileSync(join(f, 'session.json'), JSON.stringify(s));
      return join(f, 'session.json');
    }), /: actions\[1\]\.actions\[0\]\.type: expected one of "like"\|"share"\|"comment"/],
    ['non-UTF-8 bytes', badLog('latin1', (f) => {
      writeFileSync(join(f, 'log.jsonl'), Buffer.concat([Buffer.from('{"sessionId":"s1","title":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
      return join(f, 'log.jsonl');
    }), /: not UTF-8 text: invalid byte sequence at line 1/],
    ['JSONL bad line', badLog('jsonl', (f) => {
      const lines = readFileSync(join(FIXTURES, 'logs', 'neutral.jsonl'), 'utf8').replace('"platform":"tiktok","watchSeconds":4', '"platform":"","watchSeconds":4');
      writeFileSync(join(f, 'log.jsonl'), lines);
      return join(f, 'log.jsonl');
    }), /:7: platform: platform must not be empty/],
  ];
  const empty = join(dir, 'bad-empty');
  mkdirSync(empty);
  cases.push(['empty folder', [empty, empty], /: empty folder: no \.json or \.jsonl log files in it/]);

  const existing = join(dir, 'existing.json');
  const before = readFileSync(join(REPO_ROOT, 'examples', 'personas', 'user-b.json'), 'utf8');
  writeFileSync(existing, before);
  for (const [what, [logs, named], message] of cases) {
    for (const out of [join(dir, `out-${what.replace(/\W+/g, '-')}.json`), existing]) {
      const result = await persona('build', '--logs', logs, '--out', out);
      assert.equal(result.code, 1, `${what}: exit ${result.code}\n${result.stdout}${result.stderr}`);
      assert.ok(result.stderr.startsWith(`personaact: ${named}`), `${what}: the error names the file:\n${result.stderr}`);
      assert.match(result.stderr, message, what);
      assert.doesNotMatch(result.stderr, /unexpected error|at .*\.ts:\d+/, `${what}: a user error, not a crash`);
      assert.equal(result.stdout, '');
      if (out === existing) assert.equal(readFileSync(existing, 'utf8'), before, `${what}: the existing file is untouched`);
      else assert.equal(existsSync(out), false, `${what}: nothing written`);
    }
  }
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary files left behind');
});

test('show and diff name a file that is not a persona', async () => {
  const bad = join(dir, 'not-a-persona.json');
  writeFileSync(bad, JSON.stringify({ id: 'Bad Id', schemaVersion: 1 }));
  const shown = await persona('show', bad);
  assert.equal(shown.code, 1);
  assert.match(shown.stderr, new RegExp(`persona file ${bad} is not a valid persona:\\n${bad}: id: `));
  const diffed = await persona('diff', bad, join(dir, 'missing.json'));
  assert.equal(diffed.code, 1);
  const unknownId = await persona('build', '--logs', join(RAW, 'a'), '--id', 'Not A Slug');
  assert.equal(unknownId.code, 1);
  assert.match(unknownId.stderr, /--id.*lowercase slug/);
});

let sandbox: SandboxServer | undefined;
after(async () => sandbox?.close());

test('a built persona passes the audit\'s validation (audit start --persona, against a real sandbox)', async () => {
  sandbox = await startSandbox({ port: 0, dataDir: ':memory:' });
  const config = parseCliConfig({ PERSONAACT_SANDBOX_URL: sandbox.url });
  for (const [logs, out] of [[join(RAW, 'b'), join(dir, 'audit-b.json')], [join(FIXTURES, 'logs', 'neutral.jsonl'), join(dir, 'audit-neutral.json')]] as const) {
    const built = await persona('build', '--logs', logs, '--out', out);
    assert.equal(built.code, 0, built.stderr);
    const prepared = await prepareAudit(
      { platform: 'sandbox', persona: out, cultivation: 20, counterfactual: 20, policy: 'persona-stat', reversal: 'quantile-flip', engagement: 'suppress', screenshots: false },
      config,
    );
    assert.deepEqual(prepared.input.spec.persona, readPersona(out));
    assert.equal(prepared.personaFile, out);
  }
});
