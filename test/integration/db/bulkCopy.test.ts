import assert from 'node:assert/strict';
import { bulkCopy, bulkInsert, copyTextValue } from '../../../src/db/bulkInsert';
import { forEachTarget } from '../../helpers/targets';

describe('bulkCopy: COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    assert.equal(copyTextValue(null), '\\N');
    assert.equal(copyTextValue(undefined), '\\N');
    assert.equal(copyTextValue('NULL'), 'NULL');
    assert.equal(copyTextValue('\\N'), '\\\\N');
    assert.equal(copyTextValue("O'Brien"), "O'Brien");
    assert.equal(copyTextValue('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
    assert.equal(copyTextValue('Zoë Ünïcödé'), 'Zoë Ünïcödé');
    assert.equal(copyTextValue(42), '42');
    assert.equal(copyTextValue(false), 'false');
    assert.equal(copyTextValue({ a: 'x\ty' }), '{"a":"x\\\\ty"}');
    assert.equal(copyTextValue(Buffer.from([1, 255])), '\\\\x01ff');
    assert.throws(() => copyTextValue(new Date()), /as text/);
  });
});

forEachTarget('bulkCopy', (fx) => {
  const NASTY = ["O'Brien", 'back\\slash', '\\N', 'comma, and "quotes"', '{braces}', 'NULL', '', 'Zoë Ünïcödé 😀', 'tab\there', 'new\nline', 'cr\rlf\r\n', '\\.', 'trailing\\'];
  const cols = ['id', 'name', 'at', 'score', 'flag', 'doc'];

  before(async () => {
    const { db, t } = fx();
    const text = db.dialect === 'mssql' ? 'NVARCHAR(200)' : 'VARCHAR(200)';
    const ts = db.dialect === 'mssql' ? 'DATETIME2' : 'TIMESTAMP';
    const big = db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : 'TEXT';
    for (const name of ['copy_a', 'copy_b'])
      await db.execute(`CREATE TABLE ${t(name)} (id INT NOT NULL PRIMARY KEY, name ${text} NULL, at ${ts} NULL, score INT NULL, flag CHAR(3) NULL, doc ${big} NULL)`);
  });

  it('stores exactly what bulkInsert stores (COPY on pg, bulkInsert elsewhere)', async () => {
    const { db, schema, t } = fx();
    // The pg driver streams COPY; PGlite (and SQL Server) take bulkInsert's path.
    assert.equal(typeof db.copyFrom === 'function', db.kind === 'postgres');
    const at = db.dialect === 'mssql' ? '2024-02-29T10:11:12.5' : '2024-02-29 10:11:12.5';
    const rows = NASTY.map((s, i) => [i, s, i % 3 === 0 ? null : at, i % 2 ? null : i * 7, i % 2 ? 'Y' : 'NO', i % 4 ? JSON.stringify({ s }) : null]);
    assert.equal(await bulkCopy(db, db.dialect, schema, 'copy_a', cols, rows), NASTY.length);
    assert.equal(await bulkInsert(db, db.dialect, schema, 'copy_b', cols, rows), NASTY.length);
    const read = (name: string) => db.query<Record<string, unknown>>(`SELECT ${cols.join(', ')} FROM ${t(name)} ORDER BY id`);
    const [a, b] = [await read('copy_a'), await read('copy_b')];
    assert.equal(a.length, NASTY.length);
    assert.deepEqual(a, b);
    a.forEach((r, i) => assert.equal(r.name, NASTY[i]));
  });

  it('writes nothing of a batch with a value that does not fit, and says so without the value', async () => {
    const { db, schema, t } = fx();
    const secret = `Secretname${'x'.repeat(300)}`;
    await assert.rejects(
      bulkCopy(
        db,
        db.dialect,
        schema,
        'copy_a',
        ['id', 'name'],
        [
          [900, 'fine'],
          [901, secret],
        ],
      ),
      (e: Error) => !e.message.includes('Secretname'),
    );
    const [c] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t('copy_a')} WHERE id >= 900`);
    assert.equal(Number(c!.n), 0);
  });

  it('rolls back with the transaction', async () => {
    const { db, schema, t } = fx();
    await assert.rejects(
      db.transaction(async (tx) => {
        await bulkCopy(
          tx,
          db.dialect,
          schema,
          'copy_a',
          ['id', 'name'],
          [
            [5000, 'ok'],
            [5001, 'ok'],
          ],
        );
        throw new Error('stop');
      }),
      /stop/,
    );
    const [c] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t('copy_a')} WHERE id >= 5000`);
    assert.equal(Number(c!.n), 0);
  });

  it('validates names and row widths like bulkInsert', async () => {
    const { db, schema } = fx();
    await assert.rejects(bulkCopy(db, db.dialect, schema, 'copy_a; DROP', ['id'], [[1]]), /table/i);
    await assert.rejects(bulkCopy(db, db.dialect, schema, 'copy_a', ['id', 'name'], [[1]]), /row 1 has 1 values/);
    assert.equal(await bulkCopy(db, db.dialect, schema, 'copy_a', ['id'], []), 0);
  });
});
