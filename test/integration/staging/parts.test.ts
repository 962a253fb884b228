// Issue 17: on a database whose staging session is a connection of its own (PostgreSQL, SQL
// Server), a batch's transaction takes the batch in parts as the builder makes them. A batch
// still commits whole or not at all, and batches commit in order: a stream that fails in the
// third part of a batch leaves that batch's first two parts unwritten, and a cancel between parts
// keeps only the committed batches. On PGlite a batch is one part; the same holds.
import assert from 'node:assert/strict';
import { CancelledError } from '../../../src/db/types';
import type { BuiltChild } from '../../../src/payload/types';
import { stageChildren } from '../../../src/staging/stageChildren';
import { forEachTarget } from '../../helpers/targets';
import { child, stream } from './fixtures';

forEachTarget('staging batches taken in parts (issue 17)', (fx) => {
  const count = async (): Promise<number> => {
    const { db } = fx();
    return Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${fx().t('ssd_api_data_staging')}`))[0]!.n);
  };
  const kids = Array.from({ length: 47 }, (_, i) => child(`P${String(i).padStart(3, '0')}`));
  // The targets' schema lives for the whole suite: each test starts from no staging table.
  beforeEach(async () => {
    await fx().db.execute(`DROP TABLE IF EXISTS ${fx().t('ssd_api_data_staging')}`);
  });

  it('stages in parts what it stages in whole batches, and counts each child once', async () => {
    const { db, schema } = fx();
    const r = await stageChildren(db, stream(kids), { schema, batchSize: 20, partSize: 3 });
    assert.deepEqual([r.cohort, r.new, r.unchanged], [47, 47, 0]);
    assert.equal(await count(), 47);
    const again = await stageChildren(db, stream(kids), { schema, batchSize: 20, partSize: 7 });
    assert.deepEqual([again.cohort, again.new, again.unchanged, again.deleted], [47, 0, 47, 0]);
  });

  it('a stream failing in the third part of a batch leaves that batch unwritten, and the batches before it committed', async () => {
    const { db, schema } = fx();
    async function* failing(): AsyncIterable<BuiltChild> {
      // Batch 1: 20 children (committed); batch 2: parts of 3, failing after 8 children (third part).
      for (const c of kids.slice(0, 28)) yield c;
      throw new Error('builder failed');
    }
    await assert.rejects(stageChildren(db, failing(), { schema, batchSize: 20, partSize: 3 }), /builder failed/);
    assert.equal(await count(), 20, 'the first batch, nothing of the second');
    const deleted = Number((await fx().db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${fx().t('ssd_api_data_staging')} WHERE row_state = 'Deleted'`))[0]!.n);
    assert.equal(deleted, 0);
    const r = await stageChildren(db, stream(kids), { schema, batchSize: 20, partSize: 3 });
    assert.deepEqual([r.new, r.unchanged], [27, 20]);
  });

  it('a cancel between parts rolls back the open batch only', async () => {
    const { db, schema } = fx();
    const controller = new AbortController();
    async function* cancelling(): AsyncIterable<BuiltChild> {
      for (const [i, c] of kids.entries()) {
        if (i === 25) controller.abort();
        yield c;
      }
    }
    await assert.rejects(stageChildren(db, cancelling(), { schema, batchSize: 20, partSize: 3, signal: controller.signal }), CancelledError);
    assert.equal(await count(), 20);
  });
});
