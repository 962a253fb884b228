// Phased connection testing (`ssd phases`): where a local authority is on the path the seed guide
// describes, from the staging tables and the send history (sendLog.ts) of every schema of the
// databases given:
//   1. fake data staged (ssd_api_data_staging_anon) and sent to the DfE test endpoint (the one
//      case where fake data leaves the machine, and only by the run's explicit
//      `ssd send --mode test --allow-fake-to-test`; never live: src/fake/fakeMarker.ts);
//   2. a scrambled copy (ssd scramble) staged and sent to the test endpoint;
//   3. live data staged in ssd_api_data_staging and sent to the test endpoint;
//   4. live data sent to the live endpoint.
// A phase is done when a run of that kind had at least one record acknowledged. Pure core.
import { assertPorted, qualify } from '../db/dialect';
import type { Db } from '../db/types';
import { STAGING_TABLE_NAMES } from '../model/ssdModel';
import { dataKindOf, FAKE_MARKER_TABLE, SCRAMBLE_MARKER_TABLE, SEND_RUNS_TABLE, type DataKind } from './sendLog';

export type PhaseNo = 1 | 2 | 3 | 4;

export interface PhaseEvidence {
  database: string;
  schema: string;
  table: string;
}

export interface Phase {
  no: PhaseNo;
  title: string;
  done: boolean;
  /** Time of the latest run of this kind that had records acknowledged (else the latest run), as the database wrote it. */
  date: string | null;
  runs: number;
  /** Records posted and acknowledged over all runs of this kind. */
  posted: number;
  acknowledged: number;
  /** Rows staged in the staging tables of this kind (any status). */
  staged: number;
  where: PhaseEvidence[];
  /** The one command to run next for this phase (null when done). */
  next: string | null;
}

export interface PhasesReport {
  databases: string[];
  phases: Phase[];
  /** The first phase not done (null when all four are). */
  current: PhaseNo | null;
}

const TITLES: Record<PhaseNo, string> = {
  1: 'fake data staged in ssd_api_data_staging_anon and sent to the DfE test endpoint',
  2: 'a scrambled copy staged and sent to the DfE test endpoint',
  3: 'live data staged in ssd_api_data_staging and sent to the DfE test endpoint',
  4: 'live data sent to the live endpoint',
};

function phaseOf(mode: string, kind: DataKind, table: string): PhaseNo | null {
  if (mode === 'live') return kind === 'live' && table === 'ssd_api_data_staging' ? 4 : null;
  if (mode !== 'test') return null;
  if (kind === 'fake') return 1;
  if (kind === 'scrambled') return 2;
  return table === 'ssd_api_data_staging' ? 3 : null;
}

interface RunRow {
  finished_at: string;
  mode: string;
  table_name: string;
  data_kind: string;
  posted: number | string;
  acknowledged: number | string;
}

async function schemasWithTable(db: Db, table: string): Promise<string[]> {
  const rows = await db.query<{ table_schema: string }>(`SELECT TABLE_SCHEMA AS table_schema FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = $1`, [table]);
  return [...new Set(rows.map((r) => r.table_schema))].sort();
}

/** Read the phases from every schema of the given databases (or only the schemas named). */
export async function readPhases(dbs: readonly Db[], options: { schemas?: readonly string[] } = {}): Promise<PhasesReport> {
  for (const db of dbs) assertPorted(db.dialect, 'phases');
  const wanted = options.schemas?.map((s) => s.toLowerCase());
  const schemasWith = async (db: Db, table: string) => (await schemasWithTable(db, table)).filter((s) => !wanted || wanted.includes(s.toLowerCase()));
  const phases: Phase[] = ([1, 2, 3, 4] as PhaseNo[]).map((no) => ({ no, title: TITLES[no], done: false, date: null, runs: 0, posted: 0, acknowledged: 0, staged: 0, where: [], next: null }));
  const lastAck = new Map<PhaseNo, string>();
  const lastAny = new Map<PhaseNo, string>();
  // Schemas holding fake data or a scrambled copy (for the next command when nothing is staged yet).
  const sources: Partial<Record<PhaseNo, string>> = {};
  for (const db of dbs) {
    for (const [no, marker] of [
      [1, FAKE_MARKER_TABLE],
      [2, SCRAMBLE_MARKER_TABLE],
    ] as const) {
      for (const schema of await schemasWith(db, marker)) {
        if ((await dataKindOf(db, schema, 'ssd_api_data_staging')) === (no === 1 ? 'fake' : 'scrambled')) sources[no] ??= schema;
      }
    }
    // Staged rows per kind.
    for (const table of STAGING_TABLE_NAMES) {
      for (const schema of await schemasWith(db, table)) {
        const kind = await dataKindOf(db, schema, table);
        const no = kind === 'fake' ? 1 : kind === 'scrambled' ? 2 : table === 'ssd_api_data_staging' ? 3 : null;
        if (!no) continue;
        const [r] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qualify(db.dialect, schema, table)}`);
        const n = Number(r?.n ?? 0);
        phases[no - 1]!.staged += n;
        if (no === 3) phases[3]!.staged += n;
        if (n > 0) phases[no - 1]!.where.push({ database: db.description, schema, table });
      }
    }
    // Send history.
    for (const schema of await schemasWith(db, SEND_RUNS_TABLE)) {
      const runs = await db.query<RunRow>(`SELECT finished_at, mode, table_name, data_kind, posted, acknowledged FROM ${qualify(db.dialect, schema, SEND_RUNS_TABLE)}`);
      for (const r of runs) {
        const no = phaseOf(r.mode, r.data_kind as DataKind, r.table_name.toLowerCase());
        if (!no) continue;
        const p = phases[no - 1]!;
        p.runs++;
        p.posted += Number(r.posted);
        p.acknowledged += Number(r.acknowledged);
        const at = String(r.finished_at);
        if (!lastAny.has(no) || at > lastAny.get(no)!) lastAny.set(no, at);
        if (Number(r.acknowledged) > 0) {
          p.done = true;
          if (!lastAck.has(no) || at > lastAck.get(no)!) lastAck.set(no, at);
        }
        if (!p.where.some((w) => w.database === db.description && w.schema === schema && w.table === r.table_name)) p.where.push({ database: db.description, schema, table: r.table_name });
      }
    }
  }
  for (const p of phases) {
    p.date = lastAck.get(p.no) ?? lastAny.get(p.no) ?? null;
    p.next = p.done ? null : nextCommand(p, sources[p.no]);
  }
  return { databases: dbs.map((d) => d.description), phases, current: phases.find((p) => !p.done)?.no ?? null };
}

const SEND_TEST = '--mode test --la-code NNN --base-url https://… --token-url https://… --scope … --client-id …';

function nextCommand(p: Phase, source: string | undefined): string {
  const w = p.where[0];
  const schema = w ? ` --schema ${w.schema}` : '';
  switch (p.no) {
    case 1:
      // Fake data goes to the test endpoint only when the run says so (src/fake/fakeMarker.ts).
      if (p.staged > 0) return `ssd send --db URL${schema} --table ssd_api_data_staging_anon ${SEND_TEST} --allow-fake-to-test`;
      return source ? `ssd stage --db URL --schema ${source} --table ssd_api_data_staging_anon` : 'ssd fake --db URL --schema ssd_fake --children 1000';
    case 2:
      if (p.staged > 0) return `ssd send --db URL${schema} --table ${w?.table ?? 'ssd_api_data_staging_anon'} ${SEND_TEST}`;
      return source ? `ssd stage --db URL --schema ${source} --table ssd_api_data_staging_anon` : 'ssd scramble --from URL --schema S --to-schema ssd_scrambled --key-file scramble.key';
    case 3:
      return p.staged > 0 ? `ssd send --db URL${schema} --table ssd_api_data_staging ${SEND_TEST}` : 'ssd stage --db URL --schema S --table ssd_api_data_staging';
    case 4:
      return 'ssd send --db URL --schema S --table ssd_api_data_staging --mode live --yes-send-live --la-code NNN --base-url https://… (live endpoint) …';
  }
}

/** Phases 1-3 not done: what sending live data to the live endpoint now would skip. */
export function skippedBeforeLive(report: PhasesReport): Phase[] {
  return report.phases.filter((p) => p.no < 4 && !p.done);
}

/** One line naming the skipped phases, for the confirmation. */
export function skippedText(skipped: readonly Phase[]): string {
  return skipped.map((p) => `phase ${p.no} (${p.title})`).join('; ');
}
