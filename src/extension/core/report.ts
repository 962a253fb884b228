// The readable report shown after long work (script runs, checks, staging builds): counts,
// findings, timings and small inline SVG bar charts. Pure: renders self-contained HTML for a
// webview with a strict Content-Security-Policy (no scripts, no remote content; styles by nonce).
// Only ids, counts, table/column names and rule texts go in: never a child's data.

export interface ReportBar {
  label: string;
  value: number;
}

export interface ReportChart {
  title: string;
  bars: ReportBar[];
}

export interface ReportFinding {
  severity: 'error' | 'warning' | 'info';
  /** Where: table, table.column, file:line… */
  where: string;
  rule: string;
  message: string;
  count?: number;
}

export interface ReportData {
  title: string;
  outcome: 'done' | 'problems' | 'cancelled' | 'failed';
  /** Safe description of the database (never a password). */
  target: string;
  schema?: string;
  startedAt: Date;
  elapsedMs: number;
  counts: ReportBar[];
  timings?: ReportBar[];
  charts?: ReportChart[];
  findings?: ReportFinding[];
  /** Findings beyond those listed (the list is capped). */
  moreFindings?: number;
  /** Children the findings concern (person ids only), each with a "Build payload" link. */
  children?: ReportChild[];
  /** Children beyond those listed. */
  moreChildren?: number;
  notes?: string[];
  /** Links to editor commands shown under the notes (e.g. the rule documentation). */
  links?: ReportLink[];
}

export interface ReportChild {
  personId: string;
  /** Rule ids of the findings that name the child. */
  rules: string[];
  severity: 'error' | 'warning' | 'info';
}

export interface ReportLink {
  label: string;
  command: string;
  args?: unknown[];
}

/** Commands the report's links may run (the webview allows only these). */
export const REPORT_COMMANDS: readonly string[] = ['ssd.buildPayload', 'ssd.showCheckRules'];

/** A `command:` link for the webview (arguments as a JSON array, URI-encoded). */
export function commandHref(command: string, args?: readonly unknown[]): string {
  if (!REPORT_COMMANDS.includes(command)) throw new Error(`not a report command: ${command}`);
  return `command:${command}${args && args.length ? `?${encodeURIComponent(JSON.stringify(args))}` : ''}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (n: number) => n.toLocaleString('en-GB');

export function formatMs(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${total % 60} s`;
}

/** A horizontal bar chart as inline SVG (scales to the largest value; zero bars are drawn empty). */
export function barChartSvg(chart: ReportChart, width = 520): string {
  const bars = chart.bars;
  const rowH = 22;
  const labelW = Math.min(220, Math.max(60, ...bars.map((b) => b.label.length * 7 + 8)));
  const valueW = 70;
  const plotW = Math.max(40, width - labelW - valueW);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = Math.max(rowH, bars.length * rowH) + 4;
  const rows = bars
    .map((b, i) => {
      const y = i * rowH + 2;
      const w = b.value > 0 ? Math.max(1, Math.round((b.value / max) * plotW)) : 0;
      return (
        `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" class="lbl">${escapeHtml(b.label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" class="bar"><title>${escapeHtml(b.label)}: ${fmt(b.value)}</title></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 15}" class="val">${fmt(b.value)}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(chart.title)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">${rows}</svg>`;
}

/** The whole report page. `nonce` authorises the one inline style block; `cspSource` is the webview's. */
export function renderReportHtml(r: ReportData, nonce: string, cspSource: string): string {
  const outcome = { done: 'Done', problems: 'Finished with problems', cancelled: 'Cancelled', failed: 'Failed' }[r.outcome];
  const table = (rows: ReportBar[], unit: (v: number) => string) =>
    `<table>${rows.map((c) => `<tr><th scope="row">${escapeHtml(c.label)}</th><td class="num">${unit(c.value)}</td></tr>`).join('')}</table>`;
  const sections: string[] = [];
  sections.push(`<section><h2>Counts</h2>${r.counts.length ? table(r.counts, fmt) : '<p>Nothing was counted.</p>'}</section>`);
  for (const c of r.charts ?? []) {
    if (c.bars.length === 0) continue;
    sections.push(`<section><h2>${escapeHtml(c.title)}</h2>${barChartSvg(c)}</section>`);
  }
  if (r.findings) {
    const list =
      r.findings.length === 0
        ? '<p>No findings.</p>'
        : `<table class="findings"><thead><tr><th>Severity</th><th>Where</th><th>Rule</th><th>Message</th><th class="num">Rows</th></tr></thead><tbody>${r.findings
            .map(
              (f) =>
                `<tr class="${f.severity}"><td>${f.severity}</td><td>${escapeHtml(f.where)}</td><td><code>${escapeHtml(f.rule)}</code></td><td>${escapeHtml(f.message)}</td><td class="num">${f.count === undefined ? '' : fmt(f.count)}</td></tr>`,
            )
            .join('')}</tbody></table>`;
    const more = r.moreFindings ? `<p>…and ${fmt(r.moreFindings)} more (see the Problems panel).</p>` : '';
    sections.push(`<section><h2>Findings</h2>${list}${more}</section>`);
  }
  if (r.children && r.children.length) {
    const rows = r.children
      .map(
        (c) =>
          `<tr class="${c.severity}"><td><code>${escapeHtml(c.personId)}</code></td><td>${c.rules.map((x) => `<code>${escapeHtml(x)}</code>`).join(' ')}</td><td><a href="${escapeHtml(commandHref('ssd.buildPayload', [c.personId]))}">Build payload</a></td></tr>`,
      )
      .join('');
    const more = r.moreChildren ? `<p>…and ${fmt(r.moreChildren)} more (the Children node of the SSD view lists them under "With problems").</p>` : '';
    sections.push(
      `<section><h2>Children affected</h2><p class="meta">Person ids of the example rows of each finding (up to 5 per finding).</p><table class="children"><thead><tr><th>Child</th><th>Rules</th><th></th></tr></thead><tbody>${rows}</tbody></table>${more}</section>`,
    );
  }
  if (r.timings && r.timings.length) sections.push(`<section><h2>Timings</h2>${table(r.timings, formatMs)}</section>`);
  if ((r.notes && r.notes.length) || (r.links && r.links.length)) {
    const notes = (r.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`);
    const links = (r.links ?? []).map((l) => `<li><a href="${escapeHtml(commandHref(l.command, l.args))}">${escapeHtml(l.label)}</a></li>`);
    sections.push(`<section><h2>Notes</h2><ul>${[...notes, ...links].join('')}</ul></section>`);
  }
  return pageHtml(
    r.title,
    `<h1>${escapeHtml(r.title)}</h1>
<p><span class="outcome ${r.outcome}">${outcome}</span></p>
<p class="meta">${escapeHtml(r.target)}${r.schema ? ` · schema <code>${escapeHtml(r.schema)}</code>` : ''} · started ${escapeHtml(r.startedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC · took ${formatMs(r.elapsedMs)}</p>
${sections.join('\n')}`,
    nonce,
    cspSource,
  );
}

/** A document page (e.g. the rule documentation rendered from Markdown) in the report's style. */
export function renderDocumentHtml(title: string, bodyHtml: string, nonce: string, cspSource: string): string {
  return pageHtml(title, bodyHtml, nonce, cspSource);
}

function pageHtml(title: string, body: string, nonce: string, cspSource: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource} data:; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-panel-border, #8884); padding-bottom: 0.2em; }
.meta { color: var(--vscode-descriptionForeground); }
.outcome { display: inline-block; padding: 0.1em 0.6em; border-radius: 0.8em; font-weight: 600; }
.outcome.done { background: var(--vscode-testing-iconPassed, #388a34); color: #fff; }
.outcome.problems, .outcome.failed { background: var(--vscode-errorForeground, #c72e0f); color: #fff; }
.outcome.cancelled { background: var(--vscode-descriptionForeground, #777); color: #fff; }
table { border-collapse: collapse; margin: 0.4em 0; }
th, td { text-align: left; padding: 0.2em 0.9em 0.2em 0; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.findings td, table.findings th { border-bottom: 1px solid var(--vscode-panel-border, #8883); }
tr.error td:first-child { color: var(--vscode-errorForeground, #c72e0f); }
tr.warning td:first-child { color: var(--vscode-editorWarning-foreground, #b89500); }
svg .bar { fill: var(--vscode-charts-blue, #3794ff); }
pre { background: var(--vscode-textCodeBlock-background, #8881); padding: 0.6em; overflow-x: auto; }
a { color: var(--vscode-textLink-foreground); }
svg .lbl, svg .val { fill: var(--vscode-foreground, #333); font-size: 12px; font-family: var(--vscode-font-family, sans-serif); }
</style>
</head>
<body>
${body}
</body>
</html>`;
}
