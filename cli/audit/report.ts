/**
 * `personaact audit report`: the analysis the workflow stored (metrics.json, report.md) read
 * straight from the artifact store, so it works without Temporal once an audit has finished.
 */
import type { AuditMetrics } from '../../activities/analysis/analyze-audit';
import { bepHeadline } from '../../core/bep-summary';
import { reversalCheckLines } from '../../core/reversal-check';
import { PHASES } from '../../core/interaction-record';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { connectClient } from '../../clients/connection';
import { effectiveStatus, snapshotAudit } from './snapshot';
import { level1Label } from '../../core/taxonomy';
import { padDisplay, progressBar, progressDetails, signedPct } from './format';
import { auditArtifacts, auditLocation, openCliStore, readMetrics, type AuditArtifacts } from './store';

const TOP_CATEGORIES = 5;

export async function loadReport(config: CliConfig, auditId: string): Promise<{ metrics: AuditMetrics; artifacts: AuditArtifacts }> {
  const store = openCliStore(config);
  const metrics = await readMetrics(store, auditId);
  if (metrics) return { metrics, artifacts: auditArtifacts(store, auditId) };
  throw await whyNoMetrics(config, auditId, auditLocation(store, auditId));
}

/** No metrics.json: say why, from what Temporal knows of the audit. */
async function whyNoMetrics(config: CliConfig, auditId: string, location: string): Promise<UserError> {
  let audit;
  try {
    audit = await connectClient(config);
  } catch (error) {
    return new UserError(`no report for audit ${auditId}: nothing at ${location}, and Temporal cannot say more.\n${(error as Error).message}`);
  }
  try {
    const snapshot = await snapshotAudit(audit, auditId);
    const status = effectiveStatus(snapshot);
    if (snapshot.temporalStatus === 'RUNNING') {
      const where = snapshot.progress
        ? `${progressBar(snapshot.progress.interactions, snapshot.progress.totalInteractions)}\n  ${progressDetails(snapshot.progress)}`
        : `${snapshot.searchAttributes.interactions ?? 0} interactions, ${snapshot.searchAttributes.phase ?? '?'}`;
      return new UserError(`audit ${auditId} has not finished yet (${status}); the report is written at its end.\n  ${where}\nFollow it with: personaact audit status ${auditId}`);
    }
    if (snapshot.temporalStatus === 'COMPLETED') {
      return new UserError(`audit ${auditId} completed, but there is no metrics.json at ${location}: PERSONAACT_ARTIFACTS (${config.PERSONAACT_ARTIFACTS}) must name the store the workers write to`);
    }
    return new UserError(`audit ${auditId} ended ${status} before its analysis, so it has no report; its records so far are in ${location}`);
  } catch (error) {
    if (error instanceof UserError) return new UserError(`no report for audit ${auditId}: nothing at ${location}, and ${error.message.replace(/^no audit/, 'no workflow')}`);
    throw error;
  } finally {
    await audit.close();
  }
}

const fixed = (x: number, digits: number) => x.toFixed(digits);

export function renderReport(metrics: AuditMetrics, artifacts: AuditArtifacts): string {
  const lines = [`Audit ${metrics.auditId}`, ''];
  if (metrics.bep) {
    lines.push(`Bubble Escape Potential  ${bepHeadline(metrics.bep)}`);
    lines.push(`  (Jensen–Shannon divergence, log 2, of the last ${metrics.bep.window} cultivation vs the first ${metrics.bep.window} counterfactual steps;`);
    lines.push('   small samples inflate the plug-in value, so the estimate and its interval are bias-corrected)');
  } else {
    lines.push('Bubble Escape Potential  n/a (a phase recorded no steps)');
  }
  lines.push('', ...reversalCheckLines(metrics.reversalCheck).map((line) => (line.startsWith('- ') ? `  ${line}` : line)));
  for (const phase of PHASES) {
    const m = metrics.phases[phase];
    lines.push('', `${phase[0]!.toUpperCase()}${phase.slice(1)} (${m.steps} steps)`);
    lines.push(`  diversity change     ${signedPct(m.diversityChangePct)}   (last vs first quarter of the 20-step windows; negative = narrowing)`);
    lines.push(`  normalised entropy   ${fixed(m.normalizedEntropy, 3)}`);
    if (m.meanWeightedDiversity !== null) lines.push(`  weighted diversity   ${fixed(m.meanWeightedDiversity, 2)} (mean over 20-step windows)`);
    if (m.diversityByBlock.length > 0) {
      lines.push('  diversity by block   (mean distinct level-1 categories in 20 steps)');
      for (const block of m.diversityByBlock) {
        lines.push(`    steps ${`${block.from}–${block.to - 1}`.padEnd(11)} ${fixed(block.meanDiversity, 2).padStart(6)}  ${'▇'.repeat(Math.round(block.meanDiversity))}`);
      }
    }
    const top = Object.entries(m.categoryCounts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP_CATEGORIES);
    if (top.length > 0) {
      lines.push('  most served');
      for (const [slug, count] of top) {
        lines.push(`    ${padDisplay(level1Label(slug), 36)} ${String(count).padStart(5)}  ${fixed((count / Math.max(1, m.steps)) * 100, 1).padStart(5)} %`);
      }
    }
    lines.push(m.dwellErrorMs
      ? `  dwell error          p50 ${fixed(m.dwellErrorMs.p50, 0)} ms, p95 ${fixed(m.dwellErrorMs.p95, 0)} ms (executed vs intended, platform time)`
      : '  dwell error          n/a');
  }
  lines.push('', 'Artifacts');
  lines.push(`  ${'metrics'.padEnd(15)}  ${artifacts.metrics}`);
  lines.push(`  ${'report'.padEnd(15)}  ${artifacts.report}`);
  for (const phase of PHASES) lines.push(`  ${phase.padEnd(15)}  ${artifacts.records[phase]}`);
  return lines.join('\n');
}
