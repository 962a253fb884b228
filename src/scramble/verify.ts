// The verification scan of `ssd scramble`: read every text cell of the copy back from the database
// and look each value up (exact, trimmed, case-insensitive; JSON array/object values and comma-list
// items too) in the set of the source's identifying values (ids, names, dates of birth, postcodes,
// UPNs). A value found is a survivor, unless it sits in a column the scramble generates and the key
// shows it was generated from another original value (a pseudonym that happens to equal some other
// child's id, a fake name that happens to be a real child's name): such coincidences carry nothing
// of the value they equal, and are counted, not failed. Values shorter than 3 characters are not
// looked up (they cannot identify anyone and would match codes).
import { quoteIdent, qualify } from '../db/dialect';
import type { Db, Row } from '../db/types';
import type { Catalogue } from '../check/introspect';
import { POSTCODE } from '../check/codes';
import { upnProblem } from '../fake/upn';
import { findTable } from '../model/ssdModel';
import { GENERATED_ROLES, NAME_KEY_COLUMN, SEX_COLUMN, roleOf, type ColumnRole } from './policy';
import { Scrambler, type NameKind } from './values';
import type { ValueSet } from './valueSet';

export interface Survivor {
  table: string;
  column: string;
  /** Cells holding an original value (the values are never reported). */
  count: number;
}

export interface ScanResult {
  cellsScanned: number;
  /** Distinct identifying values of the source looked for. */
  valuesKnown: number;
  survivors: Survivor[];
  /** Generated values that equal some other original value (explained by the key; not a leak). */
  coincidences: number;
}

/** The parts of a cell the scan looks up: the cell, and the items of a JSON array/object or comma list. */
export function cellParts(v: string): string[] {
  const out = [v];
  const t = v.trim();
  if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('{') && t.endsWith('}'))) {
    try {
      const walk = (x: unknown): void => {
        if (typeof x === 'string') out.push(x);
        else if (typeof x === 'number') out.push(String(x));
        else if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) { out.push(k); walk(y); }
      };
      walk(JSON.parse(t));
    } catch { /* not JSON: the cell alone */ }
  } else if (t.includes(',')) {
    for (const p of t.split(',')) out.push(p);
  }
  return out;
}

function explained(role: ColumnRole | 'unknown', v: string, row: Row, scrambler: Scrambler, values: ValueSet, table: string, cols: Map<string, string>): boolean {
  const byKey = (u: string | null) => u !== null && u !== v && values.has(u);
  const asId = () => byKey(scrambler.unId(v));
  const asUpn = () => {
    const p = upnProblem(v);
    if (p === null) return byKey(scrambler.unUpn(v));
    return byKey(scrambler.permute(v, 'upn-invalid', (s) => upnProblem(s) === p, false));
  };
  switch (role) {
    case 'id': return asId();
    case 'registration': return byKey(scrambler.registration(v, false));
    case 'upn': return asUpn();
    case 'linkValue': return asId() || asUpn();
    case 'postcode':
      if (POSTCODE.test(v)) return Scrambler.isFakePostcode(v);
      return byKey(scrambler.permute(v, 'postcode-invalid', (s) => !POSTCODE.test(s), false));
    case 'forename': case 'surname': case 'fullName': {
      const keyCol = NAME_KEY_COLUMN[table] ? cols.get(NAME_KEY_COLUMN[table]!) : undefined;
      const sexCol = SEX_COLUMN[table] ? cols.get(SEX_COLUMN[table]!) : undefined;
      const key = keyCol && typeof row[keyCol] === 'string' ? scrambler.unId(row[keyCol] as string) : null;
      if (key === null) return false;
      return scrambler.isGeneratedName(role as NameKind, key, sexCol ? (row[sexCol] as string | null) : null, v);
    }
    default: return false;
  }
}

export async function verifyCopy(
  db: Db, cat: Catalogue, schema: string, tables: readonly string[], scrambler: Scrambler, values: ValueSet,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<ScanResult> {
  const result: ScanResult = { cellsScanned: 0, valuesKnown: values.size, survivors: [], coincidences: 0 };
  for (const table of tables) {
    const info = cat.tables.get(table);
    if (!info) continue;
    const model = findTable(table);
    const text = [...info.columns.values()].filter((c) => c.kind === 'text');
    if (!text.length) continue;
    // Actual names by lower-case name (the name explanation reads the row's key and sex).
    const cols = new Map(text.map((c) => [c.name, c.actual] as const));
    const roles = text.map((c) => {
      const m = model?.columns.find((x) => x.name.toLowerCase() === c.name);
      return m && model ? roleOf(model, m) : 'unknown' as const;
    });
    const counts = new Map<string, number>();
    const sql = `SELECT ${text.map((c) => quoteIdent(db.dialect, c.actual)).join(', ')} FROM ${qualify(db.dialect, schema, info.actual)}`;
    for await (const row of db.stream<Row>(sql, [], { batchSize: options.batchSize, signal: options.signal })) {
      for (let i = 0; i < text.length; i++) {
        const raw = row[text[i]!.actual];
        if (typeof raw !== 'string' || raw.trim().length === 0) continue;
        result.cellsScanned++;
        const role = roles[i]!;
        const generated = GENERATED_ROLES.has(role as ColumnRole);
        for (const part of generated ? [raw] : cellParts(raw)) {
          if (part.trim().length < 3 || !values.has(part)) continue;
          if (generated && explained(role, part, row, scrambler, values, table, cols)) { result.coincidences++; continue; }
          counts.set(text[i]!.actual, (counts.get(text[i]!.actual) ?? 0) + 1);
        }
      }
    }
    for (const [column, count] of counts) result.survivors.push({ table, column, count });
  }
  return result;
}
