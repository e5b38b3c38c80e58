/**
 * `personaact export` as a user runs it (the real CLI in a subprocess) on a study whose audits drove
 * the real sandbox recommender: the Parquet file read back by pyarrow in the project's venv, the CSV
 * parsed back, both compared field by field with the stored records; bad input refused, nothing written.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArtifactStore } from '../../artifacts/open-store';
import type { InteractionRecord, Phase } from '../../core/interaction-record';
import { exportAction, type ExportOptions } from '../../cli/commands/export';
import { UserError } from '../../cli/errors';
import { personaact, REPO_ROOT, run } from '../infra/helpers';
import { writeSandboxAudit, writeSandboxStudy } from '../helpers/study-records';

let dir: string;
let env: NodeJS.ProcessEnv;
let records: Map<string, Record<Phase, InteractionRecord[]>>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-export-'));
  const artifacts = join(dir, 'artifacts');
  const store = openArtifactStore(artifacts);
  ({ records } = await writeSandboxStudy(store, { studyId: 'ex', profiles: ['sticky'], arms: ['reversed', 'control'], replicates: 2, cultivation: 30, counterfactual: 25 }));
  // A record whose fields need CSV quoting survives the round trip.
  const tricky = records.get('ex-sticky-control-r0')!.cultivation[0]!;
  tricky.actionsPerformed = ['comment', 'swipe'];
  tricky.observation.videoId = 'v,"1"';
  await store.putJson(`audits/${tricky.auditId}/cultivation/000000.json`, tricky);
  env = { PERSONAACT_ARTIFACTS: artifacts };
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, string | number | boolean | null>;

function expectedRows(): Row[] {
  const rows: Row[] = [];
  for (const [auditId, phases] of records) {
    const [, profile, arm, replicate] = /^ex-(\w+)-(\w+)-r(\d)$/.exec(auditId)!;
    for (const phase of ['cultivation', 'counterfactual'] as const) {
      for (const r of phases[phase]) {
        rows.push({
          study: 'ex', cell: `sandbox/${profile}/calibration-0/${arm}`, arm: arm!, replicate: Number(replicate), account: `acct-${profile}-${arm}-${replicate}`,
          audit: auditId, phase, index: r.index, video: r.observation.videoId, category: r.observation.level1[0]!,
          intended_dwell_ms: r.intendedDwellMs, executed_dwell_ms: r.executedDwellMs, actions: r.actionsPerformed.join('|'), series: null,
        });
      }
    }
  }
  return rows;
}

function compare(actual: Row[], label: string) {
  const expected = expectedRows();
  assert.equal(actual.length, expected.length, `${label}: one row per interaction`);
  const key = (row: Row) => `${row.audit}/${row.phase}/${row.index}`;
  const byKey = new Map(actual.map((row) => [key(row), row]));
  for (const want of expected) {
    const got = byKey.get(key(want));
    assert.ok(got, `${label}: row ${key(want)}`);
    for (const [field, value] of Object.entries(want)) assert.deepEqual(got![field], value, `${label}: ${key(want)} ${field}`);
  }
}

test('export --format parquet: pyarrow reads back every interaction with its study, cell, arm and account', async () => {
  const out = join(dir, 'ex.parquet');
  const result = await personaact(['export', 'ex', '--format', 'parquet', '--out', out], { env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /wrote 220 interactions of 4 audit\(s\) of study ex/);
  const python = await run(join(REPO_ROOT, '.venv', 'bin', 'python'), ['-c', [
    'import json, sys, pyarrow.parquet as pq',
    'table = pq.read_table(sys.argv[1])',
    'print(json.dumps({"schema": {f.name: str(f.type) for f in table.schema}, "rows": table.to_pylist()}))',
  ].join('\n'), out]);
  assert.equal(python.code, 0, python.stderr);
  const { schema, rows } = JSON.parse(python.stdout) as { schema: Record<string, string>; rows: Row[] };
  assert.equal(schema.replicate, 'int32');
  assert.equal(schema.executed_dwell_ms, 'double');
  assert.equal(schema.unconfirmed, 'bool');
  compare(rows, 'parquet');
});

test('export --format csv: RFC 4180 with a header row, the same rows', async () => {
  const out = join(dir, 'ex.csv');
  const result = await personaact(['export', 'ex', '--format', 'csv', '--out', out], { env });
  assert.equal(result.code, 0, result.stderr);
  const python = await run(join(REPO_ROOT, '.venv', 'bin', 'python'), ['-c', [
    'import csv, json, sys',
    'print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))))',
  ].join('\n'), out]);
  assert.equal(python.code, 0, python.stderr);
  const numeric = new Set(['replicate', 'index', 'intended_dwell_ms', 'executed_dwell_ms']);
  const rows = (JSON.parse(python.stdout) as Record<string, string>[]).map((row) => Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v === '' ? null : numeric.has(k) ? Number(v) : v]),
  ));
  compare(rows, 'csv');
  assert.ok(rows.some((row) => row.video === 'v,"1"'), 'quoted field survives');
});

test('export refuses bad input with a message naming it, and writes nothing', async () => {
  // The CLI's own parsing, once through the binary: exit code and message.
  const noFormat = await personaact(['export', 'ex', '--format', 'xlsx'], { env });
  assert.notEqual(noFormat.code, 0);
  assert.match(noFormat.stderr, /--format.*xlsx|xlsx.*--format/);
  // The rest in process (each subprocess costs seconds on a loaded machine).
  process.env.PERSONAACT_ARTIFACTS = env.PERSONAACT_ARTIFACTS;
  const existing = join(dir, 'taken.csv');
  writeFileSync(existing, 'keep me');
  const cases: [string, ExportOptions, RegExp][] = [
    ['no-such-id', { format: 'csv', out: join(dir, 'none.csv') }, /nothing to export.*no-such-id/],
    ['ex', { format: 'csv', out: existing }, /already exists.*--force/],
    ['ex', { format: 'csv', out: join(dir, 'missing', 'x.csv') }, /--out.*does not exist/],
    ['ex', { format: 'csv', kind: 'series', out: join(dir, 'k.csv') }, /no series "ex".*study/],
    ['../ex', { format: 'csv', out: join(dir, 'p.csv') }, /ID "\.\.\/ex"/],
  ];
  for (const [id, options, message] of cases) {
    await assert.rejects(exportAction(id, options, () => {}), (error: Error) => error instanceof UserError && message.test(error.message), `${id} ${JSON.stringify(options)}`);
  }
  assert.equal(readFileSync(existing, 'utf8'), 'keep me');
  assert.ok(!existsSync(join(dir, 'none.csv')) && !existsSync(join(dir, 'k.csv')) && !existsSync(join(dir, 'p.csv')));
  assert.deepEqual(readdirSync(dir).filter((name) => name.includes('partial')), []);
});

test('export of a series: one row per interaction of each session (an audit), with series, session and role', async () => {
  process.env.PERSONAACT_ARTIFACTS = env.PERSONAACT_ARTIFACTS;
  const store = openArtifactStore(env.PERSONAACT_ARTIFACTS!);
  // The series layout of docs/series.md: the spec, and one file per session naming its audit.
  await store.putJson('series/daily/series.json', { schemaVersion: 1, seriesId: 'daily', platform: 'sandbox', accountId: 'acct-daily', persona: { id: 'calibration-0' } });
  for (const [index, role] of [[0, 'original'], [1, 'reversed']] as const) {
    const auditId = `daily-s00${index}`;
    await writeSandboxAudit(store, { auditId, profile: 'sticky', arm: 'reversed', seed: auditId, cultivation: 6, counterfactual: 4 });
    await store.putJson(`series/daily/sessions/00000${index}.json`, { schemaVersion: 1, seriesId: 'daily', index, auditId, role, scheduledAt: '2026-01-05T09:00:00Z' });
  }
  const file = join(dir, 'daily.csv');
  const result = await exportAction('daily', { format: 'csv', out: file }, () => {});
  assert.deepEqual(result, { file, rows: 20, kind: 'series' });
  const lines = readFileSync(file, 'utf8').trim().split('\r\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])));
  assert.deepEqual([...new Set(rows.map((r) => `${r.series}/${r.session}/${r.arm}/${r.account}/${r.audit}`))], ['daily/0/original/acct-daily/daily-s000', 'daily/1/reversed/acct-daily/daily-s001']);

  // A malformed series file is refused naming the file and field; nothing is written.
  await store.putJson('series/broken/series.json', { schemaVersion: 1, seriesId: 'broken', platform: 'sandbox', persona: { id: 'p' } });
  await assert.rejects(exportAction('broken', { format: 'csv', out: join(dir, 'broken.csv') }, () => {}), /series\.json[\s\S]*accountId/);
  assert.ok(!existsSync(join(dir, 'broken.csv')));
});
