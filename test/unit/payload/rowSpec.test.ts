// The payload row spec (src/payload/rowSpec.ts) is the one list of what the builder reads: each
// slot a checked-in file's SELECT fills must be decoded into the column the spec says it carries,
// and every column the spec reads must exist in the SSD model (that the files are the spec's
// rendering: test/unit/sqlCatalogue/rendered.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlSyntax } from '../../../src/db/dialect';
import type { Dialect, Row } from '../../../src/db/types';
import { BUILDER_TABLES } from '../../../src/model/ssdModel';
import { ORPHAN_BRANCH_KEYS, ORPHAN_ROWS, PAYLOAD_ROWS, ROW_DECODERS, STREAM_SLOTS, type Expr, type KindSpec } from '../../../src/payload/rowSpec';
import { sqlDir } from '../../../src/runtimePaths';
import { RENDERED_DIALECTS } from '../../../src/sqlCatalogue/renderedSql';

const fileText = (dialect: Dialect, name: string) => readFileSync(join(sqlDir(), dialect, `${name}.sql`), 'utf8');

/** Split a SELECT list at its top-level commas. */
function topLevelItems(list: string): string[] {
  const out: string[] = [];
  let depth = 0,
    quoted = false,
    start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(list.slice(start).trim());
  return out;
}

/** The SELECT lines of a file, in order, as { kind tag, slot → expression (null for NULL) }. */
function selects(sql: string, dialect: Dialect): Array<{ k: string; slots: Map<string, string | null> }> {
  const lit = sqlSyntax(dialect).literal('');
  const prefix = lit.slice(0, lit.length - 2); // N for SQL Server
  return sql
    .split('\n')
    .filter((l) => l.startsWith('  SELECT CAST('))
    .map((line) => {
      const slots = new Map<string, string | null>();
      for (const item of topLevelItems(line.slice('  SELECT '.length))) {
        // Oracle makes the long text column with TO_CLOB(…) (CAST does not convert to LOBs).
        const m = /^CAST\((.*) AS [A-Z0-9()]+\) AS (\w+)$/.exec(item) ?? /^TO_CLOB\((.*)\) AS (x)$/.exec(item);
        assert.ok(m, `not a CAST(… AS type) AS slot item: ${item}`);
        slots.set(m[2]!, m[1] === 'NULL' ? null : m[1]!);
      }
      const k = slots.get('k')!;
      return { k: k.slice(prefix.length + 1, -1), slots };
    });
}

function exprText(dialect: Dialect, e: Expr): string {
  return typeof e === 'string' ? e : sqlSyntax(dialect).literal(e.literal);
}

describe('payload row spec (src/payload/rowSpec.ts)', () => {
  it('every slot a SELECT of the files fills is decoded into the column the spec names, and every column is read', () => {
    const kinds: KindSpec[] = [...Object.values(PAYLOAD_ROWS), ORPHAN_ROWS];
    for (const dialect of RENDERED_DIALECTS) {
      const all = [...selects(fileText(dialect, 'payload_child_rows'), dialect), ...selects(fileText(dialect, 'payload_orphan_rows'), dialect)];
      const branchOf = new Map<string, number>();
      for (const { k, slots } of all) {
        const kind = kinds.find((x) => x.k === k);
        assert.ok(kind, `${dialect}: unknown kind ${k}`);
        const branch = branchOf.get(k) ?? 0;
        branchOf.set(k, branch + 1);
        assert.deepEqual([...slots.keys()], ['pid', 'k', ...STREAM_SLOTS]);
        const row: Row = Object.fromEntries(slots);
        const decoded = ROW_DECODERS.get(k)!.decode(row);
        assert.deepEqual(Object.keys(decoded), Object.keys(kind.fields), `${dialect} ${k}`);
        for (const [field, spec] of Object.entries(kind.fields)) {
          const want = spec.type === 'pid' ? 'p.pers_person_id' : exprText(dialect, spec.sql.length === 1 ? spec.sql[0]! : spec.sql[branch]!);
          assert.equal(decoded[field], want, `${dialect} kind ${k} branch ${branch + 1}: ${field}`);
        }
        // No slot is filled that no column decodes.
        const filled = [...slots].filter(([slot, v]) => v !== null && slot !== 'pid' && slot !== 'k').length;
        assert.equal(filled, Object.values(kind.fields).filter((f) => f.type !== 'pid').length, `${dialect} ${k}: a filled slot nobody reads`);
      }
      assert.deepEqual(Object.fromEntries(branchOf), Object.fromEntries(kinds.map((x) => [x.k, x.from.length])), dialect);
    }
    assert.equal(ORPHAN_BRANCH_KEYS.length, ORPHAN_ROWS.from.length);
  });

  it('every table.column the spec reads is in the SSD model', () => {
    const model = new Map(BUILDER_TABLES.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
    for (const kind of [...Object.values(PAYLOAD_ROWS), ORPHAN_ROWS] as KindSpec[]) {
      kind.from.forEach((from, branch) => {
        const aliases = new Map([...from.matchAll(/\{\{(\w+)\}\} (\w+)/g)].map((m) => [m[2]!, m[1]!]));
        const exprs = Object.values(kind.fields)
          .flatMap((f) => (f.sql.length === 1 ? f.sql : [f.sql[branch]!]))
          .filter((e): e is string => typeof e === 'string');
        for (const text of [from, ...exprs]) {
          for (const [, alias, column] of text.matchAll(/\b(\w+)\.(\w+)\b/g)) {
            const table = aliases.get(alias!);
            if (!table) {
              assert.equal(alias, 'ic', `kind ${kind.k}: alias ${alias} is not a table of its FROM`);
              continue;
            }
            assert.ok(model.get(table)?.has(column!), `kind ${kind.k}: ${table}.${column} is not in the SSD model`);
          }
        }
      });
    }
  });

  it('a dialect without stream syntax is refused by name', () => {
    assert.throws(() => sqlSyntax('db2' as Dialect), /no SQL syntax for dialect db2/);
  });

  it('every dialect has stream syntax and rendered files (Oracle included)', () => {
    assert.deepEqual([...RENDERED_DIALECTS].sort(), ['mssql', 'oracle', 'postgres']);
    for (const dialect of RENDERED_DIALECTS) assert.ok(sqlSyntax(dialect).personId);
  });
});
