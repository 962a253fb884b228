import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { payloadHash } from '../../../src/staging/canonicalJson';
import { invalidRecord, LEFT_COHORT_RECORD } from '../../../src/staging/lifecycle';
import { child, stream, badUpn, noEpisodes } from './fixtures';
import type { Db } from '../../../src/db/types';

interface StagingRow {
  id: number;
  person_id: string;
  legacy_id: string | null;
  json_payload: string;
  partial_json_payload: string | null;
  previous_json_payload: string | null;
  current_hash: string | null;
  previous_hash: string | null;
  submission_status: string;
  submission_timestamp: string;
  api_response: string | null;
  row_state: string;
  last_updated: string;
}

async function rows(db: Db, t: string): Promise<Map<string, StagingRow>> {
  const hex = db.dialect === 'mssql' ? (c: string) => `LOWER(CONVERT(VARCHAR(64), ${c}, 2))` : db.dialect === 'oracle' ? (c: string) => `LOWER(RAWTOHEX(${c}))` : (c: string) => `encode(${c}, 'hex')`;
  const ts =
    db.dialect === 'mssql'
      ? (c: string) => `CONVERT(VARCHAR(30), ${c}, 126)`
      : db.dialect === 'oracle'
        ? (c: string) => `TO_CHAR(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.FF3')`
        : (c: string) => `CAST(${c} AS TEXT)`;
  const r = await db.query<StagingRow>(`SELECT id, person_id, legacy_id, json_payload, partial_json_payload, previous_json_payload,
    ${hex('current_hash')} AS current_hash, ${hex('previous_hash')} AS previous_hash, submission_status, ${ts('submission_timestamp')} AS submission_timestamp,
    api_response, row_state, ${ts('last_updated')} AS last_updated FROM ${t} ORDER BY id`);
  return new Map(r.map((x) => [x.person_id, x]));
}

/** Simulate a successful send, as the sender does it (contract §Sending): Sent/Unchanged, previous_* rotated. */
async function acknowledge(db: Db, t: string, personIds: string[]): Promise<void> {
  for (const id of personIds) {
    await db.execute(
      `UPDATE ${t} SET submission_status = 'Sent', row_state = 'Unchanged', previous_json_payload = json_payload, previous_hash = current_hash, api_response = $1 WHERE person_id = $2`,
      [`uuid-${id}`, id],
    );
  }
}

forEachTarget(
  'staging lifecycle',
  (fx) => {
    const table = 'ssd_api_data_staging';
    const t = () => fx().t(table);

    it('creates the table and stages new children as New/Pending with the compact payload and canonical hash', async () => {
      const { db, schema } = fx();
      const kids = [child('P001'), child('P002', { surname: 'Smith' }), child('P003')];
      const r = await stageChildren(db, stream(kids), { schema, batchSize: 2 });
      assert.equal(r.tableCreated, true);
      assert.deepEqual([r.cohort, r.new, r.updated, r.unchanged, r.deleted, r.invalid], [3, 3, 0, 0, 0, 0]);
      const got = await rows(db, t());
      assert.equal(got.size, 3);
      const p1 = got.get('P001')!;
      assert.equal(p1.json_payload, JSON.stringify(kids[0]!.payload));
      assert.match(p1.json_payload, /O'Brien/);
      assert.equal(p1.current_hash, payloadHash(kids[0]!.payload).toString('hex'));
      assert.equal(p1.submission_status, 'Pending');
      assert.equal(p1.row_state, 'New');
      assert.equal(p1.legacy_id, 'LP001');
      assert.equal(p1.previous_hash, null);
      assert.equal(p1.previous_json_payload, null);
    });

    it('a second run with no data change leaves every row byte-identical', async () => {
      const { db, schema } = fx();
      const before = await rows(db, t());
      const r = await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smith' }), child('P003')]), { schema });
      assert.deepEqual([r.new, r.updated, r.unchanged, r.deleted], [0, 0, 3, 0]);
      assert.deepEqual(await rows(db, t()), before);
    });

    it('a changed child becomes Updated/Pending with the new payload and hash; previous_* are not rotated (D9)', async () => {
      const { db, schema } = fx();
      await acknowledge(db, t(), ['P001', 'P002', 'P003']);
      const before = await rows(db, t());
      const changed = child('P002', { surname: 'Smyth' });
      const r = await stageChildren(db, stream([child('P001'), changed, child('P003')]), { schema });
      assert.deepEqual([r.new, r.updated, r.unchanged, r.deleted], [0, 1, 2, 0]);
      const after = await rows(db, t());
      const p2 = after.get('P002')!;
      assert.equal(p2.row_state, 'Updated');
      assert.equal(p2.submission_status, 'Pending');
      assert.equal(p2.json_payload, JSON.stringify(changed.payload));
      assert.equal(p2.current_hash, payloadHash(changed.payload).toString('hex'));
      assert.equal(p2.previous_json_payload, before.get('P002')!.json_payload);
      assert.equal(p2.previous_hash, before.get('P002')!.current_hash);
      assert.equal(p2.api_response, 'uuid-P002', 'the last API response is kept');
      assert.deepEqual(after.get('P001'), before.get('P001'));
      assert.deepEqual(after.get('P003'), before.get('P003'));
    });

    it('a child who left after an acknowledgement is Deleted/Pending with a deletion payload (D7); one never acknowledged is Deleted and held back', async () => {
      const { db, schema } = fx();
      // P004 is new and never sent; then both P003 (acknowledged) and P004 leave.
      await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smyth' }), child('P003'), child('P004')]), { schema });
      const r = await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smyth' })]), { schema });
      assert.deepEqual([r.cohort, r.deleted, r.deletionPayloads], [2, 2, 1]);
      const got = await rows(db, t());
      const p3 = got.get('P003')!;
      assert.equal(p3.row_state, 'Deleted');
      assert.equal(p3.submission_status, 'Pending');
      assert.equal(p3.json_payload, '{"la_child_id":"P003","mis_child_id":"LP003","purge":true}');
      assert.equal(p3.current_hash, payloadHash({ la_child_id: 'P003', mis_child_id: 'LP003', purge: true }).toString('hex'));
      assert.notEqual(p3.previous_json_payload, null, 'the acknowledged payload stays');
      const p4 = got.get('P004')!;
      assert.equal(p4.row_state, 'Deleted');
      assert.equal(p4.submission_status, 'Withheld');
      assert.match(p4.api_response!, /left-cohort/);
      assert.equal(p4.json_payload, JSON.stringify(child('P004').payload), 'payload of a never-sent child is kept as it was');
      // Deleted rows are not touched again.
      const before = await rows(db, t());
      const again = await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smyth' })]), { schema });
      assert.equal(again.deleted, 0);
      assert.deepEqual(await rows(db, t()), before);
    });

    it('an acknowledged deletion payload is not queued again when the sender marked it Unchanged', async () => {
      const { db, schema } = fx();
      await acknowledge(db, t(), ['P003']);
      const before = await rows(db, t());
      const r = await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smyth' })]), { schema });
      assert.equal(r.deleted, 0);
      assert.deepEqual(await rows(db, t()), before);
    });

    it('a child re-entering the cohort is Updated/Pending with their payload (D8), even with the same data', async () => {
      const { db, schema } = fx();
      const r = await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smyth' }), child('P003'), child('P004')]), { schema });
      assert.deepEqual([r.new, r.updated, r.unchanged], [0, 2, 2]);
      const got = await rows(db, t());
      for (const id of ['P003', 'P004']) {
        const row = got.get(id)!;
        assert.equal(row.row_state, 'Updated');
        assert.equal(row.submission_status, 'Pending');
        assert.equal(row.json_payload, JSON.stringify(child(id).payload));
      }
      assert.equal(got.get('P004')!.api_response, null, 'the build record is cleared');
      assert.equal(got.get('P003')!.api_response, 'uuid-P003');
    });

    it('an invalid child is staged but kept out of the queue with the reason on its row and in the report', async () => {
      const { db, schema } = fx();
      const bad = child('P005', { problems: [badUpn] });
      const warn = child('P006', { episodes: [], problems: [noEpisodes] });
      const r = await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smyth' }), child('P003'), child('P004'), bad, warn]), { schema });
      assert.deepEqual([r.new, r.invalid, r.warnings], [2, 1, 1]);
      assert.deepEqual(r.invalidChildren, [{ personId: 'P005', rule: 'maxLength', path: '/child_details/unique_pupil_number', message: badUpn.message }]);
      assert.deepEqual(r.warningChildren, [{ personId: 'P006', rule: 'no-social-care-episodes', path: '', message: noEpisodes.message }]);
      const got = await rows(db, t());
      const p5 = got.get('P005')!;
      assert.equal(p5.submission_status, 'Withheld');
      assert.equal(p5.row_state, 'New');
      const rec = JSON.parse(p5.api_response!);
      assert.equal(rec.stage, 'invalid');
      assert.deepEqual(rec.problems, [{ path: badUpn.path, rule: 'maxLength', message: badUpn.message, source: badUpn.source }]);
      assert.equal(got.get('P006')!.submission_status, 'Pending');
      // Fixed next run: Updated/Pending, reason cleared.
      const fixed = child('P005', { surname: 'Fixed' });
      await stageChildren(db, stream([child('P001'), child('P002', { surname: 'Smyth' }), child('P003'), child('P004'), fixed, warn]), { schema });
      const p5b = (await rows(db, t())).get('P005')!;
      assert.deepEqual([p5b.submission_status, p5b.row_state, p5b.api_response], ['Pending', 'Updated', null]);
    });

    it('the same payload turning invalid (stricter schema) is held back; turning valid again is queued', async () => {
      const { db, schema } = fx();
      const base = [child('P001'), child('P002', { surname: 'Smyth' }), child('P003'), child('P004'), child('P005', { surname: 'Fixed' }), child('P006', { episodes: [], problems: [noEpisodes] })];
      const strict = base.map((c) => (c.personId === 'P001' ? { ...c, problems: [badUpn] } : c));
      const r = await stageChildren(db, stream(strict), { schema });
      assert.deepEqual([r.unchanged, r.invalid], [6, 1]);
      let p1 = (await rows(db, t())).get('P001')!;
      assert.equal(p1.submission_status, 'Withheld');
      await stageChildren(db, stream(base), { schema });
      p1 = (await rows(db, t())).get('P001')!;
      assert.deepEqual([p1.submission_status, p1.api_response], ['Pending', null]);
    });

    it('Error rows an earlier version wrote for invalid or departed children become Withheld on the next run (counted); sender errors stay Error', async () => {
      const { db, schema } = fx();
      // As earlier versions left them: the invalid P001 and the departed P004 held back as Error (any case).
      await db.execute(`UPDATE ${t()} SET submission_status = 'Error', api_response = $1 WHERE person_id = 'P001'`, [invalidRecord([badUpn])]);
      await db.execute(`UPDATE ${t()} SET submission_status = 'error', row_state = 'Deleted', api_response = $1 WHERE person_id = 'P004'`, [LEFT_COHORT_RECORD]);
      // A sender's failure on P002 stays Error (retried by every sender).
      await db.execute(`UPDATE ${t()} SET submission_status = 'Error', api_response = 'send failed: HTTP 503' WHERE person_id = 'P002'`);
      const base = [
        child('P001', { problems: [badUpn] }),
        child('P002', { surname: 'Smyth' }),
        child('P003'),
        child('P005', { surname: 'Fixed' }),
        child('P006', { episodes: [], problems: [noEpisodes] }),
      ];
      const r = await stageChildren(db, stream(base), { schema });
      assert.equal(r.withheldConverted, 2);
      const got = await rows(db, t());
      assert.deepEqual([got.get('P001')!.submission_status, got.get('P004')!.submission_status, got.get('P002')!.submission_status], ['Withheld', 'Withheld', 'Error']);
      assert.match(got.get('P001')!.api_response!, /"stage":"invalid"/);
      assert.match(got.get('P004')!.api_response!, /"stage":"left-cohort"/);
      const again = await stageChildren(db, stream(base), { schema });
      assert.equal(again.withheldConverted, 0);
    });

    it("the community senders' selection (submission_status IN ('pending', 'error'), any case) finds no withheld child", async () => {
      const { db } = fx();
      const all = await rows(db, t());
      const withheld = [...all.values()]
        .filter((r) => r.submission_status === 'Withheld')
        .map((r) => r.person_id)
        .sort();
      assert.deepEqual(withheld, ['P001', 'P004'], 'the invalid child and the child who left before any acknowledgement');
      // The Python sender: WHERE LOWER(submission_status) IN ('pending','error'); the PowerShell one compares
      // case-insensitively under the database collation. Both are this query.
      const picked = await db.query<{ person_id: string; api_response: string | null }>(`SELECT person_id, api_response FROM ${t()} WHERE LOWER(submission_status) IN ('pending', 'error')`);
      assert.ok(picked.length > 0, 'the selection finds the queued rows');
      for (const r of picked) {
        assert.ok(!withheld.includes(r.person_id), `community senders would send ${r.person_id}`);
        assert.ok(!(r.api_response ?? '').startsWith('{"stage":'), `${r.person_id} is held back by the build but selectable`);
      }
    });

    it('refuses to mark everyone Deleted when the cohort is empty', async () => {
      const { db, schema } = fx();
      const before = await rows(db, t());
      await assert.rejects(stageChildren(db, stream([]), { schema }), /cohort is empty/);
      assert.deepEqual(await rows(db, t()), before);
    });

    it('uses an existing table as it is and fails clearly when a needed column is missing', async () => {
      const { db, schema } = fx();
      const other = fx().t('ssd_api_data_staging_anon');
      await db.execute(
        `CREATE TABLE ${other} (id INT PRIMARY KEY, person_id VARCHAR(48), json_payload TEXT)`.replace('TEXT', db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : db.dialect === 'oracle' ? 'CLOB' : 'TEXT'),
      );
      await assert.rejects(stageChildren(db, stream([child('P001')]), { schema, table: 'ssd_api_data_staging_anon' }), /has no columns previous_json_payload, partial_json_payload, current_hash/);
    });
  },
  { oracle: true },
);
