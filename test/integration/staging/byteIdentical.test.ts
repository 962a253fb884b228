// Issue 17: the pipelined staging (reads one batch ahead, writes one batch while the next is built)
// must stage byte for byte what one batch at a time stages. A seeded fake set is staged twice into
// the two staging tables: once with tiny read and write batches (dozens of batches overlapping,
// every prefetch boundary crossed) and once with batches larger than the cohort (no overlap at
// all). Every column the build writes must be equal row for row, the stored hash must be SHA-256
// of the payload's canonical text written here independently (keys spread into code points), and
// an unchanged rebuild must leave every row as it was.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { qualify } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';
import { PROBLEM_KINDS, type ProblemKind } from '../../../src/fake/cohort';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { stageFromSsd } from '../../../src/staging/runStage';
import { forEachTarget } from '../../helpers/targets';

const AS_OF = '2026-08-10';

interface Row {
  person_id: string;
  json_payload: string;
  current_hash: Uint8Array | null;
  submission_status: string;
  row_state: string;
  api_response: string | null;
}

async function rows(db: Db, schema: string, table: string): Promise<Row[]> {
  const text = (c: string) => (db.dialect === 'postgres' ? `CAST(${c} AS TEXT)` : c);
  const all = await db.query<Row>(
    `SELECT person_id, ${text('json_payload')} AS json_payload, current_hash, submission_status, row_state, ${text('api_response')} AS api_response FROM ${qualify(db.dialect, schema, table)}`,
  );
  return all.sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
}

function hex(b: Uint8Array | null): string | null {
  return b === null ? null : Buffer.from(b).toString('hex');
}

/** Canonical text written independently of src/staging/canonicalJson.ts. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const cmp = (a: string, b: string) => {
    const ca = [...a].map((c) => c.codePointAt(0)!),
      cb = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
    return ca.length - cb.length;
  };
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort(cmp)
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

function digest(rs: Row[]): string {
  const h = createHash('sha256');
  for (const r of rs) h.update(JSON.stringify([r.person_id, r.json_payload, hex(r.current_hash), r.submission_status, r.row_state, r.api_response]));
  return h.digest('hex');
}

forEachTarget('staging is byte-identical with and without the pipeline (issue 17)', (fx) => {
  it('tiny overlapping batches and one batch stage the same bytes; the hash is SHA-256 of the canonical text; an unchanged rebuild changes nothing', async function () {
    this.timeout(300_000);
    const { db, schema } = fx();
    // Every deliberate problem more frequent than the demo's default: invalid children and warnings.
    const shares = Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0.05])) as Record<ProblemKind, number>;
    await generateFakeSsd(db, { schema, children: 240, asOf: AS_OF, seed: 7, shares });
    const small = await stageFromSsd(db, { schema, asOf: AS_OF, table: 'ssd_api_data_staging_anon', readBatchSize: 7, batchSize: 9 });
    const large = await stageFromSsd(db, { schema, asOf: AS_OF, table: 'ssd_api_data_staging', readBatchSize: 100_000, batchSize: 100_000 });
    assert.ok(small.cohort > 150 && small.cohort === large.cohort && small.new === small.cohort - small.notStaged, `cohort ${small.cohort}`);
    assert.ok(small.invalid > 0, 'the seeded set has invalid children (Withheld rows with their reason)');
    const a = await rows(db, schema, 'ssd_api_data_staging_anon');
    const b = await rows(db, schema, 'ssd_api_data_staging');
    assert.equal(a.length, small.cohort - small.notStaged);
    assert.deepEqual(
      a.map((r) => ({ ...r, current_hash: hex(r.current_hash) })),
      b.map((r) => ({ ...r, current_hash: hex(r.current_hash) })),
    );
    for (const r of a) {
      assert.equal(
        hex(r.current_hash),
        createHash('sha256')
          .update(canonical(JSON.parse(r.json_payload)), 'utf8')
          .digest('hex'),
        `hash of ${r.person_id}`,
      );
    }
    const before = digest(a);
    const again = await stageFromSsd(db, { schema, asOf: AS_OF, table: 'ssd_api_data_staging_anon', readBatchSize: 5, batchSize: 4 });
    assert.equal(again.unchanged, again.cohort - again.notStaged);
    assert.equal(digest(await rows(db, schema, 'ssd_api_data_staging_anon')), before, 'the unchanged rebuild leaves every byte as it was');
  });
});
