// Sending from an LA's existing community staging table: JSONB payload columns (the PostgreSQL
// port), no legacy_id, statuses in lower case as the community senders write them.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { runSend } from '../../../src/send/runSend';
import { child, stream } from '../staging/fixtures';
import { endpointOf, FAST_POLICY, fakeTiming, startMockApi } from './mockApi';

forEachTarget('ssd send from an existing community table', (fx) => {
  it('sends Pending and lower-case pending/error rows, records Sent with previous_* as JSON, leaves sent rows alone', async () => {
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
    await stageChildren(db, stream(['S1', 'S2', 'S3', 'S4'].map((id) => child(id))), { schema });
    await db.execute(`UPDATE ${t} SET submission_status = 'pending', row_state = 'new' WHERE person_id = 'S2'`);
    await db.execute(`UPDATE ${t} SET submission_status = 'error', api_response = 'API error (400): Malformed Payload' WHERE person_id = 'S3'`);
    await db.execute(`UPDATE ${t} SET submission_status = 'sent', row_state = 'unchanged' WHERE person_id = 'S4'`);
    const api = await startMockApi();
    try {
      const r = await runSend(db, { mode: 'test', schema, endpoint: endpointOf(api), policy: FAST_POLICY, timing: fakeTiming().timing });
      assert.deepEqual([r.queued, r.sent, r.failed, r.rejected], [3, 3, 0, 0]);
      assert.deepEqual(
        api.requests.flatMap((q) => q.children.map((c) => c.la_child_id)),
        ['S1', 'S2', 'S3'],
      );
      const text = db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : 'TEXT';
      const rows = await db.query<{ person_id: string; submission_status: string; row_state: string; api_response: string; prev: string | null; cur: string; ph: number }>(
        `SELECT person_id, submission_status, row_state, api_response, CAST(previous_json_payload AS ${text}) AS prev, CAST(json_payload AS ${text}) AS cur,
                CASE WHEN previous_hash = current_hash THEN 1 ELSE 0 END AS ph FROM ${t} ORDER BY person_id`,
      );
      for (const row of rows.slice(0, 3)) {
        assert.equal(row.submission_status, 'Sent');
        assert.equal(row.row_state, 'Unchanged');
        assert.equal(row.api_response, api.acks.get(row.person_id)!.uuid);
        assert.deepEqual(JSON.parse(row.prev!), JSON.parse(row.cur));
        assert.equal(Number(row.ph), 1);
      }
      assert.deepEqual([rows[3]!.submission_status, rows[3]!.prev], ['sent', null]);
    } finally {
      await api.close();
    }
  });
});
