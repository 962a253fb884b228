// The SQL Server extension's connection sharing API as a Db (src/db/sharedConnectionDriver.ts),
// against a scripted stand-in for the extension's executeSimpleQuery that answers the way the
// extension does (first result set only, display text, an error for a batch without results).
// What is pinned: typed sp_executesql parameters (values never in the statement text), value
// conversion, paged reads that never ask for more than a page, and the permission refusal.
import assert from 'node:assert/strict';
import { SharedConnectionDb, sharedParam, sharedStatement, type ConnectionSharingLike, type SimpleExecuteResult } from '../../../src/db/sharedConnectionDriver';
import { CancelledError, DbError } from '../../../src/db/types';

const cell = (v: string | null) => ({ displayValue: v ?? 'NULL', isNull: v === null });

/** A stand-in for ms-mssql.mssql's connectionSharing, with a 50,000-row result for streams. */
function fakeSharing(rows = 50_000) {
  const sent: string[] = [];
  let served = 0;
  let maxPage = 0;
  const api: ConnectionSharingLike & { sent: string[]; served: () => number; maxPage: () => number } = {
    sent,
    served: () => served,
    maxPage: () => maxPage,
    async getActiveEditorConnectionId() {
      return 'conn-1';
    },
    async connect(_ext, id) {
      return id === 'conn-1' ? 'uri-1' : undefined;
    },
    async executeSimpleQuery(_uri, q): Promise<SimpleExecuteResult> {
      sent.push(q);
      if (/SCHEMA_NAME\(\)/.test(q)) return { rowCount: 1, columnInfo: [{ columnName: 's', dataTypeName: 'nvarchar' }], rows: [[cell('ssd')]] };
      if (/dm_exec_describe_first_result_set/.test(q)) {
        return {
          rowCount: 3,
          columnInfo: [{ columnName: 'name' }, { columnName: 'type' }],
          rows: [
            [cell('pid'), cell('nvarchar(48)')],
            [cell('d1'), cell('datetime2(7)')],
            [cell('n1'), cell('int')],
          ],
        };
      }
      if (/^CREATE TABLE #ssd_stream/.test(q)) return { rowCount: 1, columnInfo: [{ columnName: 'n', dataTypeName: 'bigint' }], rows: [[cell(String(rows))]] };
      const page = /WHERE ssd_rn BETWEEN (\d+) AND (\d+)/.exec(q);
      if (page) {
        const from = Number(page[1]);
        const to = Math.min(rows, Number(page[2]));
        const out = [];
        for (let i = from; i <= to; i++) out.push([cell(`P${String(i).padStart(6, '0')}`), cell(i % 7 ? '2024-03-31 01:30:05.1200000' : null), cell(String(i))]);
        served += out.length;
        maxPage = Math.max(maxPage, out.length);
        return { rowCount: out.length, columnInfo: [{ columnName: 'pid' }, { columnName: 'd1' }, { columnName: 'n1' }], rows: out };
      }
      if (/^DROP TABLE #ssd_stream/.test(q)) return { rowCount: 1, columnInfo: [{ columnName: 'dropped' }], rows: [[cell('1')]] };
      if (/SELECT @@ROWCOUNT AS ssd_rowcount/.test(q)) return { rowCount: 1, columnInfo: [{ columnName: 'ssd_rowcount', dataTypeName: 'int' }], rows: [[cell('3')]] };
      if (/@@TRANCOUNT/.test(q)) return { rowCount: 1, columnInfo: [{ columnName: 'trancount', dataTypeName: 'int' }], rows: [[cell('1')]] };
      if (/^CREATE VIEW/.test(q)) throw new Error('Query has no results to return');
      if (/nope/.test(q)) throw new Error("Msg 208, Level 16, State 1, Line 1\nInvalid object name 'nope'.");
      return {
        rowCount: 1,
        columnInfo: [
          { columnName: 'b', dataTypeName: 'bit' },
          { columnName: 'big', dataTypeName: 'bigint' },
          { columnName: 'bin', dataTypeName: 'varbinary' },
          { columnName: 'dt', dataTypeName: 'date' },
          { columnName: 'dto', dataTypeName: 'datetimeoffset' },
          { columnName: 't', dataTypeName: 'nvarchar' },
        ],
        rows: [[cell('1'), cell('9007199254740993'), cell('0x0102'), cell('2024-01-02'), cell('2024-01-02 10:00:00.0000000 +01:00'), { displayValue: "O'Brien", isNull: false }]],
      };
    },
    getServerInfo() {
      return { serverVersion: '16.0.4135.4', serverMajorVersion: 16 };
    },
    disconnect() {
      sent.push('(disconnect)');
    },
  };
  return api;
}

describe("SQL Server through the SQL Server extension's connection sharing", () => {
  it('opens through connect() and reads the default schema; a refused permission is one clear line', async () => {
    const api = fakeSharing();
    const db = await SharedConnectionDb.open(api, 'ssd-workbench.ssd-workbench', 'conn-1', 'LA reporting');
    assert.equal(db.defaultSchema, 'ssd');
    assert.equal(db.description, 'SQL Server 16.0.4135.4 LA reporting (through the SQL Server extension)');
    await db.close();
    assert.equal(api.sent.at(-1), '(disconnect)');
    await assert.rejects(SharedConnectionDb.open(api, 'x', 'other', 'LA reporting'), /did not share the connection "LA reporting" \(permission refused/);
  });

  it('sends parameters as typed sp_executesql arguments, never spliced into the statement', () => {
    const st = sharedStatement("SELECT * FROM t WHERE id = $1 AND n > $2 AND note = '$1' AND ok = $3", ["O'Brien'; DROP TABLE t --", 5, true]);
    assert.equal(
      st.sql,
      "EXEC sp_executesql N'SELECT * FROM t WHERE id = @p1 AND n > @p2 AND note = ''$1'' AND ok = @p3', N'@p1 NVARCHAR(MAX), @p2 INT, @p3 BIT', @p1 = N'O''Brien''; DROP TABLE t --', @p2 = 5, @p3 = 1",
    );
    assert.equal(sharedStatement('SELECT 1', []).sql, 'SELECT 1');
    assert.deepEqual(sharedParam(null, 1), { decl: '@p1 NVARCHAR(1)', literal: 'NULL' });
    assert.deepEqual(sharedParam(1.5, 2), { decl: '@p2 FLOAT', literal: '1.5e+0' });
    assert.deepEqual(sharedParam(new Uint8Array([1, 255]), 3), { decl: '@p3 VARBINARY(MAX)', literal: '0x01ff' });
    assert.deepEqual(sharedParam(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), 4), { decl: '@p4 DATETIME2(7)', literal: "'2024-01-02T03:04:05'" });
    assert.throws(() => sharedParam(NaN, 5), DbError);
    assert.throws(() => sharedStatement('SELECT $2', [1]), /uses \$2 but 1 parameter was given/);
  });

  it('converts display text by column type, as the driver returns values', async () => {
    const db = await SharedConnectionDb.open(fakeSharing(), 'e', 'conn-1', 'x');
    const [r] = await db.query('SELECT b, big, bin, dt, dto, t FROM v WHERE id = $1', ['a']);
    assert.deepEqual(r, { b: true, big: '9007199254740993', bin: Buffer.from([1, 2]), dt: '2024-01-02', dto: '2024-01-02T09:00:00.000Z', t: "O'Brien" });
  });

  it('streams 50,000 rows in pages without asking for more than a page at a time', async () => {
    const api = fakeSharing(50_000);
    const db = await SharedConnectionDb.open(api, 'e', 'conn-1', 'x');
    let n = 0;
    let ahead = 0;
    for await (const r of db.stream<{ pid: string; d1: string | null; n1: number }>('SELECT pid, d1, n1 FROM big WHERE x = $1 ORDER BY pid', ['y'], { batchSize: 1000 })) {
      n++;
      ahead = Math.max(ahead, api.served() - n);
      assert.equal(r.n1, n);
      assert.equal(r.pid, `P${String(n).padStart(6, '0')}`);
      assert.equal(r.d1, n % 7 ? '2024-03-31T01:30:05.12' : null);
    }
    assert.equal(n, 50_000);
    assert.equal(api.maxPage(), 1000);
    assert.ok(ahead < 1000, `read ${ahead} rows ahead of the consumer`);
    const fill = api.sent.find((q) => q.startsWith('CREATE TABLE #ssd_stream'))!;
    assert.match(fill, /INSERT INTO #ssd_stream_\d+_1 \(\[pid\], \[d1\], \[n1\]\) EXEC sp_executesql N'SELECT pid, d1, n1 FROM big WHERE x = @p1 ORDER BY pid', N'@p1 NVARCHAR\(MAX\)', @p1 = N'y'/);
    assert.match(api.sent.at(-1)!, /^DROP TABLE #ssd_stream_\d+_1/);
  });

  it('stops a stream early and still drops its table', async () => {
    const api = fakeSharing(10_000);
    const db = await SharedConnectionDb.open(api, 'e', 'conn-1', 'x');
    let n = 0;
    for await (const _ of db.stream('SELECT pid, d1, n1 FROM big', [], { batchSize: 100 })) if (++n === 150) break;
    assert.equal(api.served(), 200);
    assert.match(api.sent.at(-1)!, /^DROP TABLE/);
  });

  it('execute returns the count; a batch without results is not an error; errors keep number and line; cancel stops the next statement', async () => {
    const db = await SharedConnectionDb.open(fakeSharing(), 'e', 'conn-1', 'x');
    assert.equal(await db.execute('UPDATE t SET a = $1', [1]), 3);
    assert.deepEqual((await db.runBatch('CREATE VIEW v AS SELECT 1 AS one')).rowsAffected, []);
    await assert.rejects(db.query('SELECT * FROM nope'), (e: unknown) => e instanceof DbError && e.details.code === 208 && e.details.line === 1 && /Invalid object name 'nope'/.test(e.message));
    await db.cancel();
    await assert.rejects(db.query('SELECT 1'), CancelledError);
    assert.equal(await db.execute('UPDATE t SET a = 2'), 3);
  });
});
