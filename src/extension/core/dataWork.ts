// The pure parts of the extension's data commands (Generate Fake Data, Build Staging, Show Staging
// Row): which staging table and which fake-data targets apply, staging with progress over the
// people read (the worker's side of the staging job, src/staging/job.ts), and the reports. No
// 'vscode'. Reports carry ids, counts and rule names only.
import type { Db } from '../../db/types';
import type { FakeSummary } from '../../fake/generateFakeSsd';
import type { StagingTableName } from '../../model/ssdModel';
import type { StageFromSsdOptions, StageFromSsdReport, StageProgress } from '../../staging/runStage';
import type { StagingCount } from '../../browse/inventory';
import type { ReportBar, ReportData, ReportFinding } from './report';

/** The demo's staging table (src/staging/demoStep.ts STAGING_DEMO_TABLE; a test pins they agree).
 *  Not imported from there: that module loads the staging code (the builder and the DfE schema
 *  validator), which the editor loads only when it stages (activation stays light). */
export const DEMO_STAGING_TABLE: StagingTableName = 'ssd_api_data_staging_anon';

/** The `ssd.staging.table` setting: 'auto' = the anonymised table on the demo, the real one elsewhere. */
export type StagingTableSetting = 'auto' | StagingTableName;

export function stagingTableFor(isDemo: boolean, setting: string | undefined): StagingTableName {
  if (setting === 'ssd_api_data_staging' || setting === 'ssd_api_data_staging_anon') return setting;
  return isDemo ? DEMO_STAGING_TABLE : 'ssd_api_data_staging';
}

export interface FakeTarget {
  kind: 'demo' | 'devSchema';
  schema: string;
  /** Whose database ("Demo database", a profile's name). */
  database: string;
}

/**
 * Where "Generate Fake Data" may write: the demo database (always), and on another connection the
 * schemas the user listed in `ssd.fake.devSchemas`. Never the connection's other schemas.
 */
export function fakeTargets(active: { isDemo: boolean; label: string } | undefined, devSchemas: readonly string[], demoSchema: string): FakeTarget[] {
  const out: FakeTarget[] = [];
  if (active && !active.isDemo) {
    const seen = new Set<string>();
    for (const s of devSchemas) {
      const key = s.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ kind: 'devSchema', schema: s, database: active.label });
    }
  }
  out.push({ kind: 'demo', schema: demoSchema, database: 'Demo database' });
  return out;
}

export type { StageProgress } from '../../staging/runStage';

/**
 * The staging job (stageFromSsd) as the editor runs it: its lock named for Build Staging, progress
 * over the people read (onStageProgress).
 */
export async function stageWithProgress(db: Db, options: StageFromSsdOptions, onProgress?: (p: StageProgress) => void): Promise<StageFromSsdReport> {
  // Loaded on first use (the builder, the DfE schema validator and staging), not at activation.
  const { stageFromSsd } = await import('../../staging/runStage');
  return stageFromSsd(db, { ...options, lockPurpose: options.lockPurpose ?? "the editor's Build Staging", onStageProgress: onProgress ?? (() => undefined) });
}

/** Percent done of a staging run: the staging job's (src/staging/job.ts). */
export { stagePercent } from '../../staging/job';

function sumBy(counts: readonly StagingCount[], key: 'rowState' | 'submissionStatus'): ReportBar[] {
  const m = new Map<string, number>();
  for (const c of counts) {
    const k = c[key] ?? '(none)';
    m.set(k, (m.get(k) ?? 0) + c.count);
  }
  return [...m].map(([label, value]) => ({ label, value }));
}

const ISSUE_LIMIT = 200;

export interface ReportContext {
  target: string;
  schema: string;
  startedAt: Date;
  elapsedMs: number;
}

/** The report after Build Staging: counts, the table by row_state and submission_status, first problems. */
export function stagingReportData(r: StageFromSsdReport, tableCounts: readonly StagingCount[], ctx: ReportContext): ReportData {
  const invalid = r.invalid + r.notStaged;
  const findings: ReportFinding[] = [
    ...r.invalidChildren.map((i) => ({
      severity: 'error' as const,
      where: `child ${i.personId}`,
      rule: i.rule,
      message: `Withheld: ${i.path ? `at ${i.path}` : 'invalid payload'}${i.message ? `: ${i.message}` : ''}`,
    })),
    ...r.warningChildren.map((i) => ({
      severity: 'warning' as const,
      where: `child ${i.personId}`,
      rule: i.rule,
      message: `${i.path ? `at ${i.path}` : 'warning'}${i.message ? `: ${i.message}` : ''}`,
    })),
  ];
  const more = Math.max(0, findings.length - ISSUE_LIMIT);
  return {
    title: `Build Staging: ${r.table}`,
    outcome: invalid > 0 ? 'problems' : 'done',
    target: ctx.target,
    schema: r.schema,
    startedAt: ctx.startedAt,
    elapsedMs: ctx.elapsedMs,
    counts: [
      { label: 'People read (ssd_person)', value: r.persons },
      { label: 'Children in the cohort', value: r.cohort },
      { label: 'Not in the cohort: age (gate A)', value: r.excludedGateA },
      { label: 'Not in the cohort: activity (gate B)', value: r.excludedGateB },
      { label: 'New', value: r.new },
      { label: 'Updated', value: r.updated },
      { label: 'Unchanged', value: r.unchanged },
      { label: 'Deleted (left the cohort)', value: r.deleted },
      { label: 'Deletion payloads queued', value: r.deletionPayloads },
      { label: 'Invalid (Withheld: kept out of the send queue)', value: invalid },
      ...(r.personsWithoutId ? [{ label: 'ssd_person rows without a person id (not staged)', value: r.personsWithoutId }] : []),
      ...(r.withheldConverted ? [{ label: 'Error rows of earlier versions now Withheld', value: r.withheldConverted }] : []),
      { label: 'Children with warnings', value: r.warnings },
    ],
    timings: [{ label: 'Build, validate, hash and stage', value: r.seconds * 1000 }],
    charts: [
      { title: `${r.table} by row_state`, bars: sumBy(tableCounts, 'rowState') },
      { title: `${r.table} by submission_status`, bars: sumBy(tableCounts, 'submissionStatus') },
    ],
    findings: findings.slice(0, ISSUE_LIMIT),
    ...(more ? { moreFindings: more } : {}),
    notes: [
      `As of ${r.asOf}.`,
      r.partial ? 'Partial payloads computed (partial_json_payload).' : 'Full payloads (partial payloads off).',
      r.hashIgnoresEntityIds ? 'The change hash ignores entity ids.' : 'The change hash includes entity ids.',
      ...(r.tableCreated ? [`${r.table} was created by this run.`] : []),
    ],
  };
}

/** One-line outcome of a staging run for the notification. */
export function stagingSummary(r: StageFromSsdReport): string {
  const n = (v: number) => v.toLocaleString('en-GB');
  const invalid = r.invalid + r.notStaged;
  return `Staged ${n(r.cohort)} children into ${r.table}: ${n(r.new)} new, ${n(r.updated)} updated, ${n(r.unchanged)} unchanged, ${n(r.deleted)} deleted${invalid ? `, ${n(invalid)} invalid (Withheld)` : ''}${r.personsWithoutId ? `; ${n(r.personsWithoutId)} ssd_person rows without an id not staged` : ''}.`;
}

/** The report after Generate Fake Data: rows per table, the cohort's make-up, deliberate problems. */
export function fakeReportData(s: FakeSummary, ctx: ReportContext): ReportData {
  const c = s.cohort;
  return {
    title: `Generate Fake Data: ${s.children.toLocaleString('en-GB')} children`,
    outcome: 'done',
    target: ctx.target,
    schema: s.schema,
    startedAt: ctx.startedAt,
    elapsedMs: ctx.elapsedMs,
    counts: [...Object.entries(s.rows).map(([label, value]) => ({ label, value })), { label: 'Total rows', value: s.totalRows }],
    timings: [{ label: 'Generate and write', value: s.seconds * 1000 }],
    charts: [
      {
        title: 'Fake cohort',
        bars: [
          { label: 'children', value: c.children },
          { label: 'open referral', value: c.openReferral },
          { label: 'child protection plan', value: c.cpPlan },
          { label: 'looked after', value: c.lookedAfter },
          { label: 'care leavers', value: c.careLeavers },
          { label: 'UASC', value: c.uasc },
          { label: 'adopted', value: c.adopted },
          { label: 'unborn', value: c.unborn },
        ],
      },
      { title: 'Deliberate data problems (children)', bars: Object.entries(s.problems).map(([label, value]) => ({ label, value })) },
    ],
    notes: [
      `Seed ${s.seed}, as of ${s.asOf} (reporting window ${s.window.start} to ${s.window.end}); run ${s.runNo}.`,
      ...(Object.keys(s.deleted).length
        ? [
            `Deleted first: ${Object.entries(s.deleted)
              .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
              .join(', ')}.`,
          ]
        : []),
      ...(s.createdTables.length ? [`Created ${s.createdTables.length} missing tables.`] : []),
    ],
  };
}
