// The run-script job (src/script/job.ts) the CLI and the editor both call: the checks run in their
// own phase, their questions are asked through the confirm hook before anything is written, and a
// "no" (or a failed pre-flight with stopWhenPreflightFails) leaves the database as it was.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { planScript } from '../../../src/script/plan';
import { runScriptJob, type ScriptJobPhase, type ScriptJobQuestion } from '../../../src/script/job';
import type { Db } from '../../../src/db/types';

forEachTarget('run-script job', (fx, target) => {
  if (target.name === 'mssql') return; // the flow is dialect-neutral; the scripts below are PostgreSQL
  const count = async (db: Db, table: string) => Number((await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

  it('asks about drift before the run: no leaves the table untouched, yes runs the script', async () => {
    const { db, schema } = fx();
    await db.execute(`CREATE TABLE ${schema}.job_t (id int PRIMARY KEY)`);
    const text = `CREATE TABLE IF NOT EXISTS ${schema}.job_t (id int PRIMARY KEY, label varchar(10));\nINSERT INTO ${schema}.job_t (id) VALUES (1);\n`;
    const plan = planScript(text, { dialect: 'postgres', file: 'job.sql' });
    const asked: ScriptJobQuestion['kind'][] = [];
    const no = await runScriptJob(db, {
      plan,
      text,
      schema,
      preflight: false,
      confirm: (q) => {
        asked.push(q.kind);
        return false;
      },
    });
    assert.equal(no.ran, false);
    assert.deepEqual(asked, ['drift']);
    assert.equal(no.checks.drift?.drift, true);
    assert.equal(await count(db, `${schema}.job_t`), 0);

    const phases: ScriptJobPhase[] = [];
    const runPercents: number[] = [];
    const yes = await runScriptJob(db, {
      plan,
      text,
      schema,
      preflight: false,
      confirm: () => true,
      step: (phase, work) => {
        phases.push(phase);
        return work({
          report: (p) => {
            if (phase === 'run') runPercents.push(p);
          },
        });
      },
    });
    assert.equal(yes.ran, true);
    assert.ok(yes.ran && yes.result.ok);
    assert.deepEqual(phases, ['checks', 'run']);
    assert.equal(runPercents.at(-1), 100);
    assert.equal(await count(db, `${schema}.job_t`), 1);
  });

  it('a failed pre-flight stops before drift and the run (stopWhenPreflightFails), or is asked about', async () => {
    const { db, schema } = fx();
    const text = `CREATE TABLE ${schema}.job_u (id int);\nCREATE TABLE no_such_schema_for_job.job_v (id int);\n`;
    const plan = planScript(text, { dialect: 'postgres', file: 'job2.sql' });
    let shown = 0;
    const stopped = await runScriptJob(db, {
      plan,
      text,
      schema,
      stopWhenPreflightFails: true,
      onChecks: () => {
        shown++;
      },
    });
    assert.equal(stopped.ran, false);
    assert.ok(!stopped.ran && 'stoppedBy' in stopped && stopped.stoppedBy === 'preflight');
    assert.equal(stopped.checks.preflight?.ok, false);
    assert.equal(stopped.checks.drift, undefined, 'drift is not checked after a failed pre-flight');
    assert.equal(shown, 1, 'the checks are shown before stopping');

    const declined = await runScriptJob(db, { plan, text, schema, confirm: (q) => q.kind !== 'preflight-failed' });
    assert.ok(!declined.ran && 'declined' in declined && declined.declined === 'preflight-failed');
    assert.ok(declined.checks.drift, 'without stopWhenPreflightFails both checks run before the questions');
    assert.equal((await db.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'job_u'`, [schema])).length, 0);
  });
});
