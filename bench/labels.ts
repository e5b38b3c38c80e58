/**
 * npm run bench:labels [-- --json] [-- --split test|calibration] [-- --python PATH] [-- --threshold C]
 * The zero-shot title classifier (activities/labels/) on the labelled set (data/labels/): level-1
 * accuracy against the platform-assigned labels ("other" counts as wrong), overall and per
 * language, and the time per item as the audit pays it (one title per call, after a warm-up).
 * --json prints {"items","accuracy","msPerItemP50","msPerItemP95", ...}; the plain output adds
 * coverage, accuracy where it answered, and the most frequent confusions. Tune nothing on
 * --split test: the calibration split is there for that (data/labels/README.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { classifierLabel, DEFAULT_LABEL_SETTINGS, type ContentLabel } from '../core/content-label';
import { Level1SlugSchema } from '../core/primitives';
import { TitleClassifier } from '../activities/labels/title-classifier';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    split: { type: 'string', default: 'test' },
    python: { type: 'string', default: process.env.PERSONAACT_LABELS_PYTHON ?? path.resolve('.venv/bin/python') },
    threshold: { type: 'string', default: String(DEFAULT_LABEL_SETTINGS.threshold) },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:labels -- [--json] [--split test|calibration (default test)] [--python PATH (default .venv/bin/python)] [--threshold C (the "other" confidence, default ' + DEFAULT_LABEL_SETTINGS.threshold + ')]\n');
  process.exit(0);
}
const FILES: Record<string, string> = { test: 'data/labels/titles.jsonl', calibration: 'data/labels/calibration.jsonl' };
const file = FILES[values.split];
if (!file) throw new Error(`--split must be test or calibration, got "${values.split}"`);
const threshold = Number(values.threshold);
if (!(threshold >= 0 && threshold <= 1)) throw new Error(`--threshold must be in [0, 1], got "${values.threshold}"`);
const settings = { ...DEFAULT_LABEL_SETTINGS, threshold };
const say = (line: string) => values.json || process.stdout.write(`${line}\n`);

const ItemSchema = z.object({ id: z.string(), lang: z.enum(['en', 'zh']), title: z.string(), label: Level1SlugSchema });
const items = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line, i) => {
  const parsed = ItemSchema.safeParse(JSON.parse(line));
  if (!parsed.success) throw new Error(`${file} line ${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
});

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

const classifier = new TitleClassifier(values.python);
try {
  const warm = performance.now();
  await classifier.score('warm-up');
  say(`classifier ready in ${((performance.now() - warm) / 1000).toFixed(1)} s (${values.python}); ${items.length} titles from ${file}`);
  const results: { item: (typeof items)[number]; label: ContentLabel; ms: number }[] = [];
  for (const item of items) {
    const started = performance.now();
    const label = classifierLabel(await classifier.score(item.title), settings);
    results.push({ item, label, ms: performance.now() - started });
  }
  const correct = (r: (typeof results)[number]) => r.label.level1 === r.item.label;
  const accuracyOf = (rs: typeof results) => (rs.length ? round(rs.filter(correct).length / rs.length) : null);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const answered = results.filter((r) => r.label.level1 !== undefined);
  const summary = {
    items: results.length,
    accuracy: accuracyOf(results),
    msPerItemP50: round(quantile(ms, 0.5), 1),
    msPerItemP95: round(quantile(ms, 0.95), 1),
    byLanguage: {
      en: { items: results.filter((r) => r.item.lang === 'en').length, accuracy: accuracyOf(results.filter((r) => r.item.lang === 'en')) },
      zh: { items: results.filter((r) => r.item.lang === 'zh').length, accuracy: accuracyOf(results.filter((r) => r.item.lang === 'zh')) },
    },
    coverage: round(answered.length / results.length),
    accuracyWhereAnswered: accuracyOf(answered),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    say(`level-1 accuracy ${summary.accuracy} over ${summary.items} titles (goal ≥ 0.7); en ${summary.byLanguage.en.accuracy} (${summary.byLanguage.en.items}), zh ${summary.byLanguage.zh.accuracy} (${summary.byLanguage.zh.items})`);
    say(`answered ${summary.coverage} of titles ("other" below the threshold for the rest); accuracy where answered ${summary.accuracyWhereAnswered}`);
    say(`ms per item: p50 ${summary.msPerItemP50}, p95 ${summary.msPerItemP95} (goal ≤ 50)`);
    const perLabel = new Map<string, { n: number; ok: number }>();
    const confusions = new Map<string, number>();
    for (const r of results) {
      const entry = perLabel.get(r.item.label) ?? { n: 0, ok: 0 };
      entry.n += 1;
      entry.ok += correct(r) ? 1 : 0;
      perLabel.set(r.item.label, entry);
      if (!correct(r)) confusions.set(`${r.item.label} → ${r.label.level1 ?? 'other'}`, (confusions.get(`${r.item.label} → ${r.label.level1 ?? 'other'}`) ?? 0) + 1);
    }
    say('accuracy by true label:');
    for (const [label, { n, ok }] of [...perLabel].sort((a, b) => b[1].n - a[1].n)) say(`  ${label.padEnd(24)} ${String(ok).padStart(3)}/${n}`);
    say('most frequent confusions (true → predicted):');
    for (const [pair, n] of [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 12)) say(`  ${String(n).padStart(3)}  ${pair}`);
  }
} finally {
  classifier.close();
}
