/** Text for people: progress bars, tables, category names. No I/O. */
import type { AuditProgress } from '../../core/audit-progress';

export function progressBar(done: number, total: number, width = 30): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ${(share * 100).toFixed(1).padStart(5)} %`;
}

/** "cultivation 57/800 · diversity 7 of the last 20 · RUNNING · 1 session" */
export function progressDetails(progress: AuditProgress): string {
  const inPhase = progress.phase === 'cultivation' ? progress.cultivationSteps : progress.counterfactualSteps;
  const parts = [
    `${progress.phase} ${progress.index}/${inPhase}`,
    `diversity ${progress.rollingDiversity} categories in the last 20`,
    progress.status === 'AWAITING_HUMAN' && progress.challenge ? `AWAITING_HUMAN (${progress.challenge.kind})` : progress.status,
    `${progress.sessions} browser session${progress.sessions === 1 ? '' : 's'}`,
  ];
  return parts.join(' · ');
}

/** Columns a string takes in a terminal: CJK and other wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

export const padDisplay = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const line = (cells: readonly string[]) => cells.map((cell, i) => padDisplay(cell, widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** "2026-03-01 14:02:11" in local time: what a person compares with their clock. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export const signedPct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`);
