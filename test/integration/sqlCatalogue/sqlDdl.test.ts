// The DDL `ssd sql init|stage --ddl` prints is what a DBA saves and runs by hand (SSMS: batch by
// batch at each GO). Run it on a real database, then `ssd init` finds every table present and
// staging uses the staging table as it is.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { runCli } from '../../helpers/runCli';
import { initTables } from '../../../src/ddl/initTables';
import { tablesForSet } from '../../../src/model/ssdModel';
import { ensureStagingTable } from '../../../src/staging/stagingTable';

forEachTarget('ssd sql --ddl run by hand', (fx) => {
  const runScript = async (text: string) => {
    const { db } = fx();
    const parts = db.dialect === 'mssql' ? text.split(/^GO$/m) : [text];
    for (const p of parts) if (p.replace(/--[^\n]*/g, '').trim()) await db.runBatch(p);
  };

  it('init --tables all: the printed script creates every table; ssd init then creates none; running it again changes nothing', async () => {
    const { db, schema } = fx();
    const r = await runCli(['sql', 'init', '--dialect', db.dialect, '--schema', schema, '--tables', 'all', '--ddl']);
    assert.equal(r.code, 0, r.stderr);
    await runScript(r.stdout);
    await runScript(r.stdout);
    const again = await initTables(db, { schema, tables: 'all' });
    assert.deepEqual(again.created, []);
    assert.equal(again.alreadyPresent.length, tablesForSet('all').length);
  });

  it('stage: the printed staging table and run log are what staging expects, and no work table', async () => {
    const { db, schema } = fx();
    const r = await runCli(['sql', 'stage', '--dialect', db.dialect, '--schema', schema, '--ddl']);
    assert.equal(r.code, 0, r.stderr);
    // The staging table and the run log; the run's work table is a temporary table of the run's
    // own session, so a DBA has no work table to create.
    assert.match(r.stdout, /ssd_api_stage_runs/);
    assert.doesNotMatch(r.stdout, /run_marks|CREATE TEMP|TABLE #/);
    await runScript(r.stdout);
    const info = await ensureStagingTable(db, { schema });
    assert.equal(info.created, false);
    assert.equal(info.hasLegacyId, true);
  });
});
