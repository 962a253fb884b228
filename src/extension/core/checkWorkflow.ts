// "SSD: Check Tables" without the editor: where each finding goes (the CREATE TABLE line of an open
// SSD script, a column's line inside it, else the read-only per-table document), the diagnostic
// text (rule, count, example ids only, fix hint), time per table from the check's progress, and
// the report. Pure (no 'vscode'); the findings come from src/check.
import type { Dialect } from '../../db/types';
import type { CheckFinding, CheckReport } from '../../check/types';
import type { ScriptDialect } from '../../script/lexer';
import { findTable } from '../../model/ssdModel';
import { locateCreateTables } from './findingsIndex';
import { lineOffsets, rangeFromOffsets, rangeOfLine, type DiagnosticRecord, type Range0 } from './diagnosticRecords';
import type { ReportChild, ReportData, ReportFinding } from './report';
import { renderTableDocument, type TableDocument } from './tableDocument';

export const CHECK_SOURCE = 'SSD check';

/** URI (as text) of the read-only per-table document findings fall back to. */
export function tableDocumentUri(table: string): string {
  return `ssd-table:/${encodeURIComponent(table.toLowerCase())}.md`;
}

/** The table a `ssd-table:` document path names ('/ssd_person.md' → 'ssd_person'), or undefined. */
export function tableFromDocumentPath(path: string): string | undefined {
  const m = /^\/?([^/]+)\.md$/.exec(path);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!).toLowerCase();
  } catch {
    return undefined;
  }
}

/** Diagnostic message of a finding: what and how many, example ids (ids only), the fix. */
export function findingMessage(f: CheckFinding): string {
  const where = f.column ? `${f.table}.${f.column}: ` : `${f.table}: `;
  const ex = f.examples.length ? `; e.g. ids ${f.examples.join(', ')}` : '';
  return `${where}${f.message}${ex}. Fix: ${f.fix}`;
}

function recordOf(f: CheckFinding, range: Range0): DiagnosticRecord {
  return { range, message: findingMessage(f), severity: f.severity, code: f.ruleId, source: CHECK_SOURCE };
}

export interface OpenScript {
  /** The document's URI as text (the key of the result). */
  uri: string;
  text: string;
}

/** The per-table document of a table: the model's description and the findings (text and line numbers). */
export function tableDocumentFor(table: string, dialect: Dialect, findings: readonly CheckFinding[], checkedAt?: string): TableDocument {
  const def = findTable(table);
  if (def) return renderTableDocument(def, dialect, findings, checkedAt);
  // A table outside the SSD model (none today): a minimal document so findings still have a home.
  const lines = [`# ${table}`, '', 'Not a table of the SSD model.', '', `## Findings${checkedAt ? ` (SSD: Check Tables, ${checkedAt})` : ''}`, ''];
  const columnLines = new Map<string, number>();
  if (!findings.length) lines.push(checkedAt ? 'None.' : 'Not checked yet on this connection: run "SSD: Check Tables".');
  for (const f of findings) {
    if (f.column && !columnLines.has(f.column.toLowerCase())) columnLines.set(f.column.toLowerCase(), lines.length);
    lines.push(`- ${f.severity.toUpperCase()} ${f.ruleId}${f.column ? ` (${f.column})` : ''}: ${f.message} [${f.count.toLocaleString('en-GB')}]`);
    if (f.examples.length) lines.push(`  example ids: ${f.examples.join(', ')}`);
    lines.push(`  fix: ${f.fix}`);
  }
  return { text: lines.join('\n') + '\n', tableLine: 0, columnLines };
}

export interface Placement {
  /** Diagnostics per document URI (open scripts and ssd-table documents). */
  byUri: Map<string, DiagnosticRecord[]>;
  /** Where each table's findings went: the script's URI or the table document's. */
  tableHome: Map<string, string>;
}

/**
 * Attach each table's findings to the first open script that creates the table (table findings on
 * its name in the CREATE TABLE, column findings on the column's definition), else to the table's
 * read-only document (the table heading, each column's line).
 */
export function placeFindings(findings: readonly CheckFinding[], scripts: readonly OpenScript[], dialect: Dialect, checkedAt?: string): Placement {
  const byTable = new Map<string, CheckFinding[]>();
  for (const f of findings) {
    const k = f.table.toLowerCase();
    let list = byTable.get(k);
    if (!list) byTable.set(k, (list = []));
    list.push(f);
  }
  const scriptDialect: ScriptDialect = dialect === 'mssql' ? 'tsql' : dialect === 'oracle' ? 'oracle' : 'postgres';
  const tables = [...byTable.keys()];
  const located = scripts.map((s) => ({ s, starts: lineOffsets(s.text), where: locateCreateTables(s.text, tables, scriptDialect) }));
  const byUri = new Map<string, DiagnosticRecord[]>();
  const tableHome = new Map<string, string>();
  const push = (uri: string, r: DiagnosticRecord) => {
    let list = byUri.get(uri);
    if (!list) byUri.set(uri, (list = []));
    list.push(r);
  };
  for (const [table, fs] of byTable) {
    const hit = located.find((l) => l.where.has(table));
    if (hit) {
      const loc = hit.where.get(table)!;
      tableHome.set(table, hit.s.uri);
      const nameRange = rangeFromOffsets(hit.starts, loc.nameStart, loc.nameEnd);
      for (const f of fs) {
        const col = f.column ? loc.columns.get(f.column.toLowerCase()) : undefined;
        push(hit.s.uri, recordOf(f, col ? rangeFromOffsets(hit.starts, col.start, col.end) : nameRange));
      }
      continue;
    }
    const uri = tableDocumentUri(table);
    tableHome.set(table, uri);
    const doc = tableDocumentFor(table, dialect, fs, checkedAt);
    for (const f of fs) {
      const line = f.column ? (doc.columnLines.get(f.column.toLowerCase()) ?? doc.tableLine) : doc.tableLine;
      push(uri, recordOf(f, rangeOfLine(doc.text, line)));
    }
  }
  return { byUri, tableHome };
}

/** Time spent on each table: the check job's (src/check/job.ts). */
export { TableTimer } from '../../check/job';

const MAX_REPORT_FINDINGS = 300;
const MAX_REPORT_CHILDREN = 200;

/**
 * The children the findings name (person ids of their example rows), most severe first, each with
 * the rules that name them. Ids only.
 */
export function childrenOfReport(findings: readonly CheckFinding[]): ReportChild[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const by = new Map<string, ReportChild>();
  for (const f of findings) {
    if (f.skippedRule) continue;
    for (const id of f.personIds ?? []) {
      let c = by.get(id);
      if (!c) by.set(id, (c = { personId: id, rules: [], severity: f.severity }));
      if (!c.rules.includes(f.ruleId)) c.rules.push(f.ruleId);
      if (rank[f.severity] < rank[c.severity]) c.severity = f.severity;
    }
  }
  return [...by.values()].sort((a, b) => rank[a.severity] - rank[b.severity] || a.personId.localeCompare(b.personId, 'en', { numeric: true }));
}

/** Report of a check: counts by severity, the findings, a chart of findings by table, time per table. */
export function checkReportData(r: CheckReport, meta: { target: string; times?: ReadonlyMap<string, number> }): ReportData {
  // Table counts by role, as the tree groups them ("Tables the API builder reads", "Staging"):
  // the check covers those two groups only, so no single "tables present" figure mixes them.
  const role = (k: 'builder' | 'staging') => {
    const ts = r.tables.filter((t) => t.role === k);
    const present = ts.filter((t) => t.present).length;
    return { present, missing: ts.length - present, of: ts.length };
  };
  const builder = role('builder');
  const staging = role('staging');
  const counts = [
    { label: 'Errors', value: r.summary.errors },
    { label: 'Warnings', value: r.summary.warnings },
    { label: 'Info', value: r.summary.infos },
    { label: 'Rules run', value: r.summary.rulesRun },
    { label: 'Rules not run', value: r.summary.rulesSkipped },
    { label: `Builder tables present (of ${builder.of})`, value: builder.present },
    { label: 'Builder tables missing', value: builder.missing },
    { label: `Staging tables present (of ${staging.of})`, value: staging.present },
    { label: 'Staging tables missing (Build Staging creates them)', value: staging.missing },
  ];
  const listed = r.findings.filter((f) => !f.skippedRule);
  const findings: ReportFinding[] = listed.slice(0, MAX_REPORT_FINDINGS).map((f) => ({
    severity: f.severity,
    where: f.column ? `${f.table}.${f.column}` : f.table,
    rule: f.ruleId,
    message: `${f.message}${f.examples.length ? `; e.g. ids ${f.examples.join(', ')}` : ''}${f.personIds?.length && f.personIds.join() !== f.examples.join() ? ` (children ${f.personIds.join(', ')})` : ''}. Fix: ${f.fix}`,
    count: f.count,
  }));
  const byTable = r.tables.map((t) => ({ label: t.table, value: t.errors + t.warnings })).filter((b) => b.value > 0);
  const charts = [{ title: 'Findings by table (errors and warnings)', bars: byTable }];
  const timings = meta.times ? [...meta.times].map(([label, value]) => ({ label, value })) : [];
  const skipped = r.findings.filter((f) => f.skippedRule).length;
  const children = childrenOfReport(r.findings);
  return {
    title: 'Check Tables',
    outcome: r.verdict === 'not-fit' ? 'problems' : r.verdict === 'fit-with-warnings' ? 'problems' : 'done',
    target: meta.target,
    schema: r.schema,
    startedAt: new Date(r.startedAt),
    elapsedMs: r.elapsedMs,
    counts,
    timings,
    charts,
    findings,
    ...(listed.length > MAX_REPORT_FINDINGS ? { moreFindings: listed.length - MAX_REPORT_FINDINGS } : {}),
    ...(children.length ? { children: children.slice(0, MAX_REPORT_CHILDREN) } : {}),
    ...(children.length > MAX_REPORT_CHILDREN ? { moreChildren: children.length - MAX_REPORT_CHILDREN } : {}),
    links: [{ label: 'Rule documentation (every rule: what it finds, why it matters, how to fix it)', command: 'ssd.showCheckRules' }],
    notes: [
      r.verdictText,
      `As of ${r.asOf}; reporting window ${r.window.start} to ${r.window.end}.`,
      ...(skipped ? [`${skipped} rule${skipped === 1 ? ' was' : 's were'} not run because a table or column is missing or of the wrong type (see the Problems panel, SSD-SCHEMA-006).`] : []),
    ],
  };
}
