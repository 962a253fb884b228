// The staging job (src/staging/job.ts) `ssd stage` and the editor's Build Staging both call: it
// picks the _anon table on fake data, reports people read of those present, stops on the signal
// with CancelledError, and asks the safety stop's question through the confirm hook: no leaves the
// staging table as it was, yes stages (this run only), no hook throws the stop.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { PROBLEM_KINDS } from '../../../src/fake/cohort';
import { runStageJob, type StageJobAttempt, type StageJobQuestion, type StageProgress } from '../../../src/staging/job';
import { SafetyStopError } from '../../../src/staging/safetyStop';
import { recentStageRuns } from '../../../src/staging/stageRuns';
import { qualify } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';

const AS_OF = '2026-08-10';
const clean = Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0]));

async function rowsOf(db: Db, schema: string, table: string): Promise<string> {
  const t = qualify(db.dialect, schema, table);
  return JSON.stringify(await db.query(`SELECT id, person_id, submission_status, row_state FROM ${t} ORDER BY id`));
}

forEachTarget(
  'staging job',
  (fx) => {
    it('stages fake data into the _anon table with progress over the people read, each attempt through step', async () => {
      const { db, schema } = fx();
      await generateFakeSsd(db, { schema, children: 80, asOf: AS_OF, shares: clean });
      const events: StageProgress[] = [];
      const reports: Array<number | undefined> = [];
      const attempts: StageJobAttempt[] = [];
      let started: string | undefined;
      const out = await runStageJob(db, {
        schema,
        asOf: AS_OF,
        batchSize: 20,
        onStart: ({ table, stagingSchema }) => {
          started = `${stagingSchema}.${table}`;
        },
        onProgress: (p) => events.push({ ...p }),
        step: (attempt, work) => {
          attempts.push(attempt);
          return work({ report: (p) => reports.push(p) });
        },
      });
      assert.ok(out.staged);
      assert.equal(out.table, 'ssd_api_data_staging_anon', 'fake data goes to the _anon table by default');
      assert.equal(started, `${schema}.ssd_api_data_staging_anon`);
      assert.deepEqual(attempts, ['stage']);
      assert.ok(out.report.cohort > 20, `cohort ${out.report.cohort}`);
      assert.ok(events.length >= 2, `${events.length} progress events`);
      assert.equal(events.at(-1)!.children, out.report.cohort);
      assert.equal(events.at(-1)!.totalPersons, out.report.persons);
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.children >= events[i - 1]!.children);
      assert.ok(
        reports.every((p) => p !== undefined && p >= 0 && p <= 99),
        `percentages ${reports.join(', ')}`,
      );
    });

    it('an aborted signal stops the job with CancelledError; the run is logged cancelled', async () => {
      const { db, schema } = fx();
      const ac = new AbortController();
      const err = await runStageJob(db, {
        schema,
        asOf: AS_OF,
        table: 'ssd_api_data_staging',
        batchSize: 10,
        signal: ac.signal,
        onProgress: () => ac.abort(),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof Error && err.name === 'CancelledError', `expected CancelledError, got ${String(err)}`);
      const runs = await recentStageRuns(db, schema, `${schema}.ssd_api_data_staging`);
      assert.equal(runs[0]!.outcome, 'cancelled');
    });

    it('the safety stop is asked: no writes nothing, yes stages this run, no hook throws the stop', async () => {
      const { db, schema } = fx();
      const table = 'ssd_api_data_staging';
      const first = await runStageJob(db, { schema, asOf: AS_OF, table });
      assert.ok(first.staged);
      const t = qualify(db.dialect, schema, table);
      await db.execute(`UPDATE ${t} SET submission_status = 'Sent', row_state = 'Unchanged', previous_json_payload = json_payload, previous_hash = current_hash`);
      await db.execute(`DELETE FROM ${qualify(db.dialect, schema, 'ssd_cin_episodes')}`);
      const before = await rowsOf(db, schema, table);

      await assert.rejects(runStageJob(db, { schema, asOf: AS_OF, table }), (e: unknown) => e instanceof SafetyStopError);

      const asked: StageJobQuestion[] = [];
      const no = await runStageJob(db, {
        schema,
        asOf: AS_OF,
        table,
        stopMessageFor: 'editor',
        confirm: (q) => {
          asked.push(q);
          return false;
        },
      });
      assert.equal(no.staged, false);
      assert.ok(!no.staged && no.declined === 'safety-stop');
      assert.equal(asked.length, 1);
      assert.match(asked[0]!.stop.message, /ssd_cin_episodes has 0 rows/);
      assert.equal(await rowsOf(db, schema, table), before, 'a refused stop changes no staging row');

      const attempts: StageJobAttempt[] = [];
      const yes = await runStageJob(db, {
        schema,
        asOf: AS_OF,
        table,
        confirm: () => true,
        step: (a, work) => {
          attempts.push(a);
          return work({ report: () => undefined });
        },
      });
      assert.ok(yes.staged);
      assert.deepEqual(attempts, ['stage', 'stage-anyway']);
      assert.ok(yes.stop instanceof SafetyStopError);
      assert.equal(yes.report.safety?.stopped, true, 'staged past the stop');
      assert.notEqual(await rowsOf(db, schema, table), before);
    });
  },
  { oracle: true },
);
