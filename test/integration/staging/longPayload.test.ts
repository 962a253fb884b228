// Payloads are NVARCHAR(MAX) parameters on SQL Server (text on PostgreSQL): a payload of more than
// 9,000 characters (past the 4,000-character NVARCHAR(n) limit and the 8,000-byte page), with
// characters outside Latin-1, is stored and read back exactly, and so is free text in names.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { compactJson } from '../../../src/staging/canonicalJson';
import type { BuiltChild } from '../../../src/payload/types';

async function* one(c: BuiltChild): AsyncIterable<BuiltChild> {
  yield c;
}

forEachTarget('long payloads and Unicode text round-trip exactly', (fx) => {
  it('a 9,000+ character payload with non-Latin-1 characters', async () => {
    const { db, schema, t } = fx();
    const note = "Zoë Ó'Brien – Łukasz Żółć, 李小龍, emoji 👶🏽; ".repeat(230);
    const payload = { la_child_id: 'LONG1', child_details: { first_name: 'Siân', surname: 'Nguyễn', note } };
    const text = compactJson(payload);
    assert.ok(text.length > 9000, `${text.length} characters`);
    await stageChildren(db, one({ personId: 'LONG1', legacyId: 'Ł1', payload, problems: [] }), { schema, allowEmptyCohort: true });
    const cast = db.dialect === 'postgres' ? 'CAST(json_payload AS TEXT)' : 'json_payload';
    const rows = await db.query<{ j: string; l: string }>(`SELECT ${cast} AS j, legacy_id AS l FROM ${t('ssd_api_data_staging')} WHERE person_id = $1`, ['LONG1']);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.j.length, text.length);
    assert.equal(rows[0]!.j, text);
    assert.equal(rows[0]!.l, 'Ł1');
    // Reading it back as a parameter comparison works too (the NVARCHAR(MAX) parameter path).
    const same = await db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM ${t('ssd_api_data_staging')} WHERE ${db.dialect === 'postgres' ? 'CAST(json_payload AS TEXT)' : 'json_payload'} = $1`,
      [text],
    );
    assert.equal(Number(same[0]!.n), 1);
  });
});
