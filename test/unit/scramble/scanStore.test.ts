// The scan store of ssd scramble: keyed hashes of the source's values in a temporary table behind
// a fixed-size filter. Exact (no value missed), case- and space-insensitive, keyed, gone after close.
import assert from 'node:assert/strict';
import { openDb } from '../../../src/db/openDb';
import { ScanStore } from '../../../src/scramble/scanStore';

describe('scramble/scanStore', () => {
  it('finds every value added (through batched inserts), case-insensitively, and no other; drops its table', async function () {
    this.timeout(60_000);
    const db = await openDb('pglite:memory');
    try {
      const store = await ScanStore.open(db, Buffer.alloc(32, 5));
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        store.add(`Value${i}`);
        store.add(`Value${i}`);
        await store.drain();
      }
      store.add('SW1A 1AA');
      await store.seal();
      assert.equal(store.size, n + 1);
      const asked = [' value19999 ', 'VALUE0', 'sw1a 1aa', 'value20000', 'Valu', ...Array.from({ length: 2000 }, (_, i) => `other${i}`)];
      const found = await store.hasMany(asked);
      assert.deepEqual(found.slice(0, 5), [true, true, true, false, false]);
      assert.equal(found.slice(5).filter(Boolean).length, 0);
      // Every value added is found (no false negatives whatever the filter does).
      const all = await store.hasMany(Array.from({ length: n }, (_, i) => `value${i}`));
      assert.equal(all.filter(Boolean).length, n);
      assert.throws(() => store.add('late'), /after seal/);
      await store.close();
      const left = await db.query(`SELECT 1 FROM pg_class WHERE relname LIKE 'ssd_scramble_scan_%' AND relkind = 'r'`);
      assert.equal(left.length, 0, 'the temporary table is dropped');
    } finally {
      await db.close();
    }
  });

  it('keys depend on the seed: another seed gives other keys for the same value', async () => {
    const db = await openDb('pglite:memory');
    try {
      const [a, b] = [await ScanStore.open(db, Buffer.alloc(32, 1)), await ScanStore.open(db, Buffer.alloc(32, 2))];
      a.add('Smith');
      b.add('Smith');
      await a.seal();
      await b.seal();
      assert.notEqual(a.candidate('smith'), b.candidate('smith'));
      assert.notEqual(a.candidate('smith'), null);
      await a.close();
      await b.close();
    } finally {
      await db.close();
    }
  });
});
