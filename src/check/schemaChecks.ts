// Schema checks: the 19 builder tables and their columns against the SSD model, type kinds per
// dialect, and the staging tables' columns.
import { columnType } from '../db/dialect';
import type { Dialect } from '../db/types';
import { BUILDER_TABLES, STAGING_TABLES, type SsdColumnDef, type SsdTableDef } from '../model/ssdModel';
import type { Catalogue } from './introspect';
import { getRule } from './rules';
import { kindOfModelType, type ColKind, type ColumnInfo } from './sqlExpr';
import type { CheckFinding } from './types';

export function modelKind(dialect: Dialect, c: SsdColumnDef): ColKind {
  return kindOfModelType(columnType(dialect, c));
}

/** Whether a column of kind `actual` can stand in for the model's `expected` kind without surprises. */
export function compatibleKinds(expected: ColKind, actual: ColKind): boolean {
  if (expected === actual) return true;
  if (expected === 'text' && actual === 'integer') return true; // ids held as INT (upstream issue #27): cast to text
  if ((expected === 'integer' && actual === 'float') || (expected === 'float' && actual === 'integer')) return true;
  if ((expected === 'json' && actual === 'text') || (expected === 'text' && actual === 'json')) return true;
  return false;
}

function kindWord(k: ColKind): string {
  return k === 'text'
    ? 'text'
    : k === 'date'
      ? 'a date/time'
      : k === 'integer'
        ? 'a whole number'
        : k === 'float'
          ? 'a number'
          : k === 'boolean'
            ? 'a boolean'
            : k === 'binary'
              ? 'binary'
              : k === 'json'
                ? 'JSON'
                : 'an unusual type';
}

function finding(ruleId: string, table: string, column: string | null, count: number, message: string): CheckFinding {
  const r = getRule(ruleId);
  return { ruleId, severity: r.severity, category: r.category, table, column, count, examples: [], message, fix: r.fix };
}

function typeFinding(dialect: Dialect, t: SsdTableDef, c: SsdColumnDef, info: ColumnInfo): CheckFinding | null {
  const expected = modelKind(dialect, c);
  if (compatibleKinds(expected, info.kind)) return null;
  const modelType = columnType(dialect, c);
  const what = expected === 'date' && info.kind === 'text' ? 'a date held as text' : `${kindWord(expected)} held as ${kindWord(info.kind)}`;
  return finding('SSD-SCHEMA-003', t.name, c.name, 1, `${t.name}.${c.name} is ${info.dataType}, the model has ${modelType}: ${what}`);
}

export function schemaFindings(dialect: Dialect, cat: Catalogue): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const t of BUILDER_TABLES) {
    const info = cat.tables.get(t.name);
    if (!info) {
      out.push(finding('SSD-SCHEMA-001', t.name, null, 1, `table ${t.name} is missing from schema ${cat.schema}`));
      continue;
    }
    for (const c of t.columns) {
      if (!c.usedByBuilder) continue;
      const ci = info.columns.get(c.name);
      if (!ci) {
        out.push(finding('SSD-SCHEMA-002', t.name, c.name, 1, `column ${t.name}.${c.name}, which the payload builder reads, is missing`));
        continue;
      }
      const f = typeFinding(dialect, t, c, ci);
      if (f) out.push(f);
    }
  }
  for (const t of STAGING_TABLES) {
    const info = cat.tables.get(t.name);
    if (!info) {
      out.push(finding('SSD-SCHEMA-005', t.name, null, 1, `staging table ${t.name} is not present yet (ssd stage creates it)`));
      continue;
    }
    for (const c of t.columns) {
      const ci = info.columns.get(c.name);
      if (!ci) {
        out.push(finding('SSD-SCHEMA-004', t.name, c.name, 1, `staging table ${t.name} lacks column ${c.name}`));
        continue;
      }
      const f = typeFinding(dialect, t, c, ci);
      if (f) out.push(f);
    }
  }
  return out;
}
