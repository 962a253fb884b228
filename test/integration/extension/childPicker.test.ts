// The payload picker's session (Build Payload for Child) against real databases: ids found by a
// bounded prefix lookup, children with problems first, and Enter builds only an id that exists.
import assert from 'node:assert/strict';
import { initTables } from '../../../src/ddl/initTables';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { ChildPickerSession, PICKER_LOOKUP_LIMIT, type PickerLookup } from '../../../src/extension/core/childPicker';
import { pagePersonIds, personExists } from '../../../src/browse/inventory';
import { forEachTarget } from '../../helpers/targets';

forEachTarget('payload picker session', (fx) => {
  let ids: string[] = [];
  let lookup: PickerLookup;
  const calls: string[] = [];

  before(async function () {
    const { db, schema, t } = fx();
    await initTables(db, { schema, tables: 'all' });
    await generateFakeSsd(db, { schema, children: 80, seed: 'picker', asOf: '2026-08-10' });
    ids = (await db.query<{ id: string }>(`SELECT pers_person_id AS id FROM ${t('ssd_person')}`)).map((r) => String(r.id)).sort();
    lookup = {
      search: async (prefix, limit) => {
        calls.push(`search:${prefix}:${limit}`);
        return (await pagePersonIds(db, schema, { ...(prefix ? { prefix } : {}), pageSize: limit })).ids;
      },
      exists: async (id) => {
        calls.push(`exists:${id}`);
        return personExists(db, schema, id);
      },
    };
  });

  it('lists real ids starting with what is typed, children with problems first, at most a page', async () => {
    const flagged = ids[ids.length - 1]!;
    const session = new ChildPickerSession(lookup, new Map([[flagged, '1 check finding']]));
    const all = await session.search('');
    assert.ok(all);
    assert.equal(all[0]!.id, flagged);
    assert.equal(all[0]!.note, '1 check finding');
    assert.ok(all.length <= PICKER_LOOKUP_LIMIT + 1, `${all.length} items`);
    const prefix = ids[0]!.slice(0, -1);
    const items = await session.search(prefix);
    assert.ok(items && items.length > 0);
    assert.ok(
      items.every((i) => i.id.startsWith(prefix) && ids.includes(i.id)),
      JSON.stringify(items),
    );
  });

  it('Enter on a prefix that is not an id never builds it; an existing id builds; an unknown id is named', async () => {
    const session = new ChildPickerSession(lookup);
    const id = ids[0]!;
    const prefix = id.slice(0, -1);
    assert.ok(!ids.includes(prefix), 'the fake ids are all the same length');
    await session.search(prefix);
    // The highlighted item is a real id matching the prefix: that id builds, never the prefix.
    assert.deepEqual(await session.accept(prefix, id), { build: id });
    // Nothing highlighted: the database is asked; the prefix is not an id.
    const r = await session.accept(prefix, undefined);
    assert.ok('message' in r, JSON.stringify(r));
    assert.match(r.message, new RegExp(`^"${prefix}" is not a person id, only the start of some`));
    // An exact id typed builds, without asking the database.
    calls.length = 0;
    assert.deepEqual(await session.accept(id, undefined), { build: id });
    assert.deepEqual(calls, [], 'a listed id needs no lookup');
    // An id not in ssd_person (nor the start of one), and an injection attempt, are refused.
    for (const bad of ['no-such-child-9', `${id}' OR '1'='1`]) {
      const u = await session.accept(bad, undefined);
      assert.deepEqual(u, { message: `No child has the person id "${bad}" in ssd_person: check the id, or clear the box to list the ids.` });
    }
    // A stale highlight (from an earlier list) does not build what is typed now.
    const stale = await session.accept('no-such-child-9', id);
    assert.ok('message' in stale);
  });

  it('drops the answer of a search a newer one superseded', async () => {
    const session = new ChildPickerSession(lookup);
    const first = session.search('');
    const second = session.search(ids[1]!);
    assert.equal(await first, undefined);
    assert.deepEqual(
      (await second)!.map((i) => i.id),
      [ids[1]!],
    );
  });
});
