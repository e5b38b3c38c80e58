/**
 * One self-contained HTML report page: inline CSS and inline SVG plots, no scripts, no fonts or
 * images fetched, so the file opens anywhere (a mailed attachment, an S3 download, a browser with
 * no network) and looks the same.
 */
import { renderSvg, type PlotSpec } from './plots';

export type ReportBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; header: readonly string[]; rows: readonly (readonly string[])[]; caption?: string }
  /** `id` names the plot in the page (`data-plot`), so a reader or a test can find it. */
  | { kind: 'plot'; id: string; spec: PlotSpec; caption?: string };

export interface ReportSection {
  heading: string;
  blocks: readonly ReportBlock[];
}

export interface HtmlReport {
  title: string;
  /** Lines under the title (ids, when, where the data lives). */
  subtitle?: readonly string[];
  sections: readonly ReportSection[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; max-width: 980px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.subtitle { color: #555; margin: 0.1em 0; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; } th { background: #f4f4f6; }
figure.plot { margin: 1em 0; } figure.plot svg { max-width: 100%; height: auto; }
figcaption, caption { color: #555; font-size: 0.88em; text-align: left; caption-side: bottom; padding-top: 0.3em; }
`;

async function renderBlock(block: ReportBlock): Promise<string> {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'table': {
      const head = `<tr>${block.header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr>`;
      const body = block.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
      const caption = block.caption ? `<caption>${escapeHtml(block.caption)}</caption>` : '';
      return `<table>${caption}<thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
    }
    case 'plot': {
      const svg = await renderSvg(block.spec);
      const caption = block.caption ? `<figcaption>${escapeHtml(block.caption)}</figcaption>` : '';
      return `<figure class="plot" data-plot="${escapeHtml(block.id)}">${svg}${caption}</figure>`;
    }
  }
}

/** The page as one string; plots are rendered here (server-side). */
export async function renderHtmlReport(report: HtmlReport): Promise<string> {
  const sections = [];
  for (const section of report.sections) {
    const blocks = [];
    for (const block of section.blocks) blocks.push(await renderBlock(block));
    sections.push(`<section>\n<h2>${escapeHtml(section.heading)}</h2>\n${blocks.join('\n')}\n</section>`);
  }
  const subtitle = (report.subtitle ?? []).map((line) => `<p class="subtitle">${escapeHtml(line)}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
${subtitle}
${sections.join('\n')}
</body>
</html>
`;
}

/** The ids of the plots a report contains, in order (what a test expects to find on the page). */
export function plotIds(report: HtmlReport): string[] {
  return report.sections.flatMap((section) => section.blocks.flatMap((block) => (block.kind === 'plot' ? [block.id] : [])));
}
