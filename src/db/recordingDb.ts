// A database that runs nothing: it records every statement a capability sends, with its
// parameters, and answers from a responder the caller gives. The SQL catalogue
// (src/sqlCatalogue/) drives the real code of each command through it, so `ssd sql <command>`
// prints, and the grammar tests parse, exactly the statements that command builds.
import type { BatchResult, Db, Dialect, Queryable, Row, RunBatchOptions, StreamOptions } from './types';
import { defaultSchemaFor } from './dialect';

export type StatementKind = 'query' | 'execute' | 'stream' | 'batch' | 'copy';

export interface RecordedStatement {
  kind: StatementKind;
  sql: string;
  params: readonly unknown[];
  /** Inside db.transaction(…). */
  inTransaction: boolean;
}

/** Rows to answer a query / stream with (undefined: no rows). */
export type Responder = (sql: string, params: readonly unknown[], kind: StatementKind) => Row[] | undefined;

export class RecordingDb implements Db {
  readonly kind;
  readonly description: string;
  readonly defaultSchema: string;
  readonly statements: RecordedStatement[] = [];
  private depth = 0;

  constructor(
    readonly dialect: Dialect,
    private readonly responder: Responder = () => undefined,
    defaultSchema?: string,
  ) {
    this.kind = dialect;
    this.description = `${{ mssql: 'SQL Server', postgres: 'PostgreSQL', oracle: 'Oracle' }[dialect]} (not connected: statements are recorded, never run)`;
    this.defaultSchema = defaultSchema ?? defaultSchemaFor(dialect);
  }

  private record(kind: StatementKind, sql: string, params: readonly unknown[] = []): Row[] {
    this.statements.push({ kind, sql, params: [...params], inTransaction: this.depth > 0 });
    return kind === 'execute' ? [] : (this.responder(sql, params, kind) ?? []);
  }

  async query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.record('query', sql, params) as R[];
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<number> {
    this.record('execute', sql, params);
    return 1;
  }

  /** Oracle's array DML (bulkInsert): recorded once, with the first row's values. */
  async executeMany(sql: string, rows: readonly (readonly unknown[])[]): Promise<number> {
    this.record('execute', sql, rows[0] ?? []);
    return rows.length;
  }

  async *stream<R = Row>(sql: string, params?: readonly unknown[], _options?: StreamOptions): AsyncIterable<R> {
    for (const r of this.record('stream', sql, params)) yield r as R;
  }

  async runBatch(sql: string, _options?: RunBatchOptions): Promise<BatchResult> {
    const rows = this.record('batch', sql);
    return { rowsAffected: [], resultSets: rows.length ? [rows] : [], elapsedMs: 0 };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.depth++;
    try {
      return await fn(this);
    } finally {
      this.depth--;
    }
  }

  async cancel(): Promise<void> {
    /* nothing runs */
  }
  async close(): Promise<void> {
    /* nothing to close */
  }
}

/**
 * A recording PostgreSQL connection that can stream `COPY … FROM STDIN`, as the pg driver can
 * (PGlite cannot): bulkCopy and the scramble scan's store take their COPY path on it. The statement
 * is recorded (kind 'copy'); the rows it would send are read and counted, never kept.
 */
export class CopyRecordingDb extends RecordingDb {
  constructor(responder?: Responder, defaultSchema?: string) {
    super('postgres', responder, defaultSchema);
  }

  async copyFrom(sql: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<number> {
    let rows = 0;
    for await (const chunk of chunks) for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) rows++;
    this.statements.push({ kind: 'copy', sql, params: [], inTransaction: false });
    return rows;
  }
}
