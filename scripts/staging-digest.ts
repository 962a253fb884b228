// Before/after proof for staging changes (issue 17): stage every child of a fake SSD schema into
// ssd_api_data_staging_anon (dropped first), then rebuild unchanged, and print the time and one
// SHA-256 over every row's person id, payload text, hash, status, row state and api_response.
// Run it on the same data before and after a change: equal digests mean byte-identical staging.
//   node --import tsx scripts/staging-digest.ts <db url> <schema> [as-of]
// Only ids and counts are printed, never payload contents.
import { createHash } from 'node:crypto';
import { qualify } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import { stageFromSsd } from '../src/staging/runStage';

const [url, schema, asOf = '2026-08-10'] = process.argv.slice(2);
if (!url || !schema) {
  console.error('usage: node --import tsx scripts/staging-digest.ts <db url> <schema> [as-of]');
  process.exit(2);
}
const TABLE = 'ssd_api_data_staging_anon';
const db = await openDb(url);
try {
  for (const n of [TABLE, `${TABLE}_run_marks`]) await db.execute(`DROP TABLE IF EXISTS ${qualify(db.dialect, schema, n)}`);
  const text = (c: string) => (db.dialect === 'postgres' ? `CAST(${c} AS TEXT)` : c);
  const digest = async (): Promise<string> => {
    const rows = await db.query<{ person_id: string; j: string; h: Uint8Array | null; s: string; r: string; a: string | null }>(
      `SELECT person_id, ${text('json_payload')} AS j, current_hash AS h, submission_status AS s, row_state AS r, ${text('api_response')} AS a FROM ${qualify(db.dialect, schema, TABLE)}`,
    );
    rows.sort((x, y) => (x.person_id < y.person_id ? -1 : x.person_id > y.person_id ? 1 : 0));
    const h = createHash('sha256');
    for (const x of rows) h.update(JSON.stringify([x.person_id, x.j, x.h === null ? null : Buffer.from(x.h).toString('hex'), x.s, x.r, x.a]));
    return `${rows.length} rows, sha256 ${h.digest('hex')}`;
  };
  for (const run of ['first build', 'unchanged rebuild']) {
    const t = performance.now();
    const r = await stageFromSsd(db, { schema, asOf, table: TABLE, allowMassChange: true });
    console.log(`${run}: ${((performance.now() - t) / 1000).toFixed(2)} s, new ${r.new}, unchanged ${r.unchanged}, updated ${r.updated}; ${await digest()}`);
  }
} finally {
  await db.close();
}
