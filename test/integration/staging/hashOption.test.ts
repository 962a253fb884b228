import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { child, stream } from './fixtures';

forEachTarget(
  'staging hashIgnoresEntityIds (D6 setting)',
  (fx) => {
    const table = 'ssd_api_data_staging_anon';
    it('with the setting, rewritten entity ids alone change nothing; a real change is staged with the new ids', async () => {
      const { db, schema } = fx();
      const t = fx().t(table);
      const opts = { schema, table, hashIgnoresEntityIds: true };
      await stageChildren(db, stream([child('H1', { episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P1'] }] })]), opts);
      const before = await db.query(`SELECT json_payload, row_state FROM ${t}`);
      const rewritten = child('H1', { episodes: [{ id: 'E9', ref: '2025-01-01', plans: ['P9'] }] });
      const r = await stageChildren(db, stream([rewritten]), opts);
      assert.deepEqual([r.updated, r.unchanged], [0, 1]);
      assert.deepEqual(await db.query(`SELECT json_payload, row_state FROM ${t}`), before);
      const real = child('H1', { surname: 'Other', episodes: [{ id: 'E9', ref: '2025-01-01', plans: ['P9'] }] });
      const r2 = await stageChildren(db, stream([real]), opts);
      assert.equal(r2.updated, 1);
      const [row] = await db.query<{ json_payload: string }>(`SELECT json_payload FROM ${t}`);
      assert.equal(row!.json_payload, JSON.stringify(real.payload));
    });

    it('without it (the default), an entity id change alone is re-sent', async () => {
      const { db, schema } = fx();
      // Switching the setting changes every hash once.
      const first = await stageChildren(db, stream([child('H1', { surname: 'Other', episodes: [{ id: 'E9', ref: '2025-01-01', plans: ['P9'] }] })]), { schema, table });
      assert.equal(first.updated, 1);
      const r = await stageChildren(db, stream([child('H1', { surname: 'Other', episodes: [{ id: 'E10', ref: '2025-01-01', plans: ['P9'] }] })]), { schema, table });
      assert.equal(r.updated, 1);
    });
  },
  { oracle: true },
);
