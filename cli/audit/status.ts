/**
 * `personaact audit status`: one JSON snapshot, or a live view that follows the audit until its
 * workflow closes — redrawn in place on a terminal, a line every ~10 % when piped to a file.
 */
import { bepHeadline } from '../../core/bep-summary';
import type { AuditProgress } from '../../core/audit-progress';
import type { AuditResult } from '../../workflows/audit';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import type { AuditHandle } from '../../clients/audit';
import { uiLink, withClient, type TemporalClient } from '../../clients/connection';
import { isClosed } from '../../clients/workflow-state';
import { closedFailure, effectiveStatus, snapshotAudit, type AuditSnapshot } from './snapshot';
import { describeChallenge } from '../human/captcha';
import { progressBar, progressDetails, signedPct } from './format';
import { auditLocation, countRecords, openCliStore } from './store';
import type { Out } from '../output';

/** How often the live view asks the workflow (a query is cheap: it adds nothing to the history). */
const POLL_MS = 1_000;

export interface StatusJson {
  auditId: string;
  runId: string;
  status: string;
  temporalStatus: string;
  startTime: string;
  closeTime: string | null;
  progress: AuditProgress | null;
  searchAttributes: AuditSnapshot['searchAttributes'];
  failure?: string;
  ui: string;
}

export async function auditStatusJson(config: CliConfig, auditId: string): Promise<StatusJson> {
  return withClient(config, async (audit) => {
    const { handle, ...snapshot } = await snapshotAudit(audit, auditId);
    const failure = ['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(snapshot.temporalStatus) ? await closedFailure(handle) : null;
    return {
      auditId, runId: snapshot.runId, status: effectiveStatus(snapshot), temporalStatus: snapshot.temporalStatus,
      startTime: snapshot.startTime, closeTime: snapshot.closeTime, progress: snapshot.progress,
      searchAttributes: snapshot.searchAttributes, ...(failure ? { failure } : {}), ui: uiLink(config.temporal, auditId),
    };
  });
}

/** Interactions done / total, from the query or (less fresh) the search attributes. */
function counts(snapshot: AuditSnapshot): { done: number; total: number | null } {
  if (snapshot.progress) return { done: snapshot.progress.interactions, total: snapshot.progress.totalInteractions };
  return { done: snapshot.searchAttributes.interactions ?? 0, total: null };
}

function viewLines(snapshot: AuditSnapshot): string[] {
  const { done, total } = counts(snapshot);
  if (snapshot.progress?.challenge) {
    return [progressBar(done, total ?? done), progressDetails(snapshot.progress), ...describeChallenge(snapshot.auditId, snapshot.progress.challenge)];
  }
  if (snapshot.progress && total !== null) return [progressBar(done, total), progressDetails(snapshot.progress)];
  return [
    `${done} interactions (as of the last search-attribute update)`,
    `${snapshot.searchAttributes.phase ?? '?'} · ${effectiveStatus(snapshot)} · no worker answered the progress query (is \`personaact worker\` running?)`,
  ];
}

interface Screen {
  draw(lines: string[], snapshot: AuditSnapshot): void;
  finish(): void;
}

/** Redraws the view in place (ANSI: cursor up, clear line). */
function ttyScreen(stream: NodeJS.WriteStream): Screen {
  let drawn = 0;
  return {
    draw(lines) {
      const width = Math.max(20, (stream.columns || 100) - 1);
      let text = drawn > 0 ? `\x1b[${drawn}A` : '';
      for (const line of lines) text += `\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}\n`;
      stream.write(text);
      drawn = lines.length;
    },
    finish() {
      drawn = 0;
    },
  };
}

/** One line per ~10 % of the audit, and whenever the phase or status changes. */
function lineScreen(write: (line: string) => void): Screen {
  let lastDecile = -1;
  let lastState = '';
  return {
    draw(lines, snapshot) {
      const { done, total } = counts(snapshot);
      const decile = total ? Math.floor((done / total) * 10) : Math.floor(done / 100);
      const state = `${snapshot.progress?.phase ?? snapshot.searchAttributes.phase}/${effectiveStatus(snapshot)}`;
      if (decile === lastDecile && state === lastState) return;
      lastDecile = decile;
      lastState = state;
      write(lines.join('  ·  '));
    },
    finish() {},
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outcome(audit: TemporalClient, config: CliConfig, snapshot: AuditSnapshot & { handle: AuditHandle }, out: Out): Promise<void> {
  const { auditId } = snapshot;
  const store = openCliStore(config);
  switch (snapshot.temporalStatus) {
    case 'COMPLETED': {
      const result = (await snapshot.handle.result()) as AuditResult;
      const bep = result.metrics.bep;
      out(`Completed: ${counts(snapshot).done} interactions.` +
        (bep ? ` ${bepHeadline(bep)}.` : '') +
        ` Diversity change in cultivation ${signedPct(result.metrics.phases.cultivation.diversityChangePct)}.`);
      out(`The report: personaact audit report ${auditId}`);
      return;
    }
    case 'CANCELLED': {
      const records = await countRecords(store, auditId).catch(() => null);
      out(`Cancelled.${records ? ` ${records.cultivation} cultivation and ${records.counterfactual} counterfactual records` : ' Records so far'} stay readable in ${auditLocation(store, auditId)}`);
      return;
    }
    default: {
      const failure = await closedFailure(snapshot.handle);
      throw new UserError(
        `audit ${auditId} ${snapshot.temporalStatus === 'FAILED' ? 'failed' : `ended ${snapshot.temporalStatus}`}${failure ? `: ${failure}` : ''}\n` +
          `Records so far: ${auditLocation(store, auditId)}  ·  history: ${uiLink(audit.target, auditId)}`,
      );
    }
  }
}

/** The live view. Returns when the audit's workflow has closed (throws a UserError when it failed). */
export async function followAudit(config: CliConfig, auditId: string, out: Out): Promise<void> {
  await withClient(config, async (audit) => {
    let snapshot = await snapshotAudit(audit, auditId);
    const sa = snapshot.searchAttributes;
    // Right after a start the workflow may not have set its search attributes yet.
    const known = [sa.persona && `persona ${sa.persona}`, sa.platform && `platform ${sa.platform}`, sa.study && `study ${sa.study}`];
    out([`Audit ${auditId}`, ...known.filter(Boolean)].join('  ·  '));
    out(`Temporal UI ${uiLink(config.temporal, auditId)}`);
    const screen = process.stdout.isTTY ? ttyScreen(process.stdout) : lineScreen((line) => out(line));
    const interrupted = () => {
      screen.finish();
      process.stdout.write(`\nStopped following; the audit keeps running (personaact audit status ${auditId}).\n`);
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    try {
      for (;;) {
        screen.draw(viewLines(snapshot), snapshot);
        if (isClosed(snapshot.temporalStatus)) break;
        await sleep(POLL_MS);
        snapshot = await snapshotAudit(audit, auditId);
      }
    } finally {
      process.removeListener('SIGINT', interrupted);
      screen.finish();
    }
    await outcome(audit, config, snapshot, out);
  });
}
