// ssd scramble against real databases: seeded fake data with the demo's problems, scrambled into
// other schemas of the same database (and, with SSD_TEST_PG, from PGlite into PostgreSQL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchemaSql, qualify, quoteIdent } from '../../../src/db/dialect';
import { openDb } from '../../../src/db/openDb';
import type { Db, Row } from '../../../src/db/types';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { initTables } from '../../../src/ddl/initTables';
import { BUILDER_TABLES, findTable } from '../../../src/model/ssdModel';
import { CHILD_COLUMN, roleOf } from '../../../src/scramble/policy';
import { runScramble, ScrambleRefusedError, SCRAMBLE_RUNS_TABLE } from '../../../src/scramble/runScramble';
import { Scrambler } from '../../../src/scramble/values';
import { runCli } from '../../helpers/runCli';
import { forEachTarget } from '../../helpers/targets';

const AS_OF = '2026-08-10';
const CHILDREN = 120;
const SHARES = { missingUpn: 0.1, badPostcode: 0.1, endBeforeStart: 0.1, orphanReferral: 0.1, duplicateSdq: 0.1, codesAsDescriptions: 0.1, factorsAsObject: 0.1, factorsAsCommaList: 0.1 };
const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

async function newSchema(db: Db, tag: string): Promise<string> {
  const s = `ssd_s_${tag}_${randomBytes(3).toString('hex')}`;
  await db.execute(createSchemaSql(db.dialect, s));
  return s;
}

async function dropSchemaTables(db: Db, schema: string): Promise<void> {
  if (db.dialect === 'postgres') {
    await db.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', schema)} CASCADE`);
    return;
  }
  const tables = await db.query<{ name: string }>(`SELECT t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE s.name = $1`, [schema]);
  for (const { name } of tables) await db.execute(`DROP TABLE ${qualify('mssql', schema, name)}`);
  await db.execute(`DROP SCHEMA ${quoteIdent('mssql', schema)}`);
}

async function tableRows(db: Db, schema: string, table: string): Promise<Row[]> {
  return db.query<Row>(`SELECT * FROM ${qualify(db.dialect, schema, table)}`);
}

const canon = (rows: Row[]) =>
  rows
    .map((r) =>
      JSON.stringify(
        Object.keys(r)
          .sort()
          .map((k) => [k, r[k]]),
      ),
    )
    .sort();

async function textCells(db: Db, schema: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const t of BUILDER_TABLES) {
    for (const r of await tableRows(db, schema, t.name)) for (const v of Object.values(r)) if (typeof v === 'string' && v.trim()) out.add(v.trim().toLowerCase());
  }
  return out;
}

const day = (v: unknown) => Math.round(Date.parse(String(v).slice(0, 10) + 'T00:00:00Z') / 86_400_000);

forEachTarget('ssd scramble', (fx, target) => {
  const made: string[] = [];
  let copyA: string;

  before(async function () {
    this.timeout(600_000);
    const { db, schema } = fx();
    await generateFakeSsd(db, { schema, children: CHILDREN, seed: 'scramble', asOf: AS_OF, shares: SHARES });
    copyA = await newSchema(db, 'a');
    made.push(copyA);
    const r = await runScramble(db, db, { fromSchema: schema, toSchema: copyA, key: KEY_A, asOf: AS_OF });
    assert.equal(r.failure, null);
    assert.ok(r.ok);
  });

  // The fixture's own connection is closed by then (its after hook runs first): use another one.
  after(async () => {
    if (target.name === 'pglite') return;
    const db = await openDb(target.url);
    try {
      for (const s of made) await dropSchemaTables(db, s);
    } finally {
      await db.close();
    }
  });

  it('copies every row, marks the copy and finds no original value in it', async () => {
    const { db, schema } = fx();
    for (const t of BUILDER_TABLES) {
      const [a, b] = [await tableRows(db, schema, t.name), await tableRows(db, copyA, t.name)];
      assert.equal(b.length, a.length, t.name);
    }
    const [m] = await db.query<{ status: string; key_fingerprint: string }>(`SELECT status, key_fingerprint FROM ${qualify(db.dialect, copyA, SCRAMBLE_RUNS_TABLE)}`);
    assert.equal(m?.status, 'complete');
    assert.equal(m?.key_fingerprint, new Scrambler(KEY_A).fingerprint());

    // Every original id, UPN, postcode and date of birth is absent from every text cell of the copy.
    const cells = await textCells(db, copyA);
    let looked = 0;
    for (const t of BUILDER_TABLES) {
      const model = findTable(t.name)!;
      for (const r of await tableRows(db, schema, t.name)) {
        for (const c of model.columns) {
          const role = roleOf(model, c);
          const v = r[c.name];
          if (typeof v !== 'string' || v.trim().length < 3) continue;
          if (role === 'id' || role === 'registration' || role === 'upn' || role === 'postcode' || role === 'linkValue') {
            if (role === 'postcode' && /^(UNKNOWN|N\/A|NFA|TBC)$/.test(v)) continue;
            looked++;
            assert.ok(!cells.has(v.trim().toLowerCase()), `${t.name}.${c.name} value survived`);
          }
        }
      }
    }
    assert.ok(looked > CHILDREN * 5);
    // Each child's names and date of birth differ from the originals.
    const s = new Scrambler(KEY_A);
    const copyPeople = new Map((await tableRows(db, copyA, 'ssd_person')).map((r) => [r.pers_person_id as string, r]));
    for (const p of await tableRows(db, schema, 'ssd_person')) {
      const c = copyPeople.get(s.id(p.pers_person_id as string))!;
      assert.ok(c, 'the child is in the copy under its pseudonym');
      if (!/^(Unborn|Baby)$/.test(String(p.pers_forename))) assert.notEqual(String(c.pers_forename).toLowerCase(), String(p.pers_forename).toLowerCase());
      assert.notEqual(String(c.pers_surname).toLowerCase(), String(p.pers_surname).toLowerCase());
      if (p.pers_dob) {
        assert.notEqual(String(c.pers_dob).slice(0, 10), String(p.pers_dob).slice(0, 10));
        assert.ok(!cells.has(String(p.pers_dob).slice(0, 10)));
      }
      assert.equal(c.pers_ethnicity, p.pers_ethnicity, 'codes kept');
      assert.equal(c.pers_sex, p.pers_sex);
      assert.equal(c.pers_upn === null, p.pers_upn === null);
    }
  });

  it('moves all dates of one child by the same offset in every table (order and intervals kept)', async () => {
    const { db, schema } = fx();
    const s = new Scrambler(KEY_A);
    const offsets = new Map<string, Set<number>>();
    let dates = 0;
    for (const t of BUILDER_TABLES) {
      const model = findTable(t.name)!;
      const childCol = CHILD_COLUMN[t.name];
      const dateCols = model.columns.filter((c) => roleOf(model, c) === 'date').map((c) => c.name);
      const key = model.primaryKey[0];
      if (!childCol || !dateCols.length || !key) continue;
      const copy = await tableRows(db, copyA, t.name);
      // Rows by their pseudonymous key (duplicate SDQ rows share a key: any of them will do).
      const byKey = new Map<string, Row[]>();
      for (const r of copy) byKey.set(String(r[key]), [...(byKey.get(String(r[key])) ?? []), r]);
      for (const r of await tableRows(db, schema, t.name)) {
        const child: unknown = r[childCol];
        if (typeof child !== 'string') continue;
        const c = byKey.get(s.id(String(r[key])))?.[0];
        assert.ok(c, `${t.name} row found by pseudonym`);
        assert.equal(c[childCol], s.id(child));
        for (const d of dateCols) {
          if (r[d] === null) {
            assert.equal(c[d], null);
            continue;
          }
          const off = day(c[d]) - day(r[d]);
          assert.ok(off !== 0 && Math.abs(off) <= 45, `${t.name}.${d} moved by ${off}`);
          if (String(r[d]).length > 10) assert.equal(String(c[d]).slice(10), String(r[d]).slice(10), 'time of day kept');
          let set = offsets.get(child);
          if (!set) offsets.set(child, (set = new Set()));
          set.add(off);
          dates++;
        }
      }
    }
    assert.ok(dates > CHILDREN * 3);
    for (const [, set] of offsets) assert.equal(set.size, 1, 'one offset per child across all tables');
  });

  it('the same key gives the same copy; another key a different one', async () => {
    const { db, schema } = fx();
    const again = await newSchema(db, 'a2');
    const other = await newSchema(db, 'b');
    made.push(again, other);
    // Small batches (many reads and inserts in flight) make the same copy as one big batch.
    assert.ok((await runScramble(db, db, { fromSchema: schema, toSchema: again, key: Buffer.from(KEY_A), asOf: null, batchSize: 7 })).ok);
    assert.ok((await runScramble(db, db, { fromSchema: schema, toSchema: other, key: KEY_B, asOf: null })).ok);
    for (const t of BUILDER_TABLES) {
      const a = canon(await tableRows(db, copyA, t.name));
      assert.deepEqual(canon(await tableRows(db, again, t.name)), a, t.name);
      if (a.length) assert.notDeepEqual(canon(await tableRows(db, other, t.name)), a, t.name);
    }
  });

  it('finds the same kinds of problems: ssd check rule by rule on the source and the copy', async () => {
    const { db, schema } = fx();
    const r = await runScramble(db, db, { fromSchema: schema, toSchema: await newSchema(db, 'c'), key: KEY_A, asOf: AS_OF });
    made.push(r.to.schema);
    assert.ok(r.ok && r.checks);
    const fired = r.checks.filter((c) => c.source > 0);
    assert.ok(fired.length >= 8, 'the demo problems show in the source');
    // Rules whose counts can move with the dates (as-of, window, cohort): named in docs/scramble.md.
    const dateSensitive = /after the as-of date|reporting window/i;
    let same = 0;
    for (const c of r.checks) {
      if (dateSensitive.test(c.title) || c.ruleId.startsWith('SSD-COHO')) continue;
      same++;
      assert.equal(c.copy, c.source, `${c.ruleId} ${c.title}`);
    }
    assert.ok(same >= 8);
    for (const id of ['SSD-PERS-006', 'SSD-PERS-007', 'SSD-ADDR-004', 'SSD-CINE-007', 'SSD-SDQ-007', 'SSD-CINA-004']) {
      const row: { copy: number; source: number } | undefined = r.checks.find((c) => c.ruleId === id);
      if (row) assert.equal(row.copy, row.source, id);
    }
  });

  it('refuses to scramble onto its own tables, and into tables that hold rows', async () => {
    const { db, schema } = fx();
    await assert.rejects(runScramble(db, db, { fromSchema: schema, toSchema: schema.toUpperCase(), key: KEY_A }), ScrambleRefusedError);
    await assert.rejects(runScramble(db, db, { fromSchema: schema, toSchema: copyA, key: KEY_A }), /already hold rows/);
  });

  it("--tables all: the other SSD tables too, a mother's child's dates with the child, text dates, upper-case columns", async () => {
    const { db } = fx();
    const src = await newSchema(db, 'all');
    const dst = await newSchema(db, 'alld');
    made.push(src, dst);
    await initTables(db, { schema: src, tables: 'all' });
    await generateFakeSsd(db, { schema: src, children: 10, seed: 'all', asOf: AS_OF });
    const q = (t: string) => qualify(db.dialect, src, t);
    const [p1, p2] = (await db.query<{ id: string; dob: string }>(`SELECT pers_person_id AS id, pers_dob AS dob FROM ${q('ssd_person')} ORDER BY pers_person_id`)).slice(0, 2);
    const ts = (d: string) => (db.dialect === 'mssql' ? `${d.slice(0, 10)}T00:00:00` : d.slice(0, 10));
    await db.execute(`INSERT INTO ${q('ssd_mother')} (moth_table_id, moth_person_id, moth_childs_person_id, moth_childs_dob) VALUES ($1, $2, $3, $4)`, ['M1', p1!.id, p2!.id, ts(String(p2!.dob))]);
    await db.execute(`INSERT INTO ${q('ssd_cla_previous_permanence')} (lapp_table_id, lapp_person_id, lapp_previous_permanence_order_date) VALUES ($1, $2, $3), ($4, $5, $6)`, [
      'L1',
      p1!.id,
      '03/04/2019',
      'L2',
      p2!.id,
      'unknown',
    ]);
    const pre = ['FACT_FORM_ID', 'DIM_PERSON_ID', 'ANSWER'].map((c) => quoteIdent(db.dialect, c)).join(', ');
    await db.execute(`INSERT INTO ${q('ssd_pre_cla_care_plan')} (${pre}) VALUES ($1, $2, $3)`, ['F1', p1!.id, 'free text about the family']);
    const r = await runScramble(db, db, { fromSchema: src, toSchema: dst, key: KEY_A, asOf: null, tables: 'all' });
    assert.ok(r.ok, r.failure ?? '');
    assert.ok(r.tables.some((t) => t.table === 'ssd_mother' && t.rowsOut === 1));
    assert.ok(r.blankedColumns.includes('ssd_pre_cla_care_plan.ANSWER'));
    const s = new Scrambler(KEY_A);
    const d = (t: string) => qualify(db.dialect, dst, t);
    const [m] = await db.query<Row>(`SELECT * FROM ${d('ssd_mother')}`);
    const [kid] = await db.query<Row>(`SELECT pers_dob FROM ${d('ssd_person')} WHERE pers_person_id = $1`, [s.id(p2!.id)]);
    assert.equal(m!.moth_childs_person_id, s.id(p2!.id));
    assert.equal(String(m!.moth_childs_dob).slice(0, 10), String(kid!.pers_dob).slice(0, 10), "the child's date of birth moved with the child");
    const lapp = await db.query<Row>(`SELECT lapp_person_id, lapp_previous_permanence_order_date AS d FROM ${d('ssd_cla_previous_permanence')}`);
    const byPerson = new Map(lapp.map((x) => [x.lapp_person_id, x.d]));
    const off = s.dateOffset(p1!.id);
    const want = new Date(Date.UTC(2019, 3, 3) + off * 86_400_000).toISOString().slice(0, 10);
    assert.equal(byPerson.get(s.id(p1!.id)), `${want.slice(8, 10)}/${want.slice(5, 7)}/${want.slice(0, 4)}`);
    assert.equal(byPerson.get(s.id(p2!.id)), null, 'a text date that is not a date is blanked');
    const [pc] = await db.query<Row>(`SELECT * FROM ${d('ssd_pre_cla_care_plan')}`);
    const get = (k: string) => Object.entries(pc!).find(([c]) => c.toLowerCase() === k)?.[1];
    assert.equal(get('dim_person_id'), s.id(p1!.id));
    assert.equal(get('answer'), null);
  });

  it('knows two connections to the same server database are one database', async function () {
    const { db, schema, target } = fx();
    if (target.name === 'pglite') this.skip();
    const other = await openDb(target.url);
    try {
      await assert.rejects(runScramble(db, other, { fromSchema: schema, toSchema: schema, key: KEY_A }), /onto itself/);
    } finally {
      await other.close();
    }
  });

  it('blanks and names a column it does not know', async () => {
    const { db, schema } = fx();
    const src = await newSchema(db, 'u');
    const dst = await newSchema(db, 'ud');
    made.push(src, dst);
    await generateFakeSsd(db, { schema: src, children: 5, seed: 'u', asOf: AS_OF });
    const text = db.dialect === 'mssql' ? 'NVARCHAR(200)' : 'VARCHAR(200)';
    await db.execute(`ALTER TABLE ${qualify(db.dialect, src, 'ssd_person')} ADD ${quoteIdent(db.dialect, 'pers_notes')} ${text} NULL`);
    await db.execute(`UPDATE ${qualify(db.dialect, src, 'ssd_person')} SET ${quoteIdent(db.dialect, 'pers_notes')} = $1`, ['lives with aunt at 1 High Street']);
    // A duplicate key, as LA tables without a primary key hold: the copy keeps it, ssd check finds it in both.
    const addr = qualify(db.dialect, src, 'ssd_address');
    await db.execute(`ALTER TABLE ${addr} DROP CONSTRAINT ${quoteIdent(db.dialect, 'pk_ssd_address')}`);
    await db.execute(
      `INSERT INTO ${addr} (addr_table_id, addr_person_id, addr_address_postcode) SELECT addr_table_id, addr_person_id, addr_address_postcode FROM ${addr} WHERE addr_table_id = (SELECT MIN(addr_table_id) FROM ${addr})`,
    );
    const r = await runScramble(db, db, { fromSchema: src, toSchema: dst, key: KEY_A, asOf: AS_OF });
    assert.ok(r.ok, r.failure ?? '');
    assert.deepEqual(r.unknownColumns, ['ssd_person.pers_notes']);
    const dup = r.checks!.find((c) => c.ruleId === 'SSD-ADDR-001');
    assert.deepEqual([dup?.source, dup?.copy], [1, 1]);
    const rows = await db.query<{ n: number | string; v: number | string }>(`SELECT COUNT(*) AS n, COUNT(${quoteIdent(db.dialect, 'pers_notes')}) AS v FROM ${qualify(db.dialect, dst, 'ssd_person')}`);
    assert.equal(Number(rows[0]!.n), 5);
    assert.equal(Number(rows[0]!.v), 0, 'blanked');
    void schema;
  });

  it('drops what it wrote when an insert fails part-way', async () => {
    const { db } = fx();
    const src = await newSchema(db, 'w');
    const dst = await newSchema(db, 'wd');
    made.push(src, dst);
    await generateFakeSsd(db, { schema: src, children: 30, seed: 'w', asOf: AS_OF });
    const t = qualify(db.dialect, src, 'ssd_cin_episodes');
    // A code wider than the model's column: the copy's insert fails on the last table rows.
    await db.execute(
      db.dialect === 'mssql' ? `ALTER TABLE ${t} ALTER COLUMN cine_referral_source_code NVARCHAR(100) NULL` : `ALTER TABLE ${t} ALTER COLUMN cine_referral_source_code TYPE VARCHAR(100)`,
    );
    const [last] = await db.query<{ id: string }>(`SELECT MAX(cine_referral_id) AS id FROM ${t}`);
    await db.execute(`UPDATE ${t} SET cine_referral_source_code = $1 WHERE cine_referral_id = $2`, ['9'.repeat(60), last!.id]);
    await assert.rejects(runScramble(db, db, { fromSchema: src, toSchema: dst, key: KEY_A, asOf: null, batchSize: 5 }));
    const left = await db.query(`SELECT table_name FROM information_schema.tables WHERE LOWER(table_schema) = LOWER($1)`, [dst]);
    assert.equal(left.length, 0, 'everything written was dropped');
  });

  it('fails the verification and drops what it wrote when an original value would survive', async () => {
    const { db } = fx();
    const src = await newSchema(db, 'v');
    const dst = await newSchema(db, 'vd');
    made.push(src, dst);
    await generateFakeSsd(db, { schema: src, children: 5, seed: 'v', asOf: AS_OF });
    // A person id written into a code column (kept as it is): the scan must catch it.
    const [p] = await db.query<{ id: string }>(`SELECT MIN(pers_person_id) AS id FROM ${qualify(db.dialect, src, 'ssd_person')}`);
    await db.execute(`UPDATE ${qualify(db.dialect, src, 'ssd_cin_episodes')} SET cine_referral_source_code = $1`, [p!.id]);
    const r = await runScramble(db, db, { fromSchema: src, toSchema: dst, key: KEY_A, asOf: null });
    assert.equal(r.ok, false);
    assert.ok(r.scan.survivors.some((x) => x.table === 'ssd_cin_episodes' && x.column === 'cine_referral_source_code' && x.count > 0));
    const left = await db.query(`SELECT table_name FROM information_schema.tables WHERE LOWER(table_schema) = LOWER($1)`, [dst]);
    assert.equal(left.length, 0, 'everything written was dropped');
  });

  it('the scan (values in a temporary table behind a filter) catches a name, a date of birth and a postcode planted in kept columns, any case, inside a JSON list', async () => {
    const { db } = fx();
    const src = await newSchema(db, 'l');
    const dst = await newSchema(db, 'ld');
    made.push(src, dst);
    await generateFakeSsd(db, { schema: src, children: 30, seed: 'leak', asOf: AS_OF });
    const q = (t: string) => qualify(db.dialect, src, t);
    // One child's surname (upper-cased) as the referral source code of another child's referrals.
    const [p] = await db.query<{ id: string; surname: string; dob: string }>(
      `SELECT pers_person_id AS id, pers_surname AS surname, pers_dob AS dob FROM ${q('ssd_person')} WHERE pers_dob IS NOT NULL AND pers_person_id = (SELECT MAX(pers_person_id) FROM ${q('ssd_person')} WHERE pers_dob IS NOT NULL)`,
    );
    const [pc] = await db.query<{ pc: string }>(`SELECT MIN(addr_address_postcode) AS pc FROM ${q('ssd_address')} WHERE addr_address_postcode LIKE $1`, ['% %']);
    assert.ok(p && pc?.pc);
    const surname = String(p.surname).toUpperCase().slice(0, 20);
    assert.ok(surname.length >= 3);
    const [e] = await db.query<{ id: string }>(`SELECT MIN(cine_referral_id) AS id FROM ${q('ssd_cin_episodes')} WHERE cine_person_id <> $1`, [p.id]);
    assert.equal(await db.execute(`UPDATE ${q('ssd_cin_episodes')} SET cine_referral_source_code = $1 WHERE cine_referral_id = $2`, [surname, e!.id]), 1);
    // Its date of birth (DD/MM/YYYY) and a postcode (lower case) as items of an assessment's factors list.
    const dob = String(p.dob).slice(0, 10);
    const factors = JSON.stringify(['1A', `${dob.slice(8, 10)}/${dob.slice(5, 7)}/${dob.slice(0, 4)}`, pc.pc.toLowerCase()]);
    const [f] = await db.query<{ id: string }>(`SELECT MIN(cinf_table_id) AS id FROM ${q('ssd_assessment_factors')}`);
    assert.ok(f?.id, 'the fake data has assessment factors');
    assert.equal(await db.execute(`UPDATE ${q('ssd_assessment_factors')} SET cinf_assessment_factors_json = $1 WHERE cinf_table_id = $2`, [factors, f.id]), 1);
    const r = await runScramble(db, db, { fromSchema: src, toSchema: dst, key: KEY_A, asOf: null });
    assert.equal(r.ok, false);
    const found = (table: string, column: string) => r.scan.survivors.find((x) => x.table === table && x.column === column)?.count ?? 0;
    assert.equal(found('ssd_cin_episodes', 'cine_referral_source_code'), 1, 'the surname');
    assert.equal(found('ssd_assessment_factors', 'cinf_assessment_factors_json'), 2, 'the date of birth and the postcode');
    assert.ok(r.scan.valuesKnown > 30 * 3);
    const left = await db.query(`SELECT table_name FROM information_schema.tables WHERE LOWER(table_schema) = LOWER($1)`, [dst]);
    assert.equal(left.length, 0, 'everything written was dropped');
  });
});

describe('ssd scramble (CLI)', () => {
  it('makes a verified copy between two databases and prints rows in/out, the scan and the checks', async function () {
    this.timeout(300_000);
    const dir = mkdtempSync(join(tmpdir(), 'ssd-scr-'));
    const src = `pglite:${join(dir, 'src')}`;
    const dst = process.env.SSD_TEST_PG ?? `pglite:${join(dir, 'dst')}`;
    const toSchema = `ssd_s_cli_${randomBytes(3).toString('hex')}`;
    const db = await openDb(src);
    try {
      await generateFakeSsd(db, { children: 20, seed: 'cli', asOf: AS_OF, shares: SHARES });
    } finally {
      await db.close();
    }
    const key = join(dir, 'scramble.key');
    try {
      const r = await runCli(['scramble', '--from', src, '--to', dst, '--to-schema', toSchema, '--key-file', key, '--as-of', AS_OF]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stderr, /created a new scramble key/);
      assert.match(r.stdout, /ssd_person\s+20 in\s+20 out/);
      assert.match(r.stdout, /No original value found in the copy/);
      assert.match(r.stdout, /findings per rule \(source \| copy\)/);
      const refused = await runCli(['scramble', '--from', src, '--to', src, '--key-file', key]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /refusing to scramble schema public onto itself/);
      const noKey = await runCli(['scramble', '--from', src, '--to-schema', 'x']);
      assert.equal(noKey.code, 2);
    } finally {
      const t = await openDb(dst);
      await t.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', toSchema)} CASCADE`).catch(() => undefined);
      await t.close();
    }
  });
});
