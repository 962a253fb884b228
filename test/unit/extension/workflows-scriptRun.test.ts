import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confirmRunText, looksLikeSsdScript, resultLines, scriptTarget, selectSummary } from '../../../src/extension/core/scriptRun';

const fixture = (name: string) => readFileSync(join(process.cwd(), 'test/fixtures/scripts', name), 'utf8');

describe('Run as SSD Script: which files, which target, what SELECTs returned', () => {
  it('recognises SSD scripts by their META tags or by writing ssd_ tables', () => {
    assert.equal(looksLikeSsdScript(fixture('ssd_systemc_like.sql')), true);
    assert.equal(looksLikeSsdScript(fixture('ssd_postgres_tagged.sql')), true);
    assert.equal(looksLikeSsdScript('-- META-CONTAINER: {"type": "table", "name": "x"}\nSELECT 1;'), true);
    assert.equal(looksLikeSsdScript('CREATE TABLE ssd_development.ssd_person (pers_person_id NVARCHAR(48));'), true);
    assert.equal(looksLikeSsdScript('IF OBJECT_ID(...) IS NOT NULL DROP TABLE [ssd_development].[ssd_cin_episodes];'), true);
    assert.equal(looksLikeSsdScript('INSERT INTO "public"."ssd_address" (addr_table_id) VALUES (1);'), true);
    assert.equal(looksLikeSsdScript('SELECT p.pers_person_id INTO #ssd_tmp FROM x p;'.replace('#ssd_tmp', 'ssd_person')), true);
    // Reading an ssd_ table, or another database's script, does not make an SSD script.
    assert.equal(looksLikeSsdScript('SELECT * FROM ssd_person WHERE pers_person_id = 1;'), false);
    assert.equal(looksLikeSsdScript('CREATE TABLE orders (id int);\nINSERT INTO orders VALUES (1);'), false);
    assert.equal(looksLikeSsdScript(''), false);
  });

  it("names server, database and schema from the connection's safe description", () => {
    assert.deepEqual(scriptTarget('Council SQL', 'SQL Server ssd_user@sql01,1433/SSD_LIVE', 'ssd_development'), {
      connection: 'Council SQL',
      server: 'sql01,1433',
      database: 'SSD_LIVE',
      schema: 'ssd_development',
    });
    assert.deepEqual(scriptTarget('Win', 'SQL Server CORP\\jo@sql02\\INST/ssd', 'dbo'), { connection: 'Win', server: 'sql02\\INST', database: 'ssd', schema: 'dbo' });
    assert.deepEqual(scriptTarget('PG', 'PostgreSQL ssd@10.0.0.1:5432/ssd', 'public'), { connection: 'PG', server: '10.0.0.1:5432', database: 'ssd', schema: 'public' });
    assert.equal(scriptTarget('Folder', 'embedded PostgreSQL at /data/ssd', 'public').database, '/data/ssd');
    const c = confirmRunText('deploy.sql', scriptTarget('Council SQL', 'SQL Server u@sql01/SSD_LIVE', 'ssd_development'));
    assert.equal(c.message, 'Run deploy.sql as an SSD script on "Council SQL"?');
    assert.match(c.detail, /^Server: sql01\nDatabase: SSD_LIVE\nSchema: ssd_development\n/);
  });

  it('summarises SELECT results: counts, a small table of the first rows, one phrase for the end', () => {
    const lines = resultLines([
      {
        rows: 12,
        columns: ['id', 'code'],
        first: [
          { id: 1, code: 'c1' },
          { id: 2, code: null },
        ],
      },
      { rows: 0, columns: ['n'], first: [] },
    ]);
    assert.deepEqual(lines, ['    returned 12 rows; first 2 below:', '      id | code', '      ---+-----', '      1  | c1', '      2  | NULL', '    returned 0 rows']);
    assert.equal(resultLines([{ rows: 1, columns: ['x'], first: [{ x: 'a'.repeat(60) }] }])[2]!.trim().length, 40, 'long values are cut');
    const batch = (results?: { rows: number; columns: string[]; first: Record<string, unknown>[] }[]) => ({ ...(results ? { results } : {}) }) as never;
    assert.equal(selectSummary({ batches: [batch(), batch()] }), undefined);
    assert.equal(selectSummary({ batches: [batch([{ rows: 12, columns: ['a'], first: [] }])] }), 'a SELECT returned 12 rows; first rows in the SSD Script output');
    assert.equal(
      selectSummary({ batches: [batch([{ rows: 0, columns: [], first: [] }]), batch([{ rows: 1, columns: ['a'], first: [] }])] }),
      '2 SELECTs returned 1 row; first rows in the SSD Script output',
    );
  });
});
