import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { runPreflight } from '../../../src/script/preflight';
import { stageChildren } from '../../../src/staging/stageChildren';

forEachTarget('ssd preflight', (fx, target) => {
  if (target.name === 'mssql') {
    it('SQL Server: server, CREATE TABLE permission, schema checks and features', async () => {
      const { db, schema } = fx();
      const text = `CREATE TABLE ${schema}.t (id int);\nINSERT INTO ${schema}.t SELECT TRY_CONVERT(int, '1');\nCREATE TABLE ssd_missing_schema.u (id int);`;
      const r = await runPreflight(db, { script: { text, file: 'm.sql', dialect: 'tsql' } });
      assert.equal(r.checks.find((c) => c.id === `target-schema:${schema}`)!.status, 'ok');
      assert.equal(r.checks.find((c) => c.id === 'target-schema:ssd_missing_schema')!.status, 'fail');
      assert.ok(r.checks.find((c) => c.id === 'feature:TRY_CONVERT / TRY_CAST'));
      assert.match(r.server.version, /^\d+\./);
    });
    return;
  }
  it('passes for a script that builds in an existing schema', async () => {
    const { db, schema } = fx();
    const text = `CREATE TABLE IF NOT EXISTS ${schema}.ssd_person (pers_person_id varchar(48) PRIMARY KEY);\nINSERT INTO ${schema}.ssd_person SELECT g::text FROM generate_series(1, 3) g;`;
    const r = await runPreflight(db, { script: { text, file: 'ok.sql', dialect: 'postgres' } });
    assert.equal(r.ok, true, JSON.stringify(r.checks));
    assert.ok(r.checks.some((c) => c.id === `target-schema:${schema}` && c.status === 'ok'));
    assert.match(r.server.version, /^\d+/);
    // ssd stage's work table is a temporary table: the TEMP privilege is checked too.
    assert.equal(r.checks.find((c) => c.id === 'temp-tables')?.status, 'ok');
  });

  if (target.name === 'pglite') {
    it('names the missing TEMP privilege that ssd stage needs, and staging refuses with the same fix', async () => {
      // The privilege is taken away from PUBLIC in this in-memory database, and given back after.
      const { db, schema } = fx();
      const [{ d }] = (await db.query<{ d: string }>('SELECT current_database() AS d')) as [{ d: string }];
      await db.execute('CREATE ROLE ssd_no_temp');
      await db.execute(`REVOKE TEMP ON DATABASE "${d}" FROM PUBLIC`);
      await db.execute(`GRANT USAGE, CREATE ON SCHEMA "${schema}" TO ssd_no_temp`);
      await db.execute(`GRANT CREATE ON DATABASE "${d}" TO ssd_no_temp`);
      await db.execute('SET ROLE ssd_no_temp');
      try {
        const r = await runPreflight(db, { schema });
        const c = r.checks.find((x) => x.id === 'temp-tables')!;
        assert.equal(c.status, 'fail');
        assert.equal(r.ok, false);
        assert.match(c.detail, /ssd stage keeps its run's work table .* in a temporary table/);
        assert.match(c.fix!, /GRANT TEMP ON DATABASE .* TO ssd_no_temp/);
        await assert.rejects(
          stageChildren(
            db,
            (async function* () {
              /* no child */
            })(),
            { schema, allowEmptyCohort: true },
          ),
          /temporary work table.*GRANT TEMP ON DATABASE/,
        );
        // Nothing permanent besides the staging table itself.
        const tables = (await db.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [schema])).map((x) => x.t);
        assert.deepEqual(tables, ['ssd_api_data_staging']);
      } finally {
        await db.execute('RESET ROLE');
        await db.execute(`GRANT TEMP ON DATABASE "${d}" TO PUBLIC`);
        await db.execute(`DROP TABLE IF EXISTS "${schema}".ssd_api_data_staging`);
        await db.execute(`REVOKE ALL ON SCHEMA "${schema}" FROM ssd_no_temp`);
        await db.execute(`REVOKE ALL ON DATABASE "${d}" FROM ssd_no_temp`);
        await db.execute('DROP ROLE ssd_no_temp');
      }
    });
  }

  it('fails with a fix when the target schema is missing and the script does not create it', async () => {
    const { db } = fx();
    const r = await runPreflight(db, { script: { text: 'CREATE TABLE ssd_development_missing.ssd_person (id int);', file: 'm.sql', dialect: 'postgres' } });
    assert.equal(r.ok, false);
    const c = r.checks.find((x) => x.id === 'target-schema:ssd_development_missing')!;
    assert.equal(c.status, 'fail');
    assert.match(c.fix!, /CREATE SCHEMA ssd_development_missing/);
  });

  it('only warns when the script creates the schema itself', async () => {
    const { db } = fx();
    const r = await runPreflight(db, { script: { text: 'CREATE SCHEMA IF NOT EXISTS ssd_made_here;\nCREATE TABLE ssd_made_here.t (id int);', file: 'c.sql', dialect: 'postgres' } });
    assert.equal(r.checks.find((x) => x.id === 'target-schema:ssd_made_here')!.status, 'warn');
    assert.equal(r.ok, true);
  });

  it('fails for a source schema that does not exist, at the line that reads it', async () => {
    const { db, schema } = fx();
    const text = `CREATE TABLE ${schema}.t (id int);\nINSERT INTO ${schema}.t\nSELECT id FROM eclipse_views.personview;`;
    const r = await runPreflight(db, { script: { text, file: 's.sql', dialect: 'postgres' } });
    const c = r.checks.find((x) => x.id === 'source:eclipse_views')!;
    assert.equal(c.status, 'fail');
    assert.equal(c.line, 3);
  });

  it('checks features against the server version', async () => {
    const { db, schema } = fx();
    const r = await runPreflight(db, { script: { text: `CREATE TABLE ${schema}.u (id uuid DEFAULT gen_random_uuid());`, file: 'f.sql', dialect: 'postgres' } });
    const c = r.checks.find((x) => x.id === 'feature:gen_random_uuid()')!;
    assert.equal(c.status, 'ok'); // PostgreSQL 15 / PGlite 17
  });

  if (target.name === 'postgres') {
    it('fails when the user may not create tables in the schema', async () => {
      const { db, schema } = fx();
      const role = `ssd_ro_${schema.slice(-8)}`;
      await db.execute(`CREATE ROLE ${role} LOGIN PASSWORD 'ro'`);
      try {
        const url = new URL(process.env.SSD_TEST_PG!);
        url.username = role;
        url.password = 'ro';
        const { openDb } = await import('../../../src/db/openDb');
        const ro = await openDb(url.toString());
        try {
          const r = await runPreflight(ro, { script: { text: `CREATE TABLE ${schema}.t (id int);`, file: 'p.sql', dialect: 'postgres' } });
          const c = r.checks.find((x) => x.id === `target-schema:${schema}`)!;
          assert.equal(c.status, 'fail');
          assert.match(c.fix!, /GRANT USAGE, CREATE ON SCHEMA/);
        } finally {
          await ro.close();
        }
      } finally {
        await db.execute(`DROP ROLE ${role}`);
      }
    });
  }
});
