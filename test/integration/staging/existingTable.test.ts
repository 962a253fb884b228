// An LA's existing staging table is used as it is: the community layout (person_id 20 characters,
// no legacy_id in older versions; JSONB payloads in the PostgreSQL port).
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { child, stream } from './fixtures';

forEachTarget('staging into an existing community table', (fx) => {
  it('works without legacy_id, with JSON columns, and reports ids too long for person_id instead of failing', async () => {
    const { db, schema } = fx();
    const t = fx().t('ssd_api_data_staging');
    const ddl =
      db.dialect === 'mssql'
        ? `CREATE TABLE ${t} (id INT IDENTITY(1,1) PRIMARY KEY, person_id NVARCHAR(20) NULL, previous_json_payload NVARCHAR(MAX) NULL, json_payload NVARCHAR(MAX) NOT NULL,
         partial_json_payload NVARCHAR(MAX) NULL, current_hash BINARY(32) NULL, previous_hash BINARY(32) NULL, submission_status NVARCHAR(50) DEFAULT 'Pending',
         submission_timestamp DATETIME DEFAULT GETDATE(), api_response NVARCHAR(MAX) NULL, row_state NVARCHAR(10) DEFAULT 'New', last_updated DATETIME DEFAULT GETDATE())`
        : `CREATE TABLE ${t} (id BIGSERIAL PRIMARY KEY, person_id VARCHAR(20), previous_json_payload JSONB, json_payload JSONB NOT NULL, partial_json_payload JSONB,
         current_hash BYTEA, previous_hash BYTEA, submission_status VARCHAR(50) DEFAULT 'Pending', submission_timestamp TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
         api_response TEXT, row_state VARCHAR(10) DEFAULT 'New', last_updated TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP)`;
    await db.execute(ddl);
    const longId = 'X'.repeat(24);
    const kids = [child('S1'), child('S2'), child(longId)];
    const r = await stageChildren(db, stream(kids), { schema, partial: true });
    assert.equal(r.tableCreated, false);
    assert.deepEqual([r.cohort, r.new, r.notStaged], [3, 2, 1]);
    assert.deepEqual(r.invalidChildren, [{ personId: longId, rule: 'staging-column-length', path: '' }]);
    const rows = await db.query<{ person_id: string; p: string }>(`SELECT person_id, CAST(json_payload AS ${db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : 'TEXT'}) AS p FROM ${t} ORDER BY person_id`);
    assert.deepEqual(
      rows.map((x) => x.person_id),
      ['S1', 'S2'],
    );
    assert.deepEqual(JSON.parse(rows[0]!.p), kids[0]!.payload);
    // Unchanged rerun: nothing written (the hash and the parsed partial decide, not the reformatted JSON text).
    const stamp = async () => (await db.query<{ s: string }>(`SELECT CAST(last_updated AS VARCHAR(40)) AS s FROM ${t} ORDER BY person_id`)).map((x) => x.s);
    const before = await stamp();
    await new Promise((res) => setTimeout(res, 20));
    const again = await stageChildren(db, stream(kids), { schema, partial: true });
    assert.deepEqual([again.new, again.updated, again.unchanged], [0, 0, 2]);
    assert.deepEqual(await stamp(), before);
  });
});
