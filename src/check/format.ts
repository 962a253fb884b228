// Human-readable output of `ssd check`: findings grouped by table, one verdict line at the end.
// Ids only (never names, dates of birth or other values).
import type { CheckFinding, CheckReport } from './types';

const LABEL = { error: 'ERROR  ', warning: 'warning', info: 'info   ' } as const;

/** An example id in quotes, so that an empty or space-padded id is visible ('' or ' C1'). */
export function quoteId(id: string): string {
  return `'${id.replace(/'/g, "''")}'`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-GB');
}

export function formatReport(r: CheckReport): string[] {
  const lines: string[] = [];
  lines.push(`ssd check: ${r.database}, schema ${r.schema}, as of ${r.asOf} (window ${r.window.start} to ${r.window.end})`);
  lines.push(`${r.summary.rulesRun} rules run, ${r.summary.rulesSkipped} not run, in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  const byTable = new Map<string, CheckFinding[]>();
  for (const f of r.findings) byTable.set(f.table, [...(byTable.get(f.table) ?? []), f]);
  for (const t of r.tables) {
    const fs = byTable.get(t.table) ?? [];
    const size = t.present ? (t.rows === null ? '' : ` (${fmt(t.rows)} rows)`) : ' (missing)';
    lines.push('');
    if (fs.length === 0) {
      lines.push(`${t.table}${size}: no findings`);
      continue;
    }
    lines.push(`${t.table}${size}`);
    const skipped = fs.filter((f) => f.skippedRule);
    for (const f of fs) {
      if (f.skippedRule) continue;
      const col = f.column ? `${f.column}  ` : '';
      lines.push(`  ${LABEL[f.severity]}  ${f.ruleId}  ${col}${f.message}${f.examples.length ? `; e.g. ${f.examples.map(quoteId).join(', ')}` : ''}`);
      if (f.severity !== 'info') lines.push(`           fix: ${f.fix}`);
    }
    if (skipped.length) {
      const reasons = new Map<string, string[]>();
      for (const f of skipped) {
        const reason = f.message.replace(/^\S+ not run: /, '');
        reasons.set(reason, [...(reasons.get(reason) ?? []), f.skippedRule!]);
      }
      for (const [reason, ids] of reasons) {
        lines.push(`  ${LABEL.info}  SSD-SCHEMA-006  ${ids.length} rule${ids.length === 1 ? '' : 's'} not run (${reason}): ${ids.join(', ')}`);
      }
    }
  }
  // Findings not tied to a model table (none today) still get printed.
  const known = new Set(r.tables.map((t) => t.table));
  for (const [table, fs] of byTable) {
    if (known.has(table)) continue;
    lines.push('', table);
    for (const f of fs) lines.push(`  ${LABEL[f.severity]}  ${f.ruleId}  ${f.message}`);
  }
  lines.push('');
  const infos = r.summary.infos;
  lines.push(`${r.verdictText}${infos ? ` (${infos} info finding${infos === 1 ? '' : 's'})` : ''}`);
  return lines;
}
