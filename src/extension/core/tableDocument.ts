// The read-only per-table document (scheme ssd-table) that check findings attach to when no SSD
// script creating the table is open: the table's model description, its columns and the last
// check's findings, with the line of the table and of each column so diagnostics land on them. Pure.
import type { Dialect } from '../../db/types';
import { columnType } from '../../db/dialect';
import type { CheckFinding } from '../../check/types';
import type { SsdTableDef } from '../../model/ssdModel';

export interface TableDocument {
  text: string;
  /** 0-based line of the table heading. */
  tableLine: number;
  /** 0-based line of each column (lower-case name). */
  columnLines: Map<string, number>;
}

export function renderTableDocument(def: SsdTableDef, dialect: Dialect, findings: readonly CheckFinding[], checkedAt?: string): TableDocument {
  const lines: string[] = [];
  const columnLines = new Map<string, number>();
  lines.push(`# ${def.name}`);
  const tableLine = 0;
  lines.push('');
  lines.push(def.description);
  lines.push('');
  lines.push(`Row: ${def.rowGrain}`);
  lines.push(`Primary key: ${def.primaryKey.length ? def.primaryKey.join(', ') : '(none)'}`);
  lines.push(`DfE API builder: ${def.apiUsage === 'READ' ? 'reads this table' : def.apiUsage === 'READ_WRITE' ? 'writes this table (staging)' : 'does not use this table'}`);
  lines.push('');
  lines.push(`## Columns (${{ mssql: 'SQL Server', postgres: 'PostgreSQL', oracle: 'Oracle' }[dialect]} types from the SSD model; ● = read by the builder)`);
  lines.push('');
  const w = Math.max(...def.columns.map((c) => c.name.length)) + 2;
  for (const c of def.columns) {
    columnLines.set(c.name, lines.length);
    const type = columnType(dialect, c);
    const flags = [c.pk ? 'key' : '', c.nullable ? '' : 'NOT NULL', c.fk ? `→ ${c.fk}` : ''].filter(Boolean).join(' ');
    lines.push(`${c.usedByBuilder ? '●' : ' '} ${c.name.padEnd(w)}${type.padEnd(16)}${flags}`.trimEnd());
  }
  lines.push('');
  lines.push(`## Findings${checkedAt ? ` (SSD: Check Tables, ${checkedAt})` : ''}`);
  lines.push('');
  if (!findings.length) lines.push(checkedAt ? 'None.' : 'Not checked yet on this connection: run "SSD: Check Tables".');
  for (const f of findings) {
    lines.push(`- ${f.severity.toUpperCase()} ${f.ruleId}${f.column ? ` (${f.column})` : ''}: ${f.message} [${f.count.toLocaleString('en-GB')}]`);
    if (f.examples.length) lines.push(`  example ids: ${f.examples.join(', ')}`);
    lines.push(`  fix: ${f.fix}`);
  }
  return { text: lines.join('\n') + '\n', tableLine, columnLines };
}
