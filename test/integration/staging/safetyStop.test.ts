// The staging safety stop (issue 18, scenario 2): a broken refresh of one SSD table must not turn
// into purges. Fake clean children are staged and acknowledged, then ssd_cin_episodes is emptied
// (what a failed TRUNCATE-then-INSERT refresh leaves): staging stops, no staging row changes.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { PROBLEM_KINDS } from '../../../src/fake/cohort';
import { stageFromSsd } from '../../../src/staging/runStage';
import { parseMaxDeletions, parseMinTableShare, SafetyStopError, deletionLimit, tableFindings } from '../../../src/staging/safetyStop';
import { recentStageRuns } from '../../../src/staging/stageRuns';
import { qualify } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';

const AS_OF = '2026-08-10';

/** Every column of every staging row, as text, in id order: a stop must leave this identical. */
async function snapshot(db: Db, schema: string): Promise<string> {
  const t = qualify(db.dialect, schema, 'ssd_api_data_staging');
  const hex = (c: string) => (db.dialect === 'mssql' ? `LOWER(CONVERT(VARCHAR(64), ${c}, 2))` : `encode(${c}, 'hex')`);
  const text = db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : 'TEXT';
  const rows = await db.query(`SELECT id, person_id, legacy_id, CAST(previous_json_payload AS ${text}) AS pj, CAST(json_payload AS ${text}) AS j,
    CAST(partial_json_payload AS ${text}) AS pa, ${hex('current_hash')} AS ch, ${hex('previous_hash')} AS ph, submission_status, CAST(submission_timestamp AS VARCHAR(40)) AS st,
    CAST(api_response AS ${text}) AS ar, row_state, CAST(last_updated AS VARCHAR(40)) AS lu FROM ${t} ORDER BY id`);
  return JSON.stringify(rows);
}

async function acknowledgeAll(db: Db, schema: string): Promise<void> {
  const t = qualify(db.dialect, schema, 'ssd_api_data_staging');
  await db.execute(`UPDATE ${t} SET submission_status = 'Sent', row_state = 'Unchanged', previous_json_payload = json_payload, previous_hash = current_hash`);
}

const clean = Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0]));

forEachTarget('staging safety stop', (fx) => {
  let cinBackup: string;

  it('stops before writing when ssd_cin_episodes was emptied after a clean, acknowledged stage; --allow-mass-change goes on for one run', async () => {
    const { db, schema } = fx();
    await generateFakeSsd(db, { schema, children: 300, asOf: AS_OF, shares: clean });
    const first = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.ok(first.cohort > 200, `cohort ${first.cohort}`);
    assert.equal(first.safety?.stopped, false);
    await acknowledgeAll(db, schema);
    const cin = qualify(db.dialect, schema, 'ssd_cin_episodes');
    cinBackup = qualify(db.dialect, schema, 'cin_backup');
    await db.execute(db.dialect === 'mssql' ? `SELECT * INTO ${cinBackup} FROM ${cin}` : `CREATE TABLE ${cinBackup} AS SELECT * FROM ${cin}`);
    const cinRows = Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${cin}`))[0]!.n);
    await db.execute(`TRUNCATE TABLE ${cin}`);

    const before = await snapshot(db, schema);
    // Read 10 rows a round trip: the builder's read (started before the safety stop decides) cannot
    // have finished on its own when the stop comes, so the check below sees whether the stop ended it.
    const err = await stageFromSsd(db, { schema, asOf: AS_OF, readBatchSize: 10 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SafetyStopError, `expected a safety stop, got ${String(err)}`);
    const f = err.findings;
    assert.equal(f.stopped, true);
    assert.deepEqual(
      f.tables.map((t) => [t.table, t.rows, t.baselineRows, t.kind]),
      [['ssd_cin_episodes', 0, cinRows, 'empty']],
    );
    assert.equal(f.acknowledged, first.cohort);
    assert.equal(f.limit, Math.max(25, Math.floor(first.cohort * 0.02)));
    assert.ok(f.purges! > f.limit, `purges ${f.purges}`);
    assert.match(err.message, new RegExp(`ssd_cin_episodes has 0 rows \\(${cinRows.toLocaleString('en-GB')} at the last stage on \\d{4}-\\d\\d-\\d\\d\\)`));
    assert.match(err.message, new RegExp(`${f.purges!.toLocaleString('en-GB')} of ${f.acknowledged.toLocaleString('en-GB')} acknowledged children would be purged`));
    assert.match(err.message, /--allow-mass-change/);
    assert.equal(await snapshot(db, schema), before, 'a stop changes no staging row');
    if (db.dialect === 'postgres') {
      // The builder's read, started before the prologue on its own connection (startEarly), ended with the stop.
      const readers = async () => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name LIKE '%(reader)' AND datname = current_database()`))[0]!.n);
      const end = Date.now() + 5000;
      while ((await readers()) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await readers(), 0, 'no reader connection is left after a safety stop');
    }

    // The run log: completed, then stopped with the reason and the planned numbers.
    const runs = await recentStageRuns(db, schema, `${schema}.ssd_api_data_staging`);
    assert.deepEqual(
      runs.map((r) => r.outcome),
      ['stopped', 'completed'],
    );
    assert.equal(runs[0]!.plannedPurges, f.purges);
    assert.equal(runs[0]!.plannedEpisodeLosses, f.episodeLosses);
    assert.match(runs[0]!.stopReason ?? '', /ssd_cin_episodes has 0 rows/);
    assert.equal(runs[1]!.sourceRowCounts?.ssd_cin_episodes, cinRows);
    assert.equal(runs[1]!.cohort, first.cohort);

    // Higher limits alone still stop on the emptied table.
    await assert.rejects(stageFromSsd(db, { schema, asOf: AS_OF, thresholds: { maxDeletions: parseMaxDeletions('100%'), minTableShare: 0.7 } }), /ssd_cin_episodes has 0 rows/);
    assert.equal(await snapshot(db, schema), before);

    // Overridden for one run: the purges happen (the user said the change is real).
    const forced = await stageFromSsd(db, { schema, asOf: AS_OF, allowMassChange: true });
    assert.equal(forced.safety?.stopped, true);
    assert.ok(forced.deletionPayloads > f.limit);
    assert.notEqual(await snapshot(db, schema), before);
    const last = (await recentStageRuns(db, schema, `${schema}.ssd_api_data_staging`, { limit: 1 }))[0]!;
    assert.deepEqual([last.outcome, last.massChangeAllowed, last.deletionPayloads], ['completed', true, forced.deletionPayloads]);
  });

  it('the override was for that run only; restoring the table is a normal change again', async () => {
    const { db, schema } = fx();
    const cin = qualify(db.dialect, schema, 'ssd_cin_episodes');
    await db.execute(`INSERT INTO ${cin} SELECT * FROM ${cinBackup}`);
    // Restored: the children come back (re-entry), nothing left the cohort.
    const back = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.equal(back.deleted, 0);
    assert.ok(back.updated > 0);
    await acknowledgeAll(db, schema);
    // Emptied again: stopped again, although the previous run was allowed.
    await db.execute(`TRUNCATE TABLE ${cin}`);
    const before = await snapshot(db, schema);
    await assert.rejects(stageFromSsd(db, { schema, asOf: AS_OF }), (e: unknown) => e instanceof SafetyStopError);
    assert.equal(await snapshot(db, schema), before);
    await db.execute(`INSERT INTO ${cin} SELECT * FROM ${cinBackup}`);
  });

  it('a child who really left is still purged when the numbers are normal (D7), and --max-deletions is honoured', async () => {
    const { db, schema } = fx();
    await stageFromSsd(db, { schema, asOf: AS_OF });
    await acknowledgeAll(db, schema);
    // Three children leave the cohort: their only episodes move far out of the window.
    const st = qualify(db.dialect, schema, 'ssd_api_data_staging');
    const cin = qualify(db.dialect, schema, 'ssd_cin_episodes');
    const live = await db.query<{ person_id: string }>(`SELECT person_id FROM ${st} WHERE row_state <> 'Deleted' ORDER BY person_id`);
    const leavers: string[] = [];
    for (const { person_id } of live) {
      if (leavers.length === 3) break;
      const other = qualify(db.dialect, schema, 'ssd_cla_episodes');
      const cp = qualify(db.dialect, schema, 'ssd_cp_plans');
      const busy = await db.query(`SELECT 1 AS x FROM ${other} WHERE clae_person_id = $1 UNION ALL SELECT 1 FROM ${cp} WHERE cppl_person_id = $1`, [person_id]);
      if (busy.length) continue;
      leavers.push(person_id);
    }
    for (const id of leavers) await db.execute(`DELETE FROM ${cin} WHERE cine_person_id = $1`, [id]);
    const before = await snapshot(db, schema);
    // A limit of 1 stops it ...
    const err = await stageFromSsd(db, { schema, asOf: AS_OF, thresholds: { maxDeletions: parseMaxDeletions('1'), minTableShare: 0.7 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SafetyStopError, String(err));
    assert.ok(err.findings.purges! >= 2 && err.findings.purges! <= 3, `purges ${err.findings.purges}`);
    assert.equal(await snapshot(db, schema), before);
    // ... the default lets it through: the leavers are purged.
    const r = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.equal(r.deletionPayloads, err.findings.purges);
    const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${st} WHERE row_state = 'Deleted' AND submission_status = 'Pending'`);
    assert.equal(Number(rows[0]!.n), r.deletionPayloads);
  });
});

describe('safety stop thresholds (pure)', () => {
  it('parses --max-deletions and --min-table-share and computes the limit', () => {
    assert.deepEqual(parseMaxDeletions('25,2%'), { count: 25, percent: 2 });
    assert.deepEqual(parseMaxDeletions('max(25, 2%)'), { count: 25, percent: 2 });
    assert.deepEqual(parseMaxDeletions('10'), { count: 10, percent: null });
    assert.deepEqual(parseMaxDeletions('5%'), { count: null, percent: 5 });
    assert.throws(() => parseMaxDeletions('lots'), /--max-deletions/);
    assert.throws(() => parseMaxDeletions('120%'), /0% to 100%/);
    assert.equal(parseMinTableShare('70%'), 0.7);
    assert.throws(() => parseMinTableShare('x'), /--min-table-share/);
    assert.equal(deletionLimit(parseMaxDeletions('25,2%'), 9509), 190);
    assert.equal(deletionLimit(parseMaxDeletions('25,2%'), 100), 25);
    assert.equal(deletionLimit(parseMaxDeletions('5%'), 100), 5);
  });
  it('flags emptied and shrunk tables against the baseline, and core tables without one', () => {
    const base = { ssd_person: 10000, ssd_cin_episodes: 52114, ssd_sdq_scores: 0, ssd_disability: 40 };
    assert.deepEqual(
      tableFindings({ ssd_person: 10000, ssd_cin_episodes: 0, ssd_sdq_scores: 0, ssd_disability: 39 }, base, 9000, 0.7).map((f) => [f.table, f.kind]),
      [['ssd_cin_episodes', 'empty']],
    );
    assert.deepEqual(
      tableFindings({ ssd_person: 6000, ssd_cin_episodes: 52114 }, base, 9000, 0.7).map((f) => [f.table, f.kind]),
      [['ssd_person', 'shrunk']],
    );
    assert.deepEqual(tableFindings({ ssd_person: 6000, ssd_cin_episodes: 52114 }, base, 9000, 0.5), []);
    // No baseline: only the core tables, and only while the staging table has live rows.
    assert.deepEqual(
      tableFindings({ ssd_person: 10, ssd_cin_episodes: 0, ssd_sdq_scores: 0 }, null, 5, 0.7).map((f) => f.table),
      ['ssd_cin_episodes'],
    );
    assert.deepEqual(tableFindings({ ssd_person: 10, ssd_cin_episodes: 0 }, null, 0, 0.7), []);
  });
});
