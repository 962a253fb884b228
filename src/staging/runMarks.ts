// The work table of one staging run (the cohort's person ids seen so far, to find the children who
// left): a temporary table, never a permanent one. PostgreSQL `CREATE TEMP TABLE` and SQL Server
// `#temp` tables belong to one server session, so the run opens a dedicated session (Db.session)
// and does everything that touches the work table on it: its batch transactions, the planning pass
// of the safety stop and the anti-join at the end. The builder keeps reading on the pool meanwhile.
// PGlite is one connection: its session is the database itself, so the table gets a name of its
// own per run (two runs on different staging tables in one process do not share it); it is
// dropped when the run ends. A killed run leaves nothing: the server drops a session's temporary
// tables when the session ends (PGlite's never outlive the process).
// Oracle (DialectRules.workTable 'global'): a global temporary table in the staging schema,
// `ssd_workbench_run_marks`, created once; its rows belong to the session that wrote them, so the
// run's own session still does all the work, and closing truncates the session's rows instead of
// dropping the table (another session may be using it).
import { randomUUID } from 'node:crypto';
import { DIALECTS, quoteIdent, qualify, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { DbError, type Db } from '../db/types';

export interface RunMarks {
  /** The session the work table lives on: every statement naming `table` must run here. */
  db: Db;
  /** The work table's name as SQL (a temporary table: unqualified). */
  table: string;
  /** Drop the work table and end the session (the Db it came from stays open). Never throws. */
  close(): Promise<void>;
}

/** The Oracle work table (a global temporary table) in a staging schema. */
export const GLOBAL_MARKS_TABLE = 'ssd_workbench_run_marks';

/**
 * Open a session of its own for a staging run and create the run's temporary work table on it.
 * `schema`: the staging schema (where Oracle's global temporary table lives; default the connection's).
 */
export async function openRunMarks(db: Db, schema?: string): Promise<RunMarks> {
  const global = DIALECTS[db.dialect].workTable === 'global';
  const session = db.session ? await db.session() : db;
  // A name per run: PGlite's one session, and the SQL Server extension's one shared connection, may
  // hold two runs (on two staging tables) at once. (A Db without sessions, the SQL catalogue's
  // recorder, gets the plain name, so the catalogue reads the same every time.)
  const name = db.session ? `ssd_run_marks_${randomUUID().replace(/-/g, '').slice(0, 12)}` : 'ssd_run_marks';
  const table = global ? qualify(db.dialect, validateIdentifier(schema ?? db.defaultSchema, 'schema'), GLOBAL_MARKS_TABLE) : db.dialect === 'mssql' ? `#${name}` : quoteIdent('postgres', name);
  const end = async () => {
    if (session !== db) await session.close().catch(() => undefined);
  };
  try {
    await session.runBatch(fillIdentifiers(loadSql(db.dialect, 'staging_marks_create'), { marks: table }));
  } catch (e) {
    await end();
    if (!(e instanceof DbError)) throw e; // a lost connection or a cancel stays what it is
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `cannot create the staging run's temporary work table on ${db.description}: ${why}. ` +
        (db.dialect === 'postgres'
          ? 'Staging needs the TEMP privilege on the database (ask your DBA: GRANT TEMP ON DATABASE <database> TO <you>); `ssd preflight` checks it.'
          : global
            ? `Staging needs a global temporary table ${GLOBAL_MARKS_TABLE} in the staging schema: the CREATE TABLE privilege there, or a DBA who creates it (sql/oracle/staging_marks_create.sql).`
            : 'Staging needs to create #temp tables in tempdb, which any login may do unless tempdb is full or unavailable.'),
      { cause: e },
    );
  }
  let closed = false;
  return {
    db: session,
    table,
    close: async () => {
      if (closed) return;
      closed = true;
      // Oracle: the global temporary table stays; TRUNCATE empties this session's rows only and
      // unbinds the session from it (while bound, nobody may drop or alter the table: ORA-14452).
      // TRUNCATE of another user's table needs DROP ANY TABLE: without it, DELETE (the session stays
      // bound until it ends; the rows are gone either way).
      if (global)
        await session
          .execute(`TRUNCATE TABLE ${table}`)
          .catch(() => session.execute(`DELETE FROM ${table}`))
          .catch(() => undefined);
      else await session.execute(`DROP TABLE ${table}`).catch(() => undefined);
      await end();
    },
  };
}

/** The permanent work table earlier versions kept beside the staging table. */
export function oldMarksTableName(table: string): string {
  return `${table}_run_marks`;
}

const OLD_MARKS_COLUMNS = ['marked_at', 'person_id', 'run_id'];

/**
 * A permanent `<table>_run_marks` left by an earlier version: dropped when it is ours (exactly its
 * three columns) and empty, i.e. no earlier-version run is using it; otherwise left alone. Any
 * failure (no permission to drop it) leaves it alone too: nothing reads it any more.
 */
export async function dropOldMarksTable(db: Db, schema: string, oldTable: string, columns: readonly string[]): Promise<boolean> {
  if (
    [...columns]
      .map((c) => c.toLowerCase())
      .sort()
      .join(',') !== OLD_MARKS_COLUMNS.join(',')
  )
    return false;
  const old = qualify(db.dialect, schema, oldTable);
  try {
    const rows = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${old}`);
    if (Number(rows[0]?.n ?? 1) !== 0) return false;
    await db.execute(`DROP TABLE ${old}`);
    return true;
  } catch {
    return false;
  }
}
