// Pre-flight's SQL Server decisions (version and compatibility level against features, USE
// database, schemas, permissions), driven by a connection that answers the three pre-flight
// queries with the rows a given server would return.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../../src/db/types';
import { runPreflight } from '../../../src/script/preflight';
import { planScript } from '../../../src/script/plan';

const fixture = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_systemc_like.sql'), 'utf8');

interface ServerState {
  version: string;
  engineEdition?: number;
  current: string;
  compat: Record<string, number>;
  createTable?: boolean;
  schemas: Record<string, { select: boolean; alter: boolean }>;
}

function fakeServer(s: ServerState): Db & { queries: Array<{ sql: string; params: readonly unknown[] }> } {
  const queries: Array<{ sql: string; params: readonly unknown[] }> = [];
  const db = {
    dialect: 'mssql',
    kind: 'mssql',
    description: 'SQL Server (simulated)',
    defaultSchema: 'dbo',
    queries,
    async query(sql: string, params: readonly unknown[] = []) {
      queries.push({ sql, params });
      if (sql.includes("SERVERPROPERTY('ProductVersion')")) {
        return [
          {
            product_version: s.version,
            product_level: 'RTM',
            edition: 'Developer Edition',
            engine_edition: s.engineEdition ?? 3,
            database_name: s.current,
            compatibility_level: s.compat[s.current.toLowerCase()] ?? null,
            can_create_table: s.createTable === false ? 0 : 1,
          },
        ];
      }
      if (sql.includes('FROM sys.databases AS d')) {
        const name = String(params[0] ?? s.current).toLowerCase();
        return name in s.compat ? [{ database_name: name, compatibility_level: s.compat[name], state: 'ONLINE', can_connect: 1, can_create_table: s.createTable === false ? 0 : 1 }] : [];
      }
      if (sql.includes('sys.sp_executesql')) {
        const dbName = String(params[0] ?? s.current).toLowerCase();
        if (!(dbName in s.compat)) return [{ database_name: dbName, schema_exists: null, can_select: null, can_alter: null, error_message: 'database not found' }];
        const sch = s.schemas[`${dbName}.${String(params[1]).toLowerCase()}`];
        return [{ database_name: dbName, schema_exists: sch ? 1 : 0, can_select: sch?.select ? 1 : 0, can_alter: sch?.alter ? 1 : 0, error_message: null }];
      }
      throw new Error(`unexpected query: ${sql.slice(0, 60)}`);
    },
  } as unknown as Db & { queries: typeof queries };
  return db;
}

const base: ServerState = {
  version: '15.0.2000.5',
  current: 'HDM_Local',
  compat: { hdm_local: 150, hdm: 150 },
  schemas: { 'hdm_local.ssd_development': { select: true, alter: true }, 'hdm.child_social': { select: true, alter: false } },
};
const check = async (s: ServerState) => {
  const plan = planScript(fixture, { dialect: 'tsql', file: 'x.sql' });
  return runPreflight(fakeServer(s), { script: { text: fixture, file: 'x.sql', dialect: 'tsql', plan } });
};
const byId = (r: Awaited<ReturnType<typeof check>>) => Object.fromEntries(r.checks.map((c) => [c.id, c]));

describe('pre-flight on SQL Server', () => {
  it('SQL Server 2019, level 150, schema and source in place: passes', async () => {
    const r = await check(base);
    assert.equal(r.ok, true, JSON.stringify(r.checks.filter((c) => c.status !== 'ok')));
    assert.equal(r.server.product, 'SQL Server 2019');
    const c = byId(r);
    assert.equal(c['source:hdm.child_social']!.status, 'ok');
    assert.equal(c['target-schema:ssd_development']!.status, 'ok');
    assert.equal(c['use-database'], undefined);
  });

  // Issue 11 item 12: pre-flight judges each batch by what it needs. The fixture's CREATE OR ALTER
  // VIEW is in its last, optional batches (the view and the SELECT from it): reported and skipped.
  it('SQL Server 2014: the optional view batch using CREATE OR ALTER is reported with its line and skipped, with the SELECT from it; the tables still run', async () => {
    const r = await check({ ...base, version: '12.0.6024.0', compat: { hdm_local: 120, hdm: 120 } });
    const c = byId(r);
    assert.equal(c['feature:CREATE OR ALTER']!.status, 'warn');
    assert.equal(c['feature:CREATE OR ALTER']!.line, fixture.slice(0, fixture.indexOf('CREATE OR ALTER VIEW')).split('\n').length);
    assert.match(c['feature:CREATE OR ALTER']!.detail, /needs SQL Server 2016 SP1.*Only optional batch/);
    assert.equal(c['feature:TRY_CONVERT / TRY_CAST']!.status, 'ok');
    assert.equal(c['supported-server']!.status, 'warn');
    const plan = planScript(fixture, { dialect: 'tsql', file: 'x.sql' });
    const view = plan.batches.find((b) => /CREATE OR ALTER VIEW/.test(b.text))!;
    const select = plan.batches.find((b) => /^\s*SELECT \* FROM ssd_development\.ssd_vw_current_time_windows/m.test(b.text) && b !== view)!;
    assert.deepEqual(
      r.skipBatches,
      [view.index, select.index].sort((a, b) => a - b),
    );
    assert.ok(plan.batches.some((b) => b.tables.length > 0 && !r.skipBatches.includes(b.index)));
    assert.equal(r.ok, true);
  });

  it('a batch that builds a table and needs a newer server stops the run (fail), not a skip', async () => {
    const text = `-- META-CONTAINER: {"type": "table", "name": "ssd_person"}\nCREATE OR ALTER PROCEDURE ssd_development.proc_ssd_person AS SELECT 1;\nGO\n-- META-END\n`;
    const plan = planScript(text, { dialect: 'tsql', file: 'p.sql' });
    const r = await runPreflight(fakeServer({ ...base, version: '13.0.1601.5', compat: { hdm_local: 130, hdm: 130 } }), {
      script: { text, file: 'p.sql', dialect: 'tsql', plan },
      schema: 'ssd_development',
    });
    assert.equal(byId(r)['feature:CREATE OR ALTER']!.status, 'fail');
    assert.deepEqual(r.skipBatches, []);
    assert.equal(r.ok, false);
  });

  it('SQL Server 2016 before SP1 (13.0.1601): CREATE OR ALTER still lacking (the optional view is skipped)', async () => {
    const c = byId(await check({ ...base, version: '13.0.1601.5', compat: { hdm_local: 130, hdm: 130 } }));
    assert.equal(c['feature:CREATE OR ALTER']!.status, 'warn');
    assert.equal(byId(await check({ ...base, version: '13.0.4001.0', compat: { hdm_local: 130, hdm: 130 } }))['feature:CREATE OR ALTER']!.status, 'ok');
  });

  it('compatibility level 100 on a new server: TRY_CONVERT fails and says to raise the level of the USE database', async () => {
    const c = byId(await check({ ...base, compat: { hdm_local: 100, hdm: 150 } }));
    assert.equal(c['feature:TRY_CONVERT / TRY_CAST']!.status, 'fail');
    assert.match(c['feature:TRY_CONVERT / TRY_CAST']!.fix!, /ALTER DATABASE hdm_local SET COMPATIBILITY_LEVEL = 110/);
  });

  it('Azure SQL passes the version checks whatever its version number says', async () => {
    const c = byId(await check({ ...base, version: '12.0.2000.8', engineEdition: 5 }));
    assert.equal(c['feature:CREATE OR ALTER']!.status, 'ok');
  });

  it('missing ssd_development, unreadable source, wrong database: each fails with a fix; connected elsewhere warns', async () => {
    const r = await check({ ...base, current: 'master', compat: { master: 150, hdm_local: 150, hdm: 150 }, schemas: { 'hdm.child_social': { select: false, alter: false } } });
    const c = byId(r);
    assert.equal(c['use-database']!.status, 'warn');
    assert.match(c['use-database']!.fix!, /Database=hdm_local/);
    assert.equal(c['target-schema:ssd_development']!.status, 'fail');
    assert.match(c['target-schema:ssd_development']!.fix!, /CREATE SCHEMA ssd_development;/);
    assert.equal(c['source:hdm.child_social']!.status, 'fail');
    assert.match(c['source:hdm.child_social']!.fix!, /GRANT SELECT ON SCHEMA::child_social/);
    const noDb = byId(await check({ ...base, compat: { hdm_local: 150 } }));
    assert.equal(noDb['source:hdm.child_social']!.status, 'fail');
    assert.match(noDb['source:hdm.child_social']!.detail, /database not found/);
  });

  it('binds names as parameters, never pastes them into the SQL', async () => {
    const db = fakeServer(base);
    await runPreflight(db, { script: { text: fixture, file: 'x.sql', dialect: 'tsql' } });
    for (const q of db.queries) assert.ok(!/hdm_local|child_social|ssd_development/i.test(q.sql), q.sql.slice(0, 80));
    assert.ok(db.queries.some((q) => q.params.includes('child_social')));
  });
});
