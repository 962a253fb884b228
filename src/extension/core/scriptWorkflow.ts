// "SSD: Run Script", "SSD: Pre-flight" and "SSD: Check Script Structure Drift" without the editor: script
// diagnostics → ranges in each file, the sqlcmd variables a script needs, progress and output-channel
// lines from the runner's events, the drift review document, and the report data. Pure (no
// 'vscode'); the results come from src/script, which does all the work.
import { basename } from 'node:path';
import type { DriftReport, TableDrift } from '../../script/drift';
import type { PreflightReport } from '../../script/preflight';
import { refreshText, type RunEvent, type RunResult } from '../../script/runner';
import type { ScriptDiagnostic, ScriptDialect, ScriptPlan } from '../../script/types';
import { rangeAtLineColumn, SEVERITY_RANK, type DiagnosticRecord } from './diagnosticRecords';
import { formatMs, type ReportBar, type ReportData, type ReportFinding } from './report';

const SOURCES: Readonly<Record<ScriptDiagnostic['source'], string>> = {
  split: 'SSD script',
  server: 'SSD script',
  preflight: 'SSD pre-flight',
  drift: 'SSD drift',
  mosaic: 'SSD Mosaic',
};

/** Where a run, a pre-flight or a drift check was made (never a password). */
export interface RunMeta {
  target: string;
  schema?: string;
  startedAt: Date;
}

/**
 * Script diagnostics as editor diagnostics, grouped by file (a script's `:r` includes are files of
 * their own). `textOf` gives a file's text (the open document's, or the file read from disk) so
 * the underline covers the word at the position; without it one character is underlined.
 */
export function scriptDiagnosticRecords(diags: readonly ScriptDiagnostic[], textOf: (file: string) => string | undefined): Map<string, DiagnosticRecord[]> {
  const out = new Map<string, DiagnosticRecord[]>();
  const texts = new Map<string, string | undefined>();
  const seen = new Set<string>();
  for (const d of diags) {
    const key = `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.severity}\u0000${d.message}`;
    if (seen.has(key)) continue; // a batch run n times (GO n) reports the same error n times
    seen.add(key);
    if (!texts.has(d.file)) texts.set(d.file, textOf(d.file));
    const rec: DiagnosticRecord = {
      range: rangeAtLineColumn(texts.get(d.file), d.line, d.column),
      message: d.batchIndex !== undefined && d.source === 'server' ? `${d.message} (batch ${d.batchIndex + 1})` : d.message,
      severity: d.severity,
      source: SOURCES[d.source],
    };
    if (d.code !== undefined) rec.code = d.code;
    let list = out.get(d.file);
    if (!list) out.set(d.file, (list = []));
    list.push(rec);
  }
  for (const list of out.values()) list.sort((a, b) => a.range.start.line - b.range.start.line || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return out;
}

/**
 * Pre-flight checks that failed or warn, as script diagnostics: at their place in the script when
 * the check has one, else (when `file` is given) on the script's first line, since a missing schema
 * or permission still stops the script.
 */
export function preflightDiagnostics(report: PreflightReport, file?: string): ScriptDiagnostic[] {
  const out: ScriptDiagnostic[] = [];
  for (const c of report.checks) {
    if (c.status !== 'fail' && c.status !== 'warn') continue;
    const at = c.file && c.line ? { file: c.file, line: c.line, column: c.column ?? 1 } : file ? { file, line: 1, column: 1 } : undefined;
    if (!at) continue;
    out.push({
      ...at,
      message: `pre-flight: ${c.title}: ${c.detail}${c.fix ? `. What to do: ${c.fix}` : ''}`,
      severity: c.status === 'fail' ? 'error' : 'warning',
      source: 'preflight',
      code: c.id,
    });
  }
  return out;
}

/** Drifted tables as script diagnostics: one on each CREATE TABLE line, one on each added or retyped column. */
export function driftDiagnostics(report: DriftReport): ScriptDiagnostic[] {
  const out: ScriptDiagnostic[] = [];
  for (const t of report.tables) {
    if (t.status !== 'drift') continue;
    const parts = [
      t.added.length ? `${t.added.length} column(s) not in the table (${t.added.map((c) => c.name).join(', ')})` : '',
      t.removed.length ? `${t.removed.length} column(s) only in the table (${t.removed.map((c) => c.name).join(', ')})` : '',
      t.retyped.length ? `${t.retyped.length} column(s) of another type` : '',
      t.orderDiffers ? 'column order differs' : '',
    ].filter(Boolean);
    out.push({
      file: t.file,
      line: t.line,
      column: 1,
      severity: 'warning',
      source: 'drift',
      code: 'drift',
      message: `${t.schema}.${t.table} exists and differs from this CREATE TABLE, which the script will not apply: ${parts.join('; ')}. "SSD: Check Script Structure Drift" opens the ALTER/DROP statements to review.`,
    });
    for (const c of t.added)
      out.push({
        file: t.file,
        line: c.line,
        column: c.column,
        severity: 'warning',
        source: 'drift',
        code: 'drift-added',
        message: `${c.name} is not a column of the live table ${t.schema}.${t.table}: INSERTs naming it will fail`,
      });
    for (const c of t.retyped)
      out.push({
        file: t.file,
        line: c.line,
        column: 1,
        severity: 'warning',
        source: 'drift',
        code: 'drift-retyped',
        message: `${c.column}: the live table has ${c.liveType}, the script ${c.scriptType}`,
      });
  }
  return out;
}

/** Names of the sqlcmd scripting variables a plan failed on because they are not set. */
export function unsetVariables(diags: readonly ScriptDiagnostic[]): string[] {
  const names: string[] = [];
  for (const d of diags) {
    const m = /^scripting variable "([A-Za-z_][A-Za-z0-9_]*)" is not defined/.exec(d.message);
    if (m && !names.some((n) => n.toLowerCase() === m[1]!.toLowerCase())) names.push(m[1]!);
  }
  return names;
}

/** Whether a plan can run per table (the script is in the community's META-CONTAINER format). */
export function hasTableContainers(plan: Pick<ScriptPlan, 'containers'>): boolean {
  return plan.containers.some((c) => c.type.toLowerCase() === 'table');
}

/** Progress bar update for a runner event (src/script/job.ts, which reports it for the run). */
export { progressForEvent } from '../../script/job';

const plural = (n: number, w: string, ws = `${w}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? w : ws}`;

/** Lines for the "SSD Script" output channel as events arrive (server messages as the server sent them). */
export function formatRunEvent(e: RunEvent): string[] {
  switch (e.type) {
    case 'start':
      return [`${e.plan.file}: ${plural(e.total, 'batch', 'batches')}${e.plan.perTable ? ' (per table)' : ''}, ${plural(e.plan.tables.length, 'table')}`];
    case 'batch-start':
      return [
        `[${String(e.n).padStart(String(e.total).length)}/${e.total}] ${e.batch.label} (${basename(e.batch.file)}:${e.batch.line})${e.batch.repeat > 1 ? ` run ${e.iteration} of ${e.batch.repeat}` : ''}`,
      ];
    case 'message': {
      const m = e.message;
      const at = e.at ? `${basename(e.at.file)}:${e.at.line}:${e.at.column}: ` : '';
      return [m.kind === 'error' || m.kind === 'warning' ? `    ${at}${m.kind}: ${m.text}` : `    | ${m.text}`];
    }
    case 'batch-end': {
      const o = e.outcome;
      const lines = [`    ${o.status}${o.statementCounts.length ? `, ${plural(o.rowsAffected, 'row')} affected` : ''}, ${formatMs(o.elapsedMs)}`];
      if (o.status === 'failed') for (const d of o.errors) lines.push(`    ${basename(d.file)}:${d.line}:${d.column}: error: ${d.message}`);
      return lines;
    }
    case 'table':
      return e.state === 'failed' ? [`    table ${e.name} failed`] : [];
    case 'refresh':
      return e.refresh.outcome === 'not run'
        ? []
        : [`    ${e.name}: ${refreshText(e.refresh).replace(/ at ([^ ,)]+):(\d+):(\d+)/, (_m, f: string, l: string, c: string) => ` at ${basename(f)}:${l}:${c}`)}`];
    case 'done':
      return formatRunSummary(e.result);
  }
}

function countBy(xs: readonly string[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** The row-count watch: a warning heading and each table that lost more than half of its rows or became empty. */
export function shrunkLines(r: Pick<RunResult, 'shrunk'>): string[] {
  if (!r.shrunk?.length) return [];
  return [
    `WARNING: ${plural(r.shrunk.length, 'SSD table')} lost more than half of ${r.shrunk.length === 1 ? 'its' : 'their'} rows or became empty:`,
    ...r.shrunk.map((t) => `  ${t.schema}.${t.name}: ${t.before.toLocaleString('en-GB')} → ${t.after.toLocaleString('en-GB')} rows (${t.why})`),
    '  Check the errors and the source tables before staging or sending: a table emptied by a failed refresh makes its children look deleted.',
  ];
}

/** One line: how the run went. */
export function runSummaryLine(r: RunResult): string {
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const head = r.cancelled ? 'cancelled' : r.ok ? 'done' : `${plural(errors, 'error')}`;
  const shrunk = r.shrunk?.length ? ` · WARNING: ${plural(r.shrunk.length, 'table')} lost most of ${r.shrunk.length === 1 ? 'its' : 'their'} rows` : '';
  return `${basename(r.file)}: ${head}${shrunk} · ${plural(r.total, 'batch', 'batches')} (${countBy(r.batches.map((b) => b.status)) || 'none'})${r.tables.length ? ` · ${plural(r.tables.length, 'table')} (${countBy(r.tables.map((t) => t.status))})` : ''} · ${formatMs(r.elapsedMs)}`;
}

/** The summary printed at the end of a run: one line, each table with status, rows and time, the errors. */
export function formatRunSummary(r: RunResult): string[] {
  const lines = ['', `summary: ${runSummaryLine(r)}`];
  if (r.tables.length) {
    const name = (t: RunResult['tables'][number]) => `${t.schema ? t.schema + '.' : ''}${t.name}`;
    const w = Math.max(5, ...r.tables.map((t) => name(t).length));
    lines.push(`  ${'table'.padEnd(w)}  ${'status'.padEnd(9)}  ${'created'.padEnd(7)}  ${'rows'.padStart(9)}  ${'time'.padEnd(7)}  refresh`);
    for (const t of r.tables) {
      lines.push(
        `  ${name(t).padEnd(w)}  ${t.status.padEnd(9)}  ${(t.created ? 'yes' : t.existedBefore === null ? '?' : 'no').padEnd(7)}  ${(t.rows === null ? '-' : String(t.rows)).padStart(9)}  ${(t.elapsedMs === null ? '' : formatMs(t.elapsedMs)).padEnd(7)}  ${t.refresh ? refreshText(t.refresh) : ''}`.trimEnd(),
      );
    }
  }
  if (r.atomic === false) lines.push('atomic refresh: off (ssd.script.atomicRefresh): table blocks ran as written, outside transactions');
  for (const l of shrunkLines(r)) lines.push(l);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    lines.push(`errors (${errors.length}):`);
    for (const d of errors) lines.push(`  ${d.file}:${d.line}:${d.column}: ${d.message}`);
  }
  return lines;
}

function reportFindingOf(d: ScriptDiagnostic): ReportFinding {
  const f: ReportFinding = { severity: d.severity, where: `${basename(d.file)}:${d.line}:${d.column}`, rule: d.code !== undefined ? String(d.code) : d.source, message: d.message };
  return f;
}

/** Report of a script run: counts, tables (status, rows, time), errors, time per table. */
export function scriptRunReport(r: RunResult, meta: RunMeta, extra: { preflight?: PreflightReport; drift?: DriftReport } = {}): ReportData {
  const statusCount = (xs: readonly string[], label: (s: string) => string): ReportBar[] => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m].map(([k, n]) => ({ label: label(k), value: n }));
  };
  const counts: ReportBar[] = [
    { label: 'Batches', value: r.total },
    ...statusCount(
      r.batches.map((b) => b.status),
      (s) => `Batches ${s}`,
    ),
    { label: 'Tables', value: r.tables.length },
    ...statusCount(
      r.tables.map((t) => t.status),
      (s) => `Tables ${s}`,
    ),
    { label: 'Rows affected', value: r.batches.reduce((a, b) => a + b.rowsAffected, 0) },
    { label: 'Errors', value: r.diagnostics.filter((d) => d.severity === 'error').length },
  ];
  const tableName = (t: RunResult['tables'][number]) => `${t.schema ? t.schema + '.' : ''}${t.name}`;
  const timed = r.tables.filter((t) => t.elapsedMs !== null);
  const charts = [];
  if (timed.length) charts.push({ title: 'Time per table (ms)', bars: timed.map((t) => ({ label: tableName(t), value: Math.round(t.elapsedMs!) })) });
  const counted = r.tables.filter((t) => t.rows !== null);
  if (counted.length) charts.push({ title: 'Rows per table at the end', bars: counted.map((t) => ({ label: tableName(t), value: t.rows! })) });
  const findings: ReportFinding[] = [];
  for (const t of r.tables) {
    if (t.status === 'built') continue;
    findings.push({
      severity: t.status === 'failed' ? 'error' : 'warning',
      where: tableName(t),
      rule: `table ${t.status}`,
      message: t.error
        ? t.error.message
        : t.status === 'not run'
          ? 'not run (an earlier batch failed or the run was cancelled)'
          : 'not sure it was built (a batch building it failed or more batches were to come)',
      ...(t.rows !== null ? { count: t.rows } : {}),
    });
  }
  for (const t of r.shrunk ?? [])
    findings.push({
      severity: 'warning',
      where: `${t.schema}.${t.name}`,
      rule: 'row-count watch',
      message: `${t.before.toLocaleString('en-GB')} → ${t.after.toLocaleString('en-GB')} rows (${t.why}): check the errors and the source tables before staging or sending`,
      count: t.after,
    });
  for (const t of r.tables)
    if (t.refresh && (t.refresh.outcome === 'kept previous rows' || t.refresh.outcome === 'not atomic'))
      findings.push({ severity: t.refresh.outcome === 'not atomic' ? 'info' : 'warning', where: tableName(t), rule: t.refresh.outcome, message: refreshText(t.refresh) });
  for (const d of r.diagnostics) findings.push(reportFindingOf(d));
  if (extra.preflight)
    for (const c of extra.preflight.checks)
      if (c.status === 'fail' || c.status === 'warn')
        findings.push({
          severity: c.status === 'fail' ? 'error' : 'warning',
          where: c.file && c.line ? `${basename(c.file)}:${c.line}` : 'pre-flight',
          rule: c.id,
          message: `${c.title}: ${c.detail}${c.fix ? `. What to do: ${c.fix}` : ''}`,
        });
  if (extra.drift) for (const t of extra.drift.tables) if (t.status === 'drift') findings.push(driftFinding(t));
  const notes = [
    `Script ${r.file} (${r.dialect === 'tsql' ? 'T-SQL' : 'PostgreSQL'}${r.perTable ? ', per table' : ''}).`,
    ...r.tables
      .filter((t) => t.status !== 'not run')
      .map(
        (t) =>
          `${tableName(t)}: ${t.status}${t.created ? ', created by this run' : ''}${t.rows !== null ? `, ${plural(t.rows, 'row')}` : ''}${t.elapsedMs !== null ? `, ${formatMs(t.elapsedMs)}` : ''}${t.refresh ? `; ${refreshText(t.refresh)}` : ''}`,
      ),
  ];
  return {
    title: `Run Script ${basename(r.file)}`,
    outcome: r.cancelled ? 'cancelled' : r.ok ? (r.shrunk?.length ? 'problems' : 'done') : r.batches.some((b) => b.status === 'ok') ? 'problems' : 'failed',
    target: meta.target,
    ...(meta.schema ? { schema: meta.schema } : {}),
    startedAt: meta.startedAt,
    elapsedMs: r.elapsedMs,
    counts,
    timings: r.batches.filter((b) => b.status !== 'not run').map((b) => ({ label: `batch ${b.index + 1} · ${b.label}`, value: b.elapsedMs })),
    charts,
    findings,
    notes,
  };
}

function driftFinding(t: TableDrift): ReportFinding {
  const parts = [
    ...t.added.map((c) => `+${c.name} ${c.type}`),
    ...t.removed.map((c) => `-${c.name}`),
    ...t.retyped.map((c) => `~${c.column} (table ${c.liveType}, script ${c.scriptType})`),
    ...(t.orderDiffers ? ['column order differs'] : []),
  ];
  return {
    severity: 'warning',
    where: `${t.schema}.${t.table}`,
    rule: 'drift',
    message: `differs from the script's CREATE TABLE (${basename(t.file)}:${t.line}): ${parts.join(', ')}${t.note ? `. ${t.note}` : ''}`,
  };
}

/** Lines for the output channel: every pre-flight check with what to do. */
export function formatPreflight(r: PreflightReport): string[] {
  const lines = [`pre-flight: ${r.ok ? 'ok' : 'FAILED'} (${plural(r.checks.length, 'check')}; ${r.server.product} ${r.server.version}${r.server.database ? `, database ${r.server.database}` : ''})`];
  for (const c of r.checks) {
    const at = c.file && c.line ? `${basename(c.file)}:${c.line}:${c.column ?? 1}: ` : '';
    lines.push(`  ${c.status.toUpperCase().padEnd(4)} ${at}${c.title}: ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`       what to do: ${c.fix}`);
  }
  return lines;
}

/** The failed pre-flight checks in one short sentence each (for a dialog). */
export function preflightProblems(r: PreflightReport): string[] {
  return r.checks.filter((c) => c.status === 'fail').map((c) => `${c.title}: ${c.detail}${c.fix ? ` (${c.fix})` : ''}`);
}

export function preflightReport(r: PreflightReport, meta: RunMeta & { elapsedMs: number; file?: string }): ReportData {
  const n = (s: string) => r.checks.filter((c) => c.status === s).length;
  return {
    title: `Pre-flight${meta.file ? ` ${basename(meta.file)}` : ''}`,
    outcome: r.ok ? (n('warn') ? 'problems' : 'done') : 'failed',
    target: meta.target,
    ...(meta.schema ? { schema: meta.schema } : {}),
    startedAt: meta.startedAt,
    elapsedMs: meta.elapsedMs,
    counts: [
      { label: 'Checks', value: r.checks.length },
      { label: 'Passed', value: n('ok') },
      { label: 'Warnings', value: n('warn') },
      { label: 'Failed', value: n('fail') },
      { label: 'Skipped', value: n('skip') },
    ],
    findings: r.checks
      .filter((c) => c.status !== 'ok')
      .map((c) => ({
        severity: c.status === 'fail' ? ('error' as const) : c.status === 'warn' ? ('warning' as const) : ('info' as const),
        where: c.file && c.line ? `${basename(c.file)}:${c.line}` : 'server',
        rule: c.id,
        message: `${c.title}: ${c.detail}${c.fix ? `. What to do: ${c.fix}` : ''}`,
      })),
    notes: [
      `${r.server.product} ${r.server.version}${r.server.database ? `, database ${r.server.database}` : ''}${r.server.compatibilityLevel ? `, compatibility level ${r.server.compatibilityLevel}` : ''}.`,
      ...r.checks.filter((c) => c.status === 'ok').map((c) => `OK ${c.title}: ${c.detail}`),
    ],
  };
}

/** Lines for the output channel: each drifted table with the statements to review. */
export function formatDrift(r: DriftReport): string[] {
  const drifted = r.tables.filter((t) => t.status === 'drift');
  const lines = [
    `structure drift: ${drifted.length ? `${plural(drifted.length, 'table')} differ from the script` : 'none'} (${plural(r.tables.length, 'table definition')} compared, ${r.tables.filter((t) => t.status === 'missing').length} not created yet)`,
  ];
  for (const t of drifted) {
    lines.push(`  ${basename(t.file)}:${t.line}: ${t.schema}.${t.table} differs from the script's CREATE TABLE (the script never alters an existing table):`);
    for (const c of t.added) lines.push(`    + ${c.name} ${c.type}   (in the script, not in the table)`);
    for (const c of t.removed) lines.push(`    - ${c.name}   (in the table, not in the script)`);
    for (const c of t.retyped) lines.push(`    ~ ${c.column}: table ${c.liveType}, script ${c.scriptType}`);
    if (t.orderDiffers && !t.added.length && !t.removed.length) lines.push('    column order differs from the script');
    if (t.note) lines.push(`    note: ${t.note}`);
  }
  for (const t of r.tables.filter((x) => x.status !== 'drift')) lines.push(`  ${t.status === 'same' ? 'same   ' : 'missing'} ${t.schema}.${t.table}`);
  return lines;
}

/**
 * The review document offered when tables drifted: comments saying what differs, then for each
 * table the ALTER statements, and the DROP alternative commented out. Never run by the extension.
 */
export function driftReviewSql(r: DriftReport, dialect: ScriptDialect, scriptFile: string): string {
  const c = '--';
  const sep = dialect === 'tsql' ? 'GO' : '';
  const lines = [
    `${c} Structure drift: the live tables differ from the CREATE TABLE statements in ${basename(scriptFile)}.`,
    `${c} The SSD scripts create a table only when it is missing and never alter it, so INSERTs naming`,
    `${c} new columns fail. Review these statements, then run the ones you want yourself.`,
    `${c} SSD Workbench never runs them. Keep a backup of anything you drop.`,
    '',
  ];
  for (const t of r.tables) {
    if (t.status !== 'drift') continue;
    lines.push(`${c} ${t.schema}.${t.table} (${basename(t.file)} line ${t.line})`);
    for (const a of t.added) lines.push(`${c}   + ${a.name} ${a.type} (in the script, not in the table)`);
    for (const x of t.removed) lines.push(`${c}   - ${x.name} (in the table, not in the script)`);
    for (const x of t.retyped) lines.push(`${c}   ~ ${x.column}: table ${x.liveType}, script ${x.scriptType}`);
    if (t.orderDiffers) lines.push(`${c}   column order differs`);
    if (t.note) lines.push(`${c}   note: ${t.note}`);
    if (t.statements.length) {
      lines.push(`${c} Either alter the table:`);
      const drops = t.statements.filter(isDropColumn);
      for (const s of t.statements.filter((x) => !isDropColumn(x))) lines.push(s);
      if (drops.length) {
        lines.push(`${c} Columns only in the table: dropping them loses their data. They get in the way only of an INSERT`);
        lines.push(`${c} without a column list or a NOT NULL column the script does not fill; uncomment what you need:`);
        for (const s of drops) lines.push(`${c} ${s}`);
      }
      if (sep) lines.push(sep);
    }
    if (t.dropStatement) {
      lines.push(`${c} ${t.statements.length ? 'Or drop' : 'Drop'} it and let the script create it again (its rows are lost; the script refills them):`);
      lines.push(`${c} ${t.dropStatement}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function isDropColumn(statement: string): boolean {
  return /\bDROP\s+COLUMN\b/i.test(statement);
}

export function driftReport(r: DriftReport, meta: RunMeta & { elapsedMs: number; file: string }): ReportData {
  const n = (s: TableDrift['status']) => r.tables.filter((t) => t.status === s).length;
  return {
    title: `Structure drift ${basename(meta.file)}`,
    outcome: r.drift ? 'problems' : 'done',
    target: meta.target,
    ...(meta.schema ? { schema: meta.schema } : {}),
    startedAt: meta.startedAt,
    elapsedMs: meta.elapsedMs,
    counts: [
      { label: 'Table definitions compared', value: r.tables.length },
      { label: 'Same as the live table', value: n('same') },
      { label: 'Differ (drift)', value: n('drift') },
      { label: 'Not created yet', value: n('missing') },
    ],
    findings: r.tables.filter((t) => t.status === 'drift').map(driftFinding),
    notes: r.drift
      ? ['The ALTER/DROP statements are in the review document that opened; SSD Workbench never runs them.']
      : ['Every table the script defines that already exists matches its CREATE TABLE.'],
  };
}
