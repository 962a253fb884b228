// What the SSD Tables tree reads (tables and columns, row counts, child id pages with search,
// staging counts and rows) and Build Staging with progress, against real databases.
import assert from 'node:assert/strict';
import { initTables } from '../../../src/ddl/initTables';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { findTable } from '../../../src/model/ssdModel';
import { stageWithProgress, type StageProgress } from '../../../src/extension/core/dataWork';
import { countRows, escapeLike, mergeColumns, pagePersonIds, pageStagingRows, personExists, readSchemaColumns, readStagingRow, stagingCounts, withheldPersonIds } from '../../../src/browse/inventory';
import { forEachTarget } from '../../helpers/targets';

const TABLE = 'ssd_api_data_staging_anon';

forEachTarget('extension inventory', (fx) => {
  let children = 0;

  before(async function () {
    const { db, schema } = fx();
    await initTables(db, { schema, tables: 'all' });
    const s = await generateFakeSsd(db, { schema, children: 60, seed: 'inventory', asOf: '2026-08-10' });
    children = s.rows.ssd_person;
  });

  it('lists the SSD tables present with their columns and counts rows', async () => {
    const { db, schema } = fx();
    const cols = await readSchemaColumns(db, schema);
    assert.ok(cols.has('ssd_person'));
    assert.ok(!cols.has(TABLE), 'staging tables are made by the first staging run');
    assert.ok(cols.get('ssd_person')!.some((c) => c.name === 'pers_person_id' && !c.nullable));
    assert.equal(await countRows(db, schema, 'ssd_person'), children);
    assert.ok(children >= 60);
  });

  it('pages through child ids in order, the same ids as a plain query', async () => {
    const { db, schema, t } = fx();
    const all = (await db.query<{ id: string }>(`SELECT pers_person_id AS id FROM ${t('ssd_person')}`)).map((r) => String(r.id)).sort();
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await pagePersonIds(db, schema, { pageSize: 25, ...(after !== undefined ? { after } : {}) });
      seen.push(...page.ids);
      after = page.next;
      pages++;
      assert.ok(pages < 100);
    } while (after !== undefined);
    assert.equal(pages, Math.ceil(all.length / 25));
    // Database order: compare as sets and check each page is ascending.
    assert.deepEqual([...seen].sort(), all);
    assert.equal(new Set(seen).size, seen.length, 'no id twice');
    await assert.rejects(pagePersonIds(db, schema, { pageSize: 0 }), /page size/);
  });

  it('searches ids by prefix with LIKE wildcards taken literally', async () => {
    const { db, schema, t } = fx();
    for (const id of ['Q_1', 'Q%2', 'QA3', 'Q[4]', 'Q!5']) await db.execute(`INSERT INTO ${t('ssd_person')} (pers_person_id) VALUES ($1)`, [id]);
    const find = async (prefix: string) => (await pagePersonIds(db, schema, { prefix })).ids.sort();
    assert.deepEqual(await find('Q_'), ['Q_1']);
    assert.deepEqual(await find('Q%'), ['Q%2']);
    assert.deepEqual(await find('Q['), ['Q[4]']);
    assert.deepEqual(await find('Q!'), ['Q!5']);
    assert.equal((await find('Q')).length, 5);
    assert.equal(escapeLike('a_b%c[d]!'), 'a!_b!%c![d!]!!');
  });

  it('stages with progress over the people read, then counts and pages the staging rows', async () => {
    const { db, schema } = fx();
    const progress: StageProgress[] = [];
    const r = await stageWithProgress(db, { schema, asOf: '2026-08-10', table: TABLE, batchSize: 10 }, (p) => progress.push(p));
    assert.ok(r.cohort > 0 && r.cohort <= r.persons);
    assert.equal(r.persons, await countRows(db, schema, 'ssd_person'));
    assert.ok(progress.length >= 2, 'a progress call per batch');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.persons >= progress[i - 1]!.persons);
    assert.equal(progress[0]!.totalPersons, r.persons);

    const counts = await stagingCounts(db, schema, TABLE);
    const staged = counts.reduce((a, c) => a + c.count, 0);
    assert.equal(staged, r.cohort - r.notStaged);
    assert.ok(counts.every((c) => c.rowState === 'New'));

    const rows: string[] = [];
    let after: string | undefined;
    do {
      const page = await pageStagingRows(db, schema, TABLE, { pageSize: 7, ...(after !== undefined ? { after } : {}) });
      rows.push(...page.rows.map((x) => x.id));
      // The tree shows why a Withheld row is held back (rule and path); other rows carry no reason.
      for (const x of page.rows) {
        if (x.submissionStatus === 'Withheld') assert.match(x.withheldReason ?? '', /^invalid: \S+/);
        else assert.equal(x.withheldReason, undefined);
      }
      after = page.next;
    } while (after !== undefined);
    assert.equal(rows.length, staged);
    assert.equal(
      counts.filter((c) => c.submissionStatus === 'Withheld').reduce((a, c) => a + c.count, 0),
      r.invalid,
      'the invalid children are Withheld',
    );
    const pending = counts.find((c) => c.submissionStatus === 'Pending');
    if (pending) {
      const only = await pageStagingRows(db, schema, TABLE, { rowState: 'New', submissionStatus: 'Pending', pageSize: 1000 });
      assert.equal(only.rows.length, pending.count);
      assert.ok(only.rows.every((x) => x.submissionStatus === 'Pending'));
    }
  });

  it('lists the person ids of Withheld staging rows (the tree\'s "With problems"), and tells an existing id from a prefix', async () => {
    const { db, schema, t } = fx();
    // Withhold two children's rows by hand: the list is theirs, distinct and ordered.
    const people = (await pageStagingRows(db, schema, TABLE, { pageSize: 1000 })).rows.map((r) => r.personId);
    const picked = [...new Set(people)].sort().slice(0, 2);
    const before = await withheldPersonIds(db, schema, TABLE, 1000);
    await db.execute(`UPDATE ${t(TABLE)} SET submission_status = 'Withheld' WHERE person_id IN ($1, $2)`, picked);
    const after = await withheldPersonIds(db, schema, TABLE, 1000);
    assert.deepEqual(after, [...new Set([...before, ...picked])].sort());
    assert.equal((await withheldPersonIds(db, schema, TABLE, 1)).length, 1, 'limited');
    const id = picked[0]!;
    assert.equal(await personExists(db, schema, id), true);
    assert.equal(await personExists(db, schema, id.slice(0, -1)), false, 'a prefix is not an id');
    assert.equal(await personExists(db, schema, `${id}' OR '1'='1`), false);
  });

  it('reads one staging row with its payload parsed, and nothing for an unknown id', async () => {
    const { db, schema } = fx();
    const first = (await pageStagingRows(db, schema, TABLE, { pageSize: 1 })).rows[0]!;
    const row = await readStagingRow(db, schema, TABLE, first.id);
    assert.ok(row);
    assert.equal(row.values.person_id, first.personId);
    const payload = row.values.json_payload as Record<string, unknown>;
    assert.equal(typeof payload, 'object');
    assert.equal(typeof payload.la_child_id, 'string');
    assert.equal(await readStagingRow(db, schema, TABLE, '999999999'), undefined);
    await assert.rejects(readStagingRow(db, schema, TABLE, '1; DROP TABLE x'), /invalid staging row id/);
    await assert.rejects(readStagingRow(db, schema, 'ssd_api_data_staging', '1'), /does not exist/);
  });

  it("merges model and database columns: missing ones and the authority's extra ones", async () => {
    const { db, schema, t } = fx();
    const q = db.dialect === 'mssql' ? (c: string) => `[${c}]` : (c: string) => `"${c}"`;
    await db.execute(`ALTER TABLE ${t('ssd_sdq_scores')} ADD ${q('la_extra_note')} VARCHAR(20)`);
    await db.execute(`ALTER TABLE ${t('ssd_sdq_scores')} DROP COLUMN ${q('csdq_sdq_reason')}`);
    const cols = await readSchemaColumns(db, schema);
    const merged = mergeColumns(findTable('ssd_sdq_scores')!, cols.get('ssd_sdq_scores'), db.dialect);
    const by = new Map(merged.map((c) => [c.name, c]));
    assert.equal(by.get('csdq_sdq_reason')?.present, false);
    assert.equal(by.get('la_extra_note')?.inModel, false);
    assert.match(by.get('la_extra_note')!.type, /varchar\(20\)/i);
    assert.equal(by.get('csdq_table_id')?.pk, true);
    assert.equal(merged[merged.length - 1]!.name, 'la_extra_note', "extra columns after the model's");
  });
});
