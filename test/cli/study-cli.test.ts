/**
 * Study spec files: the examples load, and every bad spec is refused with a message naming the
 * file and the field, before the sandbox or Temporal is asked (docs/bad-input.md). The loader runs
 * in-process; two cases go through the real CLI for the exit code and the absence of a stack trace.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadStudyFile } from '../../cli/study/spec-file';
import { planStudy } from '../../core/study-spec';
import { personaact, REPO_ROOT } from '../infra/helpers';

const dir = mkdtempSync(join(tmpdir(), 'personaact-study-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PERSONA = join(REPO_ROOT, 'examples', 'personas', 'user-a.json');
const EXAMPLES = join(REPO_ROOT, 'examples', 'studies');

function specFile(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}
const yaml = (extra: string) => [
  'id: s1', 'seed: 1', 'platforms: [{platform: sandbox, profiles: [sticky]}]', `personas: [${PERSONA}]`,
  'replicates: 1', 'cultivationSteps: 5', 'counterfactualSteps: 5', extra,
].join('\n');

test('the example studies load with their personas and profiles', async () => {
  const demo = await loadStudyFile(join(EXAMPLES, 'demo.yaml'));
  assert.deepEqual(demo.spec.arms, ['reversed', 'control']);
  assert.equal(planStudy(demo.spec, demo.personas.map((p) => p.id)).length, 8);
  assert.deepEqual(demo.profileDefinitions, {}, 'built-in profiles travel by name');
  const full = await loadStudyFile(join(EXAMPLES, 'arms-and-profiles.yaml'));
  assert.deepEqual(full.personas.map((p) => p.id), ['user-a', 'user-b']);
  assert.equal(planStudy(full.spec, full.personas.map((p) => p.id)).length, 96);
  assert.deepEqual(Object.keys(full.profileDefinitions), ['forgetful'], "the profiles file's own profile travels with its parameters");
  // JSON works as well as YAML.
  const json = specFile('s.json', JSON.stringify({ ...demo.spec, personas: [PERSONA] }));
  assert.equal((await loadStudyFile(json)).spec.id, 'demo');
});

test('a bad study spec is refused naming the file and the field', async () => {
  const counterfactual = specFile('reversed.json', JSON.stringify({ ...JSON.parse(readFileSync(PERSONA, 'utf8')), id: 'user-a-r', reversal: { of: 'user-a', strategy: 'quantile-flip', engagement: 'suppress' } }));
  const shadow = specFile('shadow.json', JSON.stringify({ profiles: [{ ...JSON.parse(readFileSync(join(REPO_ROOT, 'sandbox', 'profiles.json'), 'utf8')).profiles[0], exploration: 0.5 }] }));
  const cases: [string, string, RegExp][] = [
    ['missing file', join(dir, 'nope.yaml'), /cannot read study spec .*nope\.yaml: no such file/],
    ['other extension', specFile('s.txt', 'id: x'), /s\.txt: expected a \.json, \.yaml or \.yml file/],
    ['bad YAML', specFile('bad.yaml', 'id: [x'), /study spec .*bad\.yaml is not valid YAML/],
    ['bad JSON', specFile('bad.json', '{"id":'), /study spec .*bad\.json is not valid JSON/],
    ['unknown field', specFile('u.yaml', yaml('replicate: 2')), /u\.yaml: Unrecognized key: "replicate"/],
    ['missing field', specFile('m.yaml', 'id: s1\nseed: 1'), /m\.yaml: platforms: required/],
    ['bad arm', specFile('a.yaml', yaml('arms: [reversed, sideways]')), /a\.yaml: arms\[1\]: expected one of/],
    ['unknown profile', specFile('p.yaml', yaml('').replace('[sticky]', '[sticky, nope]')), /p\.yaml: platforms\[0\]\.profiles\[1\]: unknown profile "nope"; known: sticky, exploratory, responsive/],
    ['missing profiles file', specFile('pf.yaml', yaml('profilesFile: none.json')), /pf\.yaml: profilesFile: cannot read profiles file .*none\.json/],
    ['profiles file redefines a built-in', specFile('sh.yaml', yaml(`profilesFile: ${shadow}`)), /profile "sticky" redefines a built-in profile with other parameters/],
    ['platform outside the registry', specFile('t.yaml', yaml('').replace('{platform: sandbox, profiles: [sticky]}', '{platform: weibo}')), /t\.yaml[\s\S]*platforms\[0\]\.platform/],
    ['unknown policy', specFile('po.yaml', yaml('policy: gpt')), /po\.yaml: policy: unknown policy "gpt"/],
    ['missing persona', specFile('mp.yaml', yaml('').replace(PERSONA, 'nobody.json')), /mp\.yaml: personas\[0\]: cannot read persona file .*nobody\.json: no such file/],
    ['counterfactual persona', specFile('cp.yaml', yaml('').replace(PERSONA, counterfactual)), /cp\.yaml: personas\[0\]: .* holds a counterfactual persona/],
    ['same persona twice', specFile('tw.yaml', yaml('').replace(`[${PERSONA}]`, `[${PERSONA}, ${specFile('copy.json', readFileSync(PERSONA, 'utf8'))}]`)), /personas\[1\]: persona id "user-a" is already used by personas\[0\]/],
  ];
  for (const [what, file, message] of cases) await assert.rejects(loadStudyFile(file), message, what);
});

test('personaact study start / status: a bad spec or study id exits non-zero with the message and no stack trace; so does an unanswering sandbox', async () => {
  const env = { PERSONAACT_TEMPORAL_ADDRESS: '127.0.0.1:1', PERSONAACT_SANDBOX_URL: 'http://127.0.0.1:1', PERSONAACT_ARTIFACTS: join(dir, 'artifacts') };
  const bad = await personaact(['study', 'start', specFile('cli.yaml', yaml('concurrency: 0'))], { env, timeoutMs: 60_000 });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /cli\.yaml: concurrency: /);
  assert.doesNotMatch(bad.stderr, /unexpected error|\n\s+at /);
  const badId = await personaact(['study', 'status', 'no spaces'], { env, timeoutMs: 60_000 });
  assert.notEqual(badId.code, 0);
  assert.match(badId.stderr, /"no spaces" is not a study id/);
  const good = await personaact(['study', 'start', specFile('ok.yaml', yaml(''))], { env, timeoutMs: 60_000 });
  assert.notEqual(good.code, 0);
  assert.match(good.stderr, /the sandbox platform at http:\/\/127\.0\.0\.1:1 does not answer/);
  assert.doesNotMatch(good.stderr, /cannot reach the Temporal server|\n\s+at /, 'refused before connecting');
});
