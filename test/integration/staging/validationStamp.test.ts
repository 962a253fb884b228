// Issue 17: DfE schema validation is skipped for an unchanged child only when its staging row
// proves the result: validation_stamp = validationStamp(current_hash), written only for a payload
// that passed this validation with no problem. Counts the validations staging asks for (the
// builder's deferred validation, wrapped), and checks that the report and every row are the same
// as with every child validated.
import assert from 'node:assert/strict';
import { qualify, quoteIdent } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';
import { PROBLEM_KINDS, type ProblemKind } from '../../../src/fake/cohort';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { streamChildPayloads } from '../../../src/payload/buildPayloads';
import type { BuiltChild } from '../../../src/payload/types';
import { validationStamp, VALIDATION_ID } from '../../../src/payload/validatePayload';
import { stageChildren, type StageReport } from '../../../src/staging/stageChildren';
import { forEachTarget } from '../../helpers/targets';

const AS_OF = '2026-08-10';
const TABLE = 'ssd_api_data_staging';

async function* counted(db: Db, schema: string, calls: { n: number }, validate: true | 'deferred' = 'deferred'): AsyncIterable<BuiltChild> {
  for await (const c of streamChildPayloads(db, { schema, asOf: AS_OF, validate })) {
    const full = c.withSchemaValidation;
    if (full)
      c.withSchemaValidation = (payload) => {
        calls.n++;
        return full(payload);
      };
    yield c;
  }
}

interface StampRow {
  person_id: string;
  hash: string | null;
  stamp: string | null;
  status: string;
  api: string | null;
  payload: string;
}

async function stampRows(db: Db, schema: string): Promise<StampRow[]> {
  const t = qualify(db.dialect, schema, TABLE);
  const text = (c: string) => (db.dialect === 'postgres' ? `CAST(${c} AS TEXT)` : c);
  const rs = await db.query<{ person_id: string; h: Uint8Array | null; validation_stamp: string | null; submission_status: string; a: string | null; j: string }>(
    `SELECT person_id, current_hash AS h, validation_stamp, submission_status, ${text('api_response')} AS a, ${text('json_payload')} AS j FROM ${t}`,
  );
  return rs
    .map((r) => ({ person_id: r.person_id, hash: r.h === null ? null : Buffer.from(r.h).toString('hex'), stamp: r.validation_stamp, status: r.submission_status, api: r.a, payload: r.j }))
    .sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
}

function counts(r: StageReport): unknown {
  return { cohort: r.cohort, invalid: r.invalid, warnings: r.warnings, invalidChildren: r.invalidChildren, warningChildren: r.warningChildren };
}

forEachTarget(
  'staging skips schema validation only for a proven unchanged child (issue 17)',
  (fx) => {
    it('stamps valid rows, validates only unstamped or changed children on a rebuild, and stages what full validation stages', async function () {
      this.timeout(300_000);
      const { db, schema } = fx();
      const shares = Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0.05])) as Record<ProblemKind, number>;
      await generateFakeSsd(db, { schema, children: 160, asOf: AS_OF, seed: 11, shares });
      const t = qualify(db.dialect, schema, TABLE);

      // Reference: every child validated by the builder (no stamps written for such children).
      const ref = await stageChildren(db, counted(db, schema, { n: 0 }, true), { schema, table: TABLE, batchSize: 13 });
      const refRows = await stampRows(db, schema);
      assert.ok(ref.invalid > 0 && ref.warnings > 0, 'the seeded set has invalid children and warnings');
      assert.ok(
        refRows.every((r) => r.stamp === null),
        'children validated elsewhere get no stamp',
      );

      // Deferred: the first run validates every child and stamps the valid ones (the table had no stamps).
      const first = { n: 0 };
      const r1 = await stageChildren(db, counted(db, schema, first), { schema, table: TABLE, batchSize: 13 });
      assert.equal(first.n, r1.cohort);
      assert.deepEqual(counts(r1), counts(ref));
      const rows1 = await stampRows(db, schema);
      assert.deepEqual(
        rows1.map(({ stamp: _s, ...r }) => r),
        refRows.map(({ stamp: _s, ...r }) => r),
        'the same rows as with every child validated',
      );
      for (const r of rows1) {
        const valid = r.status === 'Pending';
        assert.equal(r.stamp, valid ? validationStamp(r.hash!) : null, `stamp of ${r.person_id}`);
      }

      // Unchanged rebuild: only the children whose row has no stamp (the invalid ones) are validated.
      const second = { n: 0 };
      const r2 = await stageChildren(db, counted(db, schema, second), { schema, table: TABLE, batchSize: 13 });
      assert.equal(second.n, r2.invalid);
      assert.equal(r2.unchanged, r2.cohort);
      assert.deepEqual(counts(r2), counts(ref));
      assert.deepEqual(await stampRows(db, schema), rows1);

      // A stamp of another validation (a new schema) or of another payload proves nothing: validated
      // again, and the right stamps written back.
      await db.execute(`UPDATE ${t} SET validation_stamp = 'x' WHERE validation_stamp IS NOT NULL`);
      const third = { n: 0 };
      const r3 = await stageChildren(db, counted(db, schema, third), { schema, table: TABLE, batchSize: 13 });
      assert.equal(third.n, r3.cohort);
      assert.deepEqual(counts(r3), counts(ref));
      assert.deepEqual(await stampRows(db, schema), rows1);
      assert.match(VALIDATION_ID, /^[0-9a-f]{64}$/);

      // With hashIgnoresEntityIds the hash does not cover the whole payload: every child validated.
      const fourth = { n: 0 };
      await stageChildren(db, counted(db, schema, fourth), { schema, table: TABLE, batchSize: 13, hashIgnoresEntityIds: true });
      assert.equal(fourth.n, r3.cohort);
    });

    it('adds validation_stamp to a staging table that lacks it', async function () {
      this.timeout(120_000);
      const { db, schema } = fx();
      await generateFakeSsd(db, { schema, children: 20, asOf: AS_OF, seed: 3 });
      const t = qualify(db.dialect, schema, TABLE);
      await stageChildren(db, counted(db, schema, { n: 0 }), { schema, table: TABLE });
      await db.execute(`ALTER TABLE ${t} DROP COLUMN ${quoteIdent(db.dialect, 'validation_stamp')}`);
      const calls = { n: 0 };
      const r = await stageChildren(db, counted(db, schema, calls), { schema, table: TABLE });
      assert.equal(calls.n, r.cohort, 'no stamps: every child validated');
      const rows = await stampRows(db, schema);
      assert.ok(rows.length > 0 && rows.every((x) => x.status !== 'Pending' || x.stamp === validationStamp(x.hash!)), 'stamps written by the unchanged rebuild');
    });
  },
  { oracle: true },
);
