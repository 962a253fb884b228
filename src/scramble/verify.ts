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
        else if (x && typeof x === 'object')
          for (const [k, y] of Object.entries(x)) {
            out.push(k);
            walk(y);
          }
      };
      walk(JSON.parse(t));
    } catch {
      /* not JSON: the cell alone */
    }
  } else if (t.includes(',')) {
    for (const p of t.split(',')) out.push(p);
  }
  return out;
}

/** Rows scanned per lookup round trip: few round trips, yet few rows held at a time (memory). */
const SCAN_ROWS = 2_000;

/** What the source's identifying values look like to the scan (scanStore.ts). */
export interface ScanValues {
  /** Distinct values known (after the copy). */
  readonly size: number;
  /** The value's key when it may be a source value, else null (null means: certainly not). */
  candidate(value: string): number | null;
  /** Of these keys, those of source values. */
  confirm(keys: Iterable<number>): Promise<Set<number>>;
}

/**
 * How a generated value that equals a source value may be explained by the key: true / false when
 * that is known without the source's values, else the original values it may have been made from
 * (explained when one of them is a source value other than itself).
 */
function explanation(
  role: ColumnRole | 'unknown',
  v: string,
  row: Row,
  scrambler: Scrambler,
  table: string,
  cols: Map<string, string>,
  unId: (pseudonym: string) => string = (p) => scrambler.unId(p),
): boolean | string[] {
  const asUpn = (): (string | null)[] => {
    const p = upnProblem(v);
    if (p === null) return [scrambler.unUpn(v)];
    return [scrambler.permute(v, 'upn-invalid', (s) => upnProblem(s) === p, false)];
  };
  const originals = (us: (string | null)[]): string[] => us.filter((u): u is string => u !== null && u !== v);
  switch (role) {
    case 'id':
      return originals([unId(v)]);
    case 'registration':
      return originals([scrambler.registration(v, false)]);
    case 'upn':
      return originals(asUpn());
    case 'linkValue':
      return originals([unId(v), ...asUpn()]);
    case 'postcode':
      if (POSTCODE.test(v)) return Scrambler.isFakePostcode(v);
      return originals([scrambler.permute(v, 'postcode-invalid', (s) => !POSTCODE.test(s), false)]);
    case 'forename':
    case 'surname':
    case 'fullName': {
      const keyCol = NAME_KEY_COLUMN[table] ? cols.get(NAME_KEY_COLUMN[table]!) : undefined;
      const sexCol = SEX_COLUMN[table] ? cols.get(SEX_COLUMN[table]!) : undefined;
      const key = keyCol && typeof row[keyCol] === 'string' ? unId(row[keyCol] as string) : null;
      if (key === null) return false;
      return scrambler.isGeneratedName(role as NameKind, key, sexCol ? (row[sexCol] as string | null) : null, v);
    }
    default:
      return false;
  }
}

/**
 * Scan every text cell of the copy, a batch of rows at a time: the values the in-memory filter
 * cannot rule out are looked up in the database (one lookup per batch, and one more for the
 * explanations of the few that are source values), so memory is one batch of rows.
 */
export async function verifyCopy(
  db: Db,
  cat: Catalogue,
  schema: string,
  tables: readonly string[],
  scrambler: Scrambler,
  values: ScanValues,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<ScanResult> {
  const result: ScanResult = { cellsScanned: 0, valuesKnown: values.size, survivors: [], coincidences: 0 };
  const batchSize = options.batchSize ?? 2000;
  // Rows scanned per lookup round trip (more than are fetched at a time: fewer round trips).
  const scanRowsPer = Math.max(batchSize, SCAN_ROWS);
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
      return m && model ? roleOf(model, m) : ('unknown' as const);
    });
    const generated = roles.map((r) => GENERATED_ROLES.has(r as ColumnRole));
    const counts = new Map<string, number>();
    const survive = (col: number) => counts.set(text[col]!.actual, (counts.get(text[col]!.actual) ?? 0) + 1);
    let rows: Row[] = [];
    const scanRows = async () => {
      const hits: { row: Row; col: number; part: string; key: number }[] = [];
      for (const row of rows) {
        for (let i = 0; i < text.length; i++) {
          const raw = row[text[i]!.actual];
          if (typeof raw !== 'string' || raw.trim().length === 0) continue;
          result.cellsScanned++;
          if (generated[i]) {
            // A generated column's cell is looked up whole (its parts are the scramble's own).
            if (raw.length >= 3 && raw.trim().length >= 3) {
              const key = values.candidate(raw);
              if (key !== null) hits.push({ row, col: i, part: raw, key });
            }
            continue;
          }
          for (const part of cellParts(raw)) {
            if (part.length < 3 || part.trim().length < 3) continue;
            const key = values.candidate(part);
            if (key !== null) hits.push({ row, col: i, part, key });
          }
        }
      }
      rows = [];
      if (!hits.length) return;
      const found = await values.confirm(hits.map((h) => h.key));
      // The originals of the pseudonyms to explain, all at once (one AES pass per shape and round).
      const pseudonyms: string[] = [];
      const nameKeyCol = NAME_KEY_COLUMN[table] ? cols.get(NAME_KEY_COLUMN[table]!) : undefined;
      for (const h of hits) {
        if (!found.has(h.key)) continue;
        const role = roles[h.col]!;
        if (role === 'id' || role === 'linkValue') pseudonyms.push(h.part);
        else if ((role === 'forename' || role === 'surname' || role === 'fullName') && nameKeyCol && typeof h.row[nameKeyCol] === 'string') pseudonyms.push(h.row[nameKeyCol] as string);
      }
      const originalsOf = scrambler.unIdMany(pseudonyms);
      const unId = (p: string) => originalsOf.get(p) ?? scrambler.unId(p);
      const open: { col: number; keys: number[] }[] = [];
      for (const h of hits) {
        if (!found.has(h.key)) continue;
        const role = roles[h.col]!;
        if (!GENERATED_ROLES.has(role as ColumnRole)) {
          survive(h.col);
          continue;
        }
        const e = explanation(role, h.part, h.row, scrambler, table, cols, unId);
        const keys = Array.isArray(e) ? e.map((u) => values.candidate(u)).filter((k): k is number => k !== null) : [];
        if (e === true) result.coincidences++;
        else if (keys.length) open.push({ col: h.col, keys });
        else survive(h.col);
      }
      if (!open.length) return;
      const originals = await values.confirm(open.flatMap((o) => o.keys));
      for (const o of open) {
        if (o.keys.some((k) => originals.has(k))) result.coincidences++;
        else survive(o.col);
      }
    };
    const sql = `SELECT ${text.map((c) => quoteIdent(db.dialect, c.actual)).join(', ')} FROM ${qualify(db.dialect, schema, info.actual)}`;
    for await (const row of db.stream<Row>(sql, [], { batchSize, signal: options.signal })) {
      rows.push(row);
      if (rows.length >= scanRowsPer) await scanRows();
    }
    await scanRows();
    for (const [column, count] of counts) result.survivors.push({ table, column, count });
  }
  return result;
}
