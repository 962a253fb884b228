// ssd preflight on Oracle, through the Oracle driver against the scripted oracledb fake (no Oracle
// here): the server against the 12c floor, and whether this login may create tables in the target
// schema (its own: CREATE TABLE and a quota; another user's: CREATE ANY TABLE), which also covers
// ssd stage's global temporary work table; a source schema the script reads must show some table.
import assert from 'node:assert/strict';
import { describeSpec, parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { OracleDb } from '../../../src/db/oracleDriver';
import { runPreflight } from '../../../src/script/preflight';
import { planScript } from '../../../src/script/plan';
import { FakeOracledb, type FakeColumn } from '../../helpers/fakeOracledb';

const spec = parseConnectionString('oracle://ssd@db.example.org:1521/AZEUS') as OracleSpec;

interface Server {
  version: string;
  user: string;
  createTable: number;
  createAny: number;
  unlimited: number;
  quota: number;
}
const USERS: Record<string, { own: boolean; visible: number }> = {
  SSD: { own: true, visible: 0 },
  SSD_DEVELOPMENT: { own: false, visible: 40 },
  AZEUS_VIEWS: { own: false, visible: 12 },
  EMPTY_ONE: { own: false, visible: 0 },
};

function fakeWith(server: Server): FakeOracledb {
  const num = (name: string): FakeColumn => ({ name, type: 'NUMBER' });
  const txt = (name: string): FakeColumn => ({ name, type: 'VARCHAR2' });
  return new FakeOracledb()
    .on(/FROM product_component_version/, () => ({
      columns: [txt('VERSION'), txt('DATABASE_NAME'), txt('SERVICE_NAME'), txt('USER_NAME'), num('CAN_CREATE_TABLE'), num('CAN_CREATE_ANY_TABLE'), num('UNLIMITED_TABLESPACE'), num('OWN_QUOTA')],
      rows: [[server.version, 'ORCLCDB', 'AZEUS', server.user, server.createTable, server.createAny, server.unlimited, server.quota]],
    }))
    .on(/FROM all_users u/, (_sql, b) => {
      const name = String((b as Record<string, unknown>).b1).toUpperCase();
      const u = USERS[name];
      return { columns: [txt('SCHEMA_NAME'), num('IS_OWN'), num('VISIBLE_OBJECTS')], rows: u ? [[name, u.own ? 1 : 0, u.visible]] : [] };
    });
}

async function preflight(server: Server, options: Parameters<typeof runPreflight>[1]) {
  const db = await OracleDb.open(spec, describeSpec(spec), { driver: fakeWith(server), password: 'pw' });
  try {
    return await runPreflight(db, options);
  } finally {
    await db.close();
  }
}

const status = (r: Awaited<ReturnType<typeof runPreflight>>) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
const GOOD: Server = { version: '19.0.0.0.0', user: 'SSD', createTable: 1, createAny: 0, unlimited: 0, quota: 1 };

describe('ssd preflight on Oracle (scripted oracledb)', () => {
  it("passes on 19c for the login's own schema with CREATE TABLE and a quota", async () => {
    const r = await preflight(GOOD, { schema: 'ssd' });
    assert.equal(r.ok, true, JSON.stringify(r.checks));
    assert.deepEqual(status(r), { server: 'ok', 'target-schema:ssd': 'ok', 'temp-tables': 'ok' });
    assert.deepEqual(r.server, { product: 'Oracle', version: '19.0.0.0.0', database: 'AZEUS' });
  });

  it("fails, saying what to grant, without CREATE TABLE, without a quota, on another user's schema without CREATE ANY TABLE, and below 12c", async () => {
    const noCreate = await preflight({ ...GOOD, createTable: 0 }, { schema: 'ssd' });
    assert.equal(noCreate.ok, false);
    assert.match(noCreate.checks.find((c) => c.id === 'target-schema:ssd')!.fix!, /GRANT CREATE TABLE TO SSD;/);
    assert.equal(status(noCreate)['temp-tables'], 'fail');
    const noQuota = await preflight({ ...GOOD, quota: 0 }, { schema: 'ssd' });
    assert.match(noQuota.checks.find((c) => c.id === 'target-schema:ssd')!.fix!, /QUOTA UNLIMITED/);
    assert.equal((await preflight({ ...GOOD, quota: 0, unlimited: 1 }, { schema: 'ssd' })).ok, true, 'UNLIMITED TABLESPACE is room enough');
    const other = await preflight(GOOD, { schema: 'ssd_development' });
    assert.equal(status(other)['target-schema:ssd_development'], 'fail');
    assert.match(other.checks.find((c) => c.id === 'target-schema:ssd_development')!.fix!, /CREATE ANY TABLE/);
    assert.equal((await preflight({ ...GOOD, createAny: 1 }, { schema: 'ssd_development' })).ok, true);
    const missing = await preflight(GOOD, { schema: 'nobody' });
    assert.match(missing.checks.find((c) => c.id === 'target-schema:nobody')!.detail, /does not exist \(in Oracle a schema is a user\)/);
    const old = await preflight({ ...GOOD, version: '11.2.0.4.0' }, { schema: 'ssd' });
    assert.equal(status(old).server, 'fail');
    assert.match(old.checks[0]!.detail, /needs Oracle 12c or later/);
  });

  it('checks each source schema an Oracle script reads: visible tables, an empty view of one, a missing one', async () => {
    const text = 'CREATE TABLE ssd.ssd_person AS SELECT * FROM azeus_views.people;\nINSERT INTO ssd.ssd_person SELECT * FROM empty_one.x JOIN nowhere.y ON 1 = 1;\n';
    const plan = planScript(text, { dialect: 'oracle', file: 'azeus.sql' });
    const r = await preflight(GOOD, { schema: 'ssd', script: { text, file: 'azeus.sql', dialect: 'oracle', plan } });
    const s = status(r);
    assert.equal(s['source:azeus_views'], 'ok');
    assert.equal(s['source:empty_one'], 'fail');
    assert.equal(s['source:nowhere'], 'fail');
    assert.equal(r.checks.find((c) => c.id === 'source:azeus_views')!.line, 1);
    assert.equal(r.ok, false);
  });
});
