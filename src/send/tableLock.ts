// One sender (or stager) per staging table. A run of `ssd send` (test / live), `ssd stage`, or the
// editor's Send and Build Staging takes a lock tied to the table before it reads the queue or
// writes a row, and holds it until it ends:
//   - PostgreSQL: a session advisory lock (pg_try_advisory_lock) on a key derived from the schema
//     and table, taken on a connection of the run's own, held in a transaction that does nothing
//     else (so pg_stat_activity shows since when, with the run's name as application_name);
//   - SQL Server: an exclusive sp_getapplock with @LockOwner = 'Session', the same way;
//   - Oracle: a row lock (SELECT … FOR UPDATE SKIP LOCKED) on the table's row of ssd_workbench_locks
//     in the staging schema, the same way (DBMS_LOCK needs a grant most logins lack); the session's
//     module says what holds it and its action names the lock, for the holder query;
//   - PGlite (embedded, one process): the database directory can be open in one process only, so
//     the lock is the open database's, in memory: a second run in the same process (the editor
//     sending while Build Staging runs, two commands at once) is refused the same way.
// The server releases the lock when the run ends, is killed, or its session is lost. A second run
// does not wait: it fails with TableLockedError, naming who holds the lock and since when.
import { createHash } from 'node:crypto';
import { DIALECTS, qualify } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { DbError, type Db, type Queryable } from '../db/types';

export interface TableLockTarget {
  schema: string;
  table: string;
  /** What takes the lock, shown to a run refused: e.g. "ssd send", "ssd stage", "the editor's Send". */
  purpose: string;
}

/** Who holds a staging table's lock, as far as the server tells. */
export interface LockHolder {
  /** Server session: PostgreSQL backend pid, SQL Server session id. */
  session?: number | string;
  application?: string;
  /** The client's address / host name and OS process id, when the server says. */
  client?: string;
  host?: string;
  clientPid?: number | string;
  user?: string;
  /** What the holder said it is (its purpose and process id). */
  label?: string;
  /** When it took the lock (UTC, 'YYYY-MM-DD HH:MM:SS'), else when its session started. */
  since?: string;
  sessionStarted?: string;
}

/** Another run holds the table's lock: nothing was read or written (exit 2). */
export class TableLockedError extends Error {
  constructor(
    readonly target: TableLockTarget,
    readonly holder: LockHolder | null,
    message: string,
  ) {
    super(message);
    this.name = 'TableLockedError';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'TableLockedError';
  }
}

export interface TableLock {
  /** Throws LockLostError when the session holding the lock is gone (another run may start now). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

/** The session holding the lock was lost (connection dropped, backend terminated). */
export class LockLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockLostError';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'LockLostError';
  }
}

/** The two 31-bit keys of the PostgreSQL advisory lock and the SQL Server lock name for a table. */
export function lockKeys(schema: string, table: string): { k1: number; k2: number; name: string } {
  const h = createHash('sha256').update(`${schema.toLowerCase()}.${table.toLowerCase()}`).digest();
  // k1 marks SSD Workbench's staging locks ("SSDL"), k2 the table.
  return { k1: 0x5353444c, k2: h.readUInt32BE(0) & 0x7fffffff, name: `ssd-staging:${h.subarray(0, 8).toString('hex')}` };
}

/** The label a holder carries (application_name / CONTEXT_INFO): what and which process. */
function label(purpose: string): string {
  return `ssd-workbench: ${purpose} (pid ${process.pid})`.slice(0, 63);
}

/** "ssd send (pid 4242) on host x (10.0.0.5), session 1234 as ssd_user, since 2026-12-05 09:41:12 UTC" */
export function describeHolder(h: LockHolder | null): string {
  if (!h) return 'another session (the server does not say which to this login)';
  const who = h.label ?? h.application ?? 'a session';
  const where = [h.host, h.client].filter((x, i, a) => x && a.indexOf(x) === i).join(' ');
  const parts = [who.replace(/^ssd-workbench: /, '')];
  if (h.clientPid && !/\(pid /.test(who)) parts.push(`client process ${h.clientPid}`);
  if (where) parts.push(`on ${where}`);
  if (h.session !== undefined) parts.push(`server session ${h.session}${h.user ? ` (${h.user})` : ''}`);
  const since = h.since ?? (h.sessionStarted ? `${h.sessionStarted} (session start)` : undefined);
  return `${parts.join(', ')}${since ? `, since ${since} UTC` : ''}`;
}

function lockedMessage(t: TableLockTarget, h: LockHolder | null): string {
  return (
    `${t.schema}.${t.table} is in use by another run: ${describeHolder(h)}. One run at a time sends or stages a staging table; ` +
    `nothing was read or written by this ${t.purpose}. Run it again when the other one has finished (the lock goes when that run ends or its connection closes).`
  );
}

// ------------------------------------------------------------------ PGlite: in memory

interface MemoryLock {
  holder: LockHolder;
}
const REGISTRY_KEY = Symbol.for('ssd-workbench.stagingTableLocks');
function registry(): WeakMap<object, Map<string, MemoryLock>> {
  const g = globalThis as unknown as Record<symbol, WeakMap<object, Map<string, MemoryLock>> | undefined>;
  return (g[REGISTRY_KEY] ??= new WeakMap());
}

function memoryLock(db: Db, t: TableLockTarget): TableLock {
  const { name } = lockKeys(t.schema, t.table);
  let locks = registry().get(db);
  if (!locks) {
    locks = new Map();
    registry().set(db, locks);
  }
  const held = locks.get(name);
  if (held) throw new TableLockedError(t, held.holder, lockedMessage(t, held.holder));
  const mine: MemoryLock = { holder: { label: label(t.purpose), clientPid: process.pid, since: utcNow() } };
  locks.set(name, mine);
  return {
    assertHeld: async () => undefined,
    release: async () => {
      if (locks!.get(name) === mine) locks!.delete(name);
    },
  };
}

function utcNow(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

// ------------------------------------------------------------------ PostgreSQL and SQL Server

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : String(v));

function holderFrom(r: Row | undefined): LockHolder | null {
  if (!r) return null;
  const context = str(r.context)?.replace(/\0+$/g, '').trim();
  const application = str(r.application_name);
  const h: LockHolder = {
    session: r.pid as number | string,
    application,
    client: str(r.client_addr),
    host: str(r.client_hostname),
    clientPid: str(r.host_pid),
    user: str(r.user_name),
    since: str(r.since),
    sessionStarted: str(r.backend_start),
  };
  const l = context?.startsWith('ssd-workbench') ? context : application?.startsWith('ssd-workbench:') ? application : undefined;
  if (l) h.label = l;
  return h;
}

/** Oracle's lock table (one row per staging table) in the staging schema. */
export const ORACLE_LOCKS_TABLE = 'ssd_workbench_locks';

async function whoHolds(db: Queryable, t: TableLockTarget): Promise<LockHolder | null> {
  const { k1, k2, name } = lockKeys(t.schema, t.table);
  try {
    const rows =
      db.dialect === 'mssql' || db.dialect === 'oracle'
        ? await db.query<Row>(loadSql(db.dialect, 'staging_lock_holder'), [name])
        : await db.query<Row>(loadSql('postgres', 'staging_lock_holder'), [k1, k2]);
    return holderFrom(rows[0]);
  } catch {
    return null; // no permission to see other sessions: say so without the details
  }
}

/**
 * Take the lock on a connection of its own, held in a transaction that stays open until release()
 * (the transaction does nothing but hold the connection; the run's work goes on other connections).
 */
async function serverLock(db: Db, t: TableLockTarget): Promise<TableLock> {
  const { k1, k2, name } = lockKeys(t.schema, t.table);
  const me = label(t.purpose);
  let releaseNow!: () => void;
  const released = new Promise<void>((resolve) => {
    releaseNow = resolve;
  });
  let session: Queryable | undefined;
  let lost: unknown;
  let holdDone: Promise<unknown> = Promise.resolve();
  const locks = db.dialect === 'oracle' ? qualify('oracle', t.schema, ORACLE_LOCKS_TABLE) : '';
  if (db.dialect === 'oracle') {
    // The lock table and the table's row, committed before the lock is taken (DDL commits anyway).
    await db.runBatch(fillIdentifiers(loadSql('oracle', 'staging_lock_create'), { locks }));
    try {
      await db.execute(fillIdentifiers(loadSql('oracle', 'staging_lock_row'), { locks }), [name]);
    } catch (e) {
      // Two runs adding the row at once: the other one's is there.
      if (!(e instanceof DbError && e.details.code === 'ORA-00001')) throw e;
    }
  }
  const acquired = new Promise<void>((resolveAcquired, rejectAcquired) => {
    const done = db.transaction(async (tx) => {
      let granted: boolean;
      if (tx.dialect === 'mssql') {
        const r = await tx.query<{ r: number }>(loadSql('mssql', 'staging_lock_acquire'), [name, me]);
        granted = Number(r[0]?.r) >= 0;
      } else if (tx.dialect === 'oracle') {
        const r = await tx.query(fillIdentifiers(loadSql('oracle', 'staging_lock_acquire'), { locks }), [name]);
        granted = r.length === 1;
        // Named after the run (module) and the lock (action), for the holder query.
        if (granted) await tx.execute('BEGIN DBMS_APPLICATION_INFO.SET_MODULE($1, $2); END;', [me.slice(0, 48), name]);
      } else {
        // Not cut short by a server default while the run works on other connections; named after the run.
        await tx.query(`SELECT set_config('idle_in_transaction_session_timeout', '0', true), set_config('application_name', $1, true)`, [me]);
        const r = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS ok', [k1, k2]);
        granted = r[0]?.ok === true;
      }
      if (!granted) {
        const holder = await whoHolds(db, t);
        throw new TableLockedError(t, holder, lockedMessage(t, holder));
      }
      session = tx;
      resolveAcquired();
      await released;
      // Release explicitly: the connection goes back to the pool afterwards.
      if (tx.dialect === 'mssql') {
        await tx.execute(`EXEC sp_releaseapplock @Resource = $1, @LockOwner = 'Session'; SET CONTEXT_INFO 0x`, [name]);
      } else if (tx.dialect === 'oracle') {
        // The row lock goes with the commit that follows; the session forgets the names.
        await tx.execute('BEGIN DBMS_APPLICATION_INFO.SET_MODULE(NULL, NULL); END;');
      } else {
        await tx.query('SELECT pg_advisory_unlock($1::int, $2::int)', [k1, k2]);
      }
    });
    done.then(
      () => undefined,
      (e: unknown) => {
        lost = e;
        rejectAcquired(e);
      },
    );
    holdDone = done.catch(() => undefined);
  });
  await acquired;
  let releasedOnce = false;
  return {
    assertHeld: async () => {
      if (lost !== undefined) throw new LockLostError(`the connection holding the lock on ${t.schema}.${t.table} was lost`);
      try {
        await session!.query(DIALECTS[session!.dialect].ping);
      } catch {
        lost ??= true;
        throw new LockLostError(`the connection holding the lock on ${t.schema}.${t.table} was lost`);
      }
    },
    release: async () => {
      if (releasedOnce) return;
      releasedOnce = true;
      releaseNow();
      await holdDone;
    },
  };
}

/** Take the staging table's lock, or throw TableLockedError naming who holds it. */
export async function acquireTableLock(db: Db, t: TableLockTarget): Promise<TableLock> {
  if (db.kind === 'pglite') return memoryLock(db, t);
  return serverLock(db, t);
}

/** Run fn holding the staging table's lock; released whatever happens. */
export async function withTableLock<T>(db: Db, t: TableLockTarget, fn: (lock: TableLock) => Promise<T>): Promise<T> {
  const lock = await acquireTableLock(db, t);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
