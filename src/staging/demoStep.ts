// The demo's staging step (`ssd demo`): validate and stage the fake children into the staging
// table, print the counts and one example payload. Fake data only: the demo database is made of
// generated children, so printing a payload here shows no real person.
import { limitClause, qualify, quoteIdent } from '../db/dialect';
import type { DemoStep } from '../demo/runDemo';
import { stageFromSsd } from './runStage';
import { printStageReport } from './format';

export const STAGING_DEMO_TABLE = 'ssd_api_data_staging_anon';

export const stagingDemoStep: DemoStep = {
  name: 'staging',
  async run(ctx) {
    const report = await stageFromSsd(ctx.db, { schema: ctx.schema, asOf: ctx.asOf, table: STAGING_DEMO_TABLE, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    ctx.extra.staging = report;
    ctx.print('');
    printStageReport(report, ctx.print);
    // One example: the first queued child with social care episodes, else the first queued child.
    const d = ctx.db.dialect;
    const { top, limit } = limitClause(d, 1);
    const q = (c: string) => quoteIdent(d, c);
    const t = qualify(d, ctx.schema, STAGING_DEMO_TABLE);
    const pick = async (extra: string) =>
      (
        await ctx.db.query<{ person_id: string; json_payload: string }>(
          `SELECT ${top}${q('person_id')} AS person_id, ${q('json_payload')} AS json_payload FROM ${t} WHERE LOWER(${q('submission_status')}) = 'pending'${extra} ORDER BY ${q('person_id')}${limit}`,
        )
      )[0];
    const example = (await pick(` AND ${q('json_payload')} LIKE '%"social_care_episodes"%'`)) ?? (await pick(''));
    if (example) {
      ctx.print('');
      ctx.print(`Example payload (fake child ${example.person_id}), as staged in ${STAGING_DEMO_TABLE}.json_payload:`);
      for (const line of JSON.stringify(JSON.parse(example.json_payload), null, 2).split('\n')) ctx.print(`  ${line}`);
    }
  },
};
