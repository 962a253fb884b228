// `ssd check` engine: schema checks against the SSD model, then data rules pushed to the database
// as set-based SQL, table by table:
// - one SELECT with SUM(CASE WHEN rule THEN 1 ELSE 0 END) per row rule, then one UNION ALL query
//   for up to 5 example ids of the rules that fired;
// - one query per orphan or group rule (anti-join / GROUP BY … HAVING), giving the count and up to
//   5 example ids in the same result (COUNT(*) OVER ());
// - one streamed pass (id + the columns needed) for the rules SQL cannot test portably;
// - one cohort query.
// No per-row round trips. Findings hold counts and ids only, never other values.
import { DIALECTS, limitClause, qualify, quoteIdent } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { CancelledError, DbError, type Db } from '../db/types';
import { BUILDER_TABLES, STAGING_TABLES, getTable } from '../model/ssdModel';
import { AsOf } from '../model/asOf';
import { readCatalogue, type Catalogue } from './introspect';
import { personColumn, verdictLine } from './people';
import { schemaFindings } from './schemaChecks';
import { RULES, SCOPED_TABLES, getRule, type CohortRule, type GroupRule, type JsRule, type Need, type OrphanRule, type Rule, type RowRule, type SemiRule } from './rules';
import { castText, RowExpr, SqlBuilder, type DateBounds, type TableInfo } from './sqlExpr';
import type { CheckFinding, CheckOptions, CheckReport, Severity, TableSummary, Verdict } from './types';

const MAX_EXAMPLES = 5;
/** Tables checked at once on a server Db (CheckOptions.parallelTables). */
export const DEFAULT_PARALLEL_TABLES = 2;
const SINGULAR: Record<string, string> = {
  rows: 'row',
  'key values': 'key value',
  people: 'person',
  children: 'child',
  assessments: 'assessment',
  columns: 'column',
  tables: 'table',
  rules: 'rule',
};
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

type DataRule = RowRule | OrphanRule | GroupRule | JsRule | SemiRule;

interface Ctx {
  db: Db;
  cat: Catalogue;
  bounds: DateBounds;
  window: { start: string; end: string };
  signal?: AbortSignal;
  findings: CheckFinding[];
  rulesRun: Set<string>;
  rulesSkipped: Set<string>;
  rowCounts: Map<string, number>;
}

// ----------------------------------------------------------------------------------------------
// Applicability

function needProblem(info: TableInfo, need: Need): string | null {
  const c = info.columns.get(need.column);
  if (!c) return `column ${info.name}.${need.column} is missing`;
  if (c.kind === 'binary' || c.kind === 'other') return `column ${info.name}.${need.column} is ${c.dataType}`;
  if (need.as === 'date' && c.kind !== 'date') return `column ${info.name}.${need.column} is ${c.dataType}, not a date`;
  if (need.as === 'number' && !(c.kind === 'integer' || c.kind === 'float' || c.kind === 'text')) return `column ${info.name}.${need.column} is ${c.dataType}, not a number`;
  return null;
}

/** Why a rule cannot run (null when it can). */
function skipReason(rule: Rule, cat: Catalogue): string | null {
  const needsOf = (table: string, needs: Need[]): string | null => {
    const info = cat.tables.get(table);
    if (!info) return `table ${table} is missing`;
    for (const n of needs) {
      const p = needProblem(info, n);
      if (p) return p;
    }
    return null;
  };
  switch (rule.kind) {
    case 'schema':
      return null;
    case 'row':
    case 'js':
    case 'group':
      return needsOf(rule.table, rule.needs);
    case 'semi':
      return needsOf(rule.table, rule.needs) ?? needsOf(rule.exists.table, rule.exists.needs);
    case 'orphan':
      return needsOf(rule.table, [{ column: rule.column }]) ?? needsOf(rule.parent.table, [{ column: rule.parent.column }]);
    case 'cohort': {
      for (const n of rule.needs) {
        const model = getTable(n.table);
        const r = needsOf(
          n.table,
          n.columns.map((c) => ({ column: c, as: model.columns.find((m) => m.name === c)?.sqlServerType === 'DATETIME' ? ('date' as const) : undefined })),
        );
        if (r) return r;
      }
      return null;
    }
  }
}

// ----------------------------------------------------------------------------------------------
// Helpers

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

function finding(rule: Rule, table: string, count: number, examples: string[], people?: { personIds?: string[]; children?: number }): CheckFinding {
  const unit = rule.unit ?? 'rows';
  const personIds = people?.personIds ? [...new Set(people.personIds)].sort() : undefined;
  return {
    ruleId: rule.id,
    severity: rule.severity,
    category: rule.category,
    table,
    column: rule.column,
    count,
    examples,
    ...(personIds ? { personIds } : {}),
    ...(people?.children !== undefined ? { children: people.children } : {}),
    message: `${count.toLocaleString('en-GB')} ${count === 1 ? (SINGULAR[unit] ?? unit) : unit}: ${rule.title}`,
    fix: rule.fix,
  };
}

function skippedFinding(rule: Rule, reason: string): CheckFinding {
  const meta = getRule('SSD-SCHEMA-006');
  return {
    ruleId: meta.id,
    severity: meta.severity,
    category: meta.category,
    table: rule.table,
    column: rule.column,
    count: 0,
    examples: [],
    message: `${rule.id} not run: ${reason}`,
    fix: meta.fix,
    skippedRule: rule.id,
  };
}

function exampleColumn(info: TableInfo): string | null {
  const pk = getTable(info.name).primaryKey[0];
  return pk && info.columns.has(pk) ? pk : null;
}

function idExpr(x: RowExpr, info: TableInfo): string | null {
  const col = exampleColumn(info);
  return col ? x.text(col) : null;
}

/** The table's person id column (the child the row belongs to), when the model has one and the database too. */
function personColumnOf(info: TableInfo): string | null {
  const col = personColumn(info.name);
  return col && info.columns.has(col) ? col : null;
}

function personExpr(x: RowExpr, info: TableInfo): string | null {
  const col = personColumnOf(info);
  return col ? x.text(col) : null;
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function scopeClause(ctx: Ctx, x: RowExpr): string | null {
  const s = SCOPED_TABLES[x.info.name];
  if (!s) return null;
  const parent = ctx.cat.tables.get(s.table);
  const col = parent?.columns.get(s.column);
  if (!parent || !col || !x.has(s.parentColumn)) return null;
  const inner = `i.${quoteIdent(ctx.db.dialect, col.actual)}`;
  const own = x.info.columns.get(s.parentColumn)!;
  const [l, r] = col.kind === own.kind ? [inner, x.col(s.parentColumn)] : [castText(ctx.db.dialect, inner), x.text(s.parentColumn)];
  return `EXISTS (SELECT 1 FROM ${qualify(ctx.db.dialect, ctx.cat.schema, parent.actual)} i WHERE ${l} = ${r})`;
}

/** SELECT … id[, pid], COUNT(*) OVER () AS n FROM … WHERE … ORDER BY id, limited to 5 rows. */
function countWithExamples(x: RowExpr, id: string | null, from: string, where: string, pid?: string | null): string {
  const { top, limit } = limitClause(x.dialect, MAX_EXAMPLES);
  if (!id) return `SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`;
  return `SELECT ${top}${id} AS id, ${pid ? `${pid} AS pid, ` : ''}COUNT(*) OVER () AS n FROM ${from} WHERE ${where} ORDER BY id${limit}`;
}

async function runCountQuery(ctx: Ctx, b: SqlBuilder, sql: string): Promise<{ count: number; examples: string[]; personIds?: string[] }> {
  throwIfAborted(ctx.signal);
  const rows = await ctx.db.query<{ id?: unknown; pid?: unknown; n: unknown }>(sql, b.params);
  if (rows.length === 0) return { count: 0, examples: [] };
  const count = num(rows[0]!.n);
  const withId = rows.filter((r) => r.id !== undefined && r.id !== null);
  const examples = withId.map((r) => String(r.id));
  if (!('pid' in rows[0]!)) return { count, examples };
  const personIds = withId.filter((r) => r.pid !== null && r.pid !== undefined && String(r.pid).trim() !== '').map((r) => String(r.pid).trim());
  return { count, examples, personIds };
}

/** Run a data step; a database error skips the rule(s) with an info finding instead of stopping the check. */
async function guarded(ctx: Ctx, rules: Rule[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CancelledError || (e instanceof DbError && e.details.cancelled) || ctx.signal?.aborted) throw e instanceof CancelledError ? e : new CancelledError();
    if (!(e instanceof DbError)) throw e;
    // The server's message may quote a value of the data: keep only its code.
    const code = e.details.code !== undefined ? ` (error code ${e.details.code})` : '';
    for (const r of rules) {
      ctx.rulesRun.delete(r.id);
      ctx.rulesSkipped.add(r.id);
      ctx.findings.push(skippedFinding(r, `the database rejected the rule's query${code}`));
    }
  }
}

// ----------------------------------------------------------------------------------------------
// Per-table data checks

async function checkRowRules(ctx: Ctx, info: TableInfo, rules: RowRule[]): Promise<void> {
  const { db, cat, bounds } = ctx;
  const b = new SqlBuilder(db.dialect, cat.schema);
  const x = new RowExpr(b, info, bounds);
  const scope = scopeClause(ctx, x);
  const parts = rules.map((r, i) => `SUM(CASE WHEN (${r.when(x)}) THEN 1 ELSE 0 END) AS r${i}`);
  const sql = `SELECT COUNT(*) AS n_rows${parts.length ? ', ' + parts.join(', ') : ''} FROM ${b.table(info)} t${scope ? ` WHERE ${scope}` : ''}`;
  throwIfAborted(ctx.signal);
  const [agg] = await db.query<Record<string, unknown>>(sql, b.params);
  if (!scope) ctx.rowCounts.set(info.name, num(agg?.n_rows));
  const counts = rules.map((_, i) => num(agg?.[`r${i}`]));
  const fired = rules.map((r, i) => ({ r, i, count: counts[i]! })).filter((f) => f.count > 0);
  const examples = new Map<number, { id: string; pid: string | null }[]>();
  const idCol = exampleColumn(info);
  const pidCol = personColumnOf(info);
  if (fired.length > 0 && idCol) {
    const b2 = new SqlBuilder(db.dialect, cat.schema);
    const x2 = new RowExpr(b2, info, bounds);
    const scope2 = scopeClause(ctx, x2);
    const id = x2.text(idCol);
    const pid = pidCol ? x2.text(pidCol) : 'NULL';
    const { top, limit } = limitClause(db.dialect, MAX_EXAMPLES);
    const union = fired.map(
      ({ r, i }) =>
        `SELECT q${i}.r, q${i}.id, q${i}.pid FROM (SELECT ${top}${i} AS r, ${id} AS id, ${pid} AS pid FROM ${b2.table(info)} t WHERE ${scope2 ? `${scope2} AND ` : ''}(${r.when(x2)}) ORDER BY id${limit}) q${i}`,
    );
    throwIfAborted(ctx.signal);
    const rows = await db.query<{ r: unknown; id: unknown; pid: unknown }>(union.join('\nUNION ALL\n'), b2.params);
    for (const row of rows) {
      const k = num(row.r);
      const list = examples.get(k) ?? [];
      if (row.id !== null && row.id !== undefined) list.push({ id: String(row.id), pid: row.pid === null || row.pid === undefined || String(row.pid).trim() === '' ? null : String(row.pid).trim() });
      examples.set(k, list);
    }
  }
  // The children each fired rule concerns: one more pass, only over tables where a rule fired.
  const children = new Map<number, number>();
  if (fired.length > 0 && pidCol) {
    const b3 = new SqlBuilder(db.dialect, cat.schema);
    const x3 = new RowExpr(b3, info, bounds);
    const scope3 = scopeClause(ctx, x3);
    const pid = x3.text(pidCol);
    const parts3 = fired.map(({ r, i }) => `COUNT(DISTINCT CASE WHEN (${r.when(x3)}) THEN ${pid} END) AS p${i}`);
    throwIfAborted(ctx.signal);
    const [agg3] = await db.query<Record<string, unknown>>(`SELECT ${parts3.join(', ')} FROM ${b3.table(info)} t${scope3 ? ` WHERE ${scope3}` : ''}`, b3.params);
    for (const { i } of fired) children.set(i, num(agg3?.[`p${i}`]));
  }
  for (const { r, i, count } of fired) {
    const ex = (examples.get(i) ?? []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, MAX_EXAMPLES);
    const people = pidCol ? { personIds: ex.flatMap((e) => (e.pid === null ? [] : [e.pid])), ...(children.has(i) ? { children: children.get(i)! } : {}) } : undefined;
    ctx.findings.push(
      finding(
        r,
        info.name,
        count,
        ex.map((e) => e.id),
        people,
      ),
    );
  }
}

async function checkGroupRule(ctx: Ctx, info: TableInfo, rule: GroupRule): Promise<void> {
  const b = new SqlBuilder(ctx.db.dialect, ctx.cat.schema);
  const x = new RowExpr(b, info, ctx.bounds);
  const key = x.text(rule.by[0]!);
  const inner = `SELECT ${key} AS k FROM ${b.table(info)} t${rule.where ? ` WHERE ${rule.where(x)}` : ''} GROUP BY ${rule.by.map((c) => x.col(c)).join(', ')} HAVING ${rule.having(x)}`;
  const sql = countWithExamples(x, 'g.k', `(${inner}) g`, '1 = 1');
  const { count, examples } = await runCountQuery(ctx, b, sql);
  // Grouped by the child (e.g. duplicate person ids): the keys are the children.
  const byChild = rule.by[0] === personColumnOf(info);
  if (count > 0) ctx.findings.push(finding(rule, info.name, count, examples, byChild ? { personIds: examples.map((e) => e.trim()).filter((e) => e !== ''), children: count } : undefined));
}

async function checkOrphanRule(ctx: Ctx, info: TableInfo, rule: OrphanRule): Promise<void> {
  const parent = ctx.cat.tables.get(rule.parent.table)!;
  const b = new SqlBuilder(ctx.db.dialect, ctx.cat.schema);
  const x = new RowExpr(b, info, ctx.bounds);
  const px = new RowExpr(b, parent, ctx.bounds, 'p');
  const own = info.columns.get(rule.column)!;
  const theirs = parent.columns.get(rule.parent.column)!;
  const [l, r] = own.kind === theirs.kind ? [x.col(rule.column), px.col(rule.parent.column)] : [x.text(rule.column), px.text(rule.parent.column)];
  // A LEFT JOIN to the parent's distinct keys rather than `blank OR NOT EXISTS (…)`: the OR turns
  // the anti-join into a correlated sub-plan, which PostgreSQL only hashes while it fits in
  // work_mem (and a parent column such as clae_cla_id has no index). The join is one hash pass.
  const from = `${b.table(info)} t LEFT JOIN (SELECT DISTINCT ${r} AS k FROM ${b.table(parent)} p) pk ON pk.k = ${l}`;
  const where = rule.nullIsOrphan ? `(${x.blank(rule.column)} OR pk.k IS NULL)` : `${DIALECTS[x.dialect].present(x.col(rule.column), x.tt(rule.column))} AND pk.k IS NULL`;
  const { count, examples, personIds } = await runCountQuery(ctx, b, countWithExamples(x, idExpr(x, info), from, where, personExpr(x, info)));
  if (count > 0) ctx.findings.push(finding(rule, info.name, count, examples, personIds ? { personIds } : undefined));
}

async function checkSemiRule(ctx: Ctx, info: TableInfo, rule: SemiRule): Promise<void> {
  const other = ctx.cat.tables.get(rule.exists.table)!;
  const b = new SqlBuilder(ctx.db.dialect, ctx.cat.schema);
  const x = new RowExpr(b, info, ctx.bounds);
  const o = new RowExpr(b, other, ctx.bounds, 'o');
  const [mine, theirs] = rule.exists.on;
  const same = info.columns.get(mine)!.kind === other.columns.get(theirs)!.kind;
  const [k, own] = same ? [o.col(theirs), x.col(mine)] : [o.text(theirs), x.text(mine)];
  // The other side is aggregated per key (GROUP BY + HAVING MAX(CASE …)) rather than written as a
  // correlated EXISTS: a condition on an expression such as UPPER(TRIM(role)) = 'CW' has no
  // statistics, and PostgreSQL then under-estimates it and picks a nested loop over a table without
  // an index on the key (seconds become minutes at 100k children). Grouped, it is one hash pass.
  const keys = `(SELECT ${k} AS k FROM ${b.table(other)} o GROUP BY ${k} HAVING MAX(CASE WHEN (${rule.exists.when(o)}) THEN 1 ELSE 0 END) = 1) g`;
  const from = `${b.table(info)} t JOIN ${keys} ON g.k = ${own}`;
  const { count, examples, personIds } = await runCountQuery(ctx, b, countWithExamples(x, idExpr(x, info), from, `(${rule.when(x)})`, personExpr(x, info)));
  if (count > 0) ctx.findings.push(finding(rule, info.name, count, examples, personIds ? { personIds } : undefined));
}

async function checkJsRules(ctx: Ctx, info: TableInfo, rules: JsRule[]): Promise<void> {
  const b = new SqlBuilder(ctx.db.dialect, ctx.cat.schema);
  const x = new RowExpr(b, info, ctx.bounds);
  const columns = [...new Set(rules.flatMap((r) => r.needs.map((n) => n.column)))];
  const id = idExpr(x, info);
  const pid = personExpr(x, info);
  const scope = scopeClause(ctx, x);
  const select = [`${id ?? 'NULL'} AS id`, `${pid ?? 'NULL'} AS pid`, ...columns.map((c, i) => `${x.text(c)} AS c${i}`)].join(', ');
  const filter = [...new Set(rules.map((r) => `(${r.prefilter(x)})`))].join(' OR ');
  const sql = `SELECT ${select} FROM ${b.table(info)} t WHERE ${scope ? `${scope} AND ` : ''}(${filter})`;
  const counts = rules.map(() => 0);
  const examples: string[][] = rules.map(() => []);
  // Person id of each example row (only the examples' are kept: memory does not grow with the rows).
  const pids: Map<string, string>[] = rules.map(() => new Map());
  throwIfAborted(ctx.signal);
  for await (const raw of ctx.db.stream<Record<string, unknown>>(sql, b.params, { batchSize: 5000, signal: ctx.signal })) {
    const values: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      values[c] = raw[`c${i}`];
    });
    for (let k = 0; k < rules.length; k++) {
      if (!rules[k]!.test(values)) continue;
      counts[k]!++;
      if (raw.id !== null && raw.id !== undefined) {
        const idText = String(raw.id);
        keepSmallest(examples[k]!, idText);
        if (pid && examples[k]!.includes(idText) && raw.pid !== null && raw.pid !== undefined && String(raw.pid).trim() !== '') {
          pids[k]!.set(idText, String(raw.pid).trim());
          if (pids[k]!.size > MAX_EXAMPLES * 4) for (const key of [...pids[k]!.keys()]) if (!examples[k]!.includes(key)) pids[k]!.delete(key);
        }
      }
    }
  }
  rules.forEach((r, k) => {
    if (counts[k]! <= 0) return;
    const people = pid ? { personIds: examples[k]!.flatMap((e) => (pids[k]!.has(e) ? [pids[k]!.get(e)!] : [])) } : undefined;
    ctx.findings.push(finding(r, info.name, counts[k]!, examples[k]!, people));
  });
}

function keepSmallest(list: string[], id: string): void {
  if (list.length >= MAX_EXAMPLES && id >= list[list.length - 1]!) return;
  if (list.includes(id)) return;
  let i = list.length;
  while (i > 0 && list[i - 1]! > id) i--;
  list.splice(i, 0, id);
  if (list.length > MAX_EXAMPLES) list.pop();
}

async function checkCohort(ctx: Ctx, rule: CohortRule): Promise<void> {
  const ids: Record<string, string> = {};
  for (const n of rule.needs) {
    const info = ctx.cat.tables.get(n.table)!;
    ids[n.table] = qualify(ctx.db.dialect, ctx.cat.schema, info.actual);
    for (const c of n.columns) ids[c] = quoteIdent(ctx.db.dialect, info.columns.get(c)!.actual);
  }
  const sql = fillIdentifiers(loadSql(ctx.db.dialect, 'check_cohort_without_episode'), ids);
  throwIfAborted(ctx.signal);
  const rows = await ctx.db.query<{ id: unknown; n: unknown }>(sql, [ctx.window.start, ctx.window.end]);
  const count = rows.length ? num(rows[0]!.n) : 0;
  // The cohort rule's examples are person ids, and its count counts children.
  const people = rows.map((r) => String(r.id));
  if (count > 0) ctx.findings.push(finding(rule, rule.table, count, people, { personIds: people, children: count }));
}

/**
 * Run fn over items, at most `limit` at a time, in order of items. On the first failure no new
 * item starts, the running ones are waited for (so no statement of this job is left running on
 * the connection after it returns), and that first failure is thrown.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { e: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failure ??= { e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw (failure as { e: unknown }).e;
}

async function countRows(ctx: Ctx, info: TableInfo): Promise<void> {
  throwIfAborted(ctx.signal);
  const [r] = await ctx.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${qualify(ctx.db.dialect, ctx.cat.schema, info.actual)}`);
  ctx.rowCounts.set(info.name, num(r?.n));
}

// ----------------------------------------------------------------------------------------------

export async function runChecks(db: Db, options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const schema = options.schema ?? db.defaultSchema;
  const asOf = AsOf.parse(options.asOf, 'asOf');
  const w = asOf.window;
  const bounds: DateBounds = asOf.checkBounds;
  // Ask the server to stop the running statement. Not on PGlite: it runs in-process and cannot
  // interrupt a statement, and its cancel() would fail the caller's next statement instead (the
  // check stops between statements through throwIfAborted anyway).
  const onAbort = () => {
    if (db.kind !== 'pglite') void db.cancel().catch(() => undefined);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    throwIfAborted(options.signal);
    const tables = BUILDER_TABLES.map((t) => t.name);
    const total = 1 + tables.length + 1;
    let done = 0;
    const progress = (message: string, table?: string) => options.onProgress?.({ done, total, message, ...(table ? { table } : {}) });

    progress('reading the schema');
    const cat = await readCatalogue(db, schema);
    const ctx: Ctx = {
      db,
      cat,
      bounds,
      window: { start: w.start, end: w.end },
      signal: options.signal,
      findings: [],
      rulesRun: new Set(),
      rulesSkipped: new Set(),
      rowCounts: new Map(),
    };
    ctx.findings.push(...schemaFindings(db.dialect, cat));
    done++;

    const dataRules = RULES.filter((r): r is DataRule => r.kind === 'row' || r.kind === 'orphan' || r.kind === 'group' || r.kind === 'js' || r.kind === 'semi');
    const checkTable = async (table: string): Promise<void> => {
      const tableStarted = performance.now();
      progress(`${table}: data rules`, table);
      const info = cat.tables.get(table);
      const mine = dataRules.filter((r) => r.table === table);
      const runnable: DataRule[] = [];
      for (const r of mine) {
        const why = skipReason(r, cat);
        if (why) {
          ctx.rulesSkipped.add(r.id);
          ctx.findings.push(skippedFinding(r, why));
        } else {
          runnable.push(r);
          ctx.rulesRun.add(r.id);
        }
      }
      if (info) {
        const rowRules = runnable.filter((r): r is RowRule => r.kind === 'row');
        if (SCOPED_TABLES[table] || rowRules.length === 0) await guarded(ctx, [], () => countRows(ctx, info));
        if (rowRules.length) await guarded(ctx, rowRules, () => checkRowRules(ctx, info, rowRules));
        for (const r of runnable) {
          if (r.kind === 'group') await guarded(ctx, [r], () => checkGroupRule(ctx, info, r));
          else if (r.kind === 'orphan') await guarded(ctx, [r], () => checkOrphanRule(ctx, info, r));
          else if (r.kind === 'semi') await guarded(ctx, [r], () => checkSemiRule(ctx, info, r));
        }
        const jsRules = runnable.filter((r): r is JsRule => r.kind === 'js');
        if (jsRules.length) await guarded(ctx, jsRules, () => checkJsRules(ctx, info, jsRules));
        if (ctx.rowCounts.get(table) === 0) {
          const meta = getRule('SSD-SCHEMA-007');
          ctx.findings.push({ ruleId: meta.id, severity: meta.severity, category: meta.category, table, column: null, count: 0, examples: [], message: `${table} has no rows`, fix: meta.fix });
        }
      }
      done++;
      options.onProgress?.({ done, total, message: `${table}: checked`, table, tableMs: performance.now() - tableStarted });
    };
    // Tables are independent and their queries read only: a server Db runs a few tables at once,
    // each table's statements one after another on one pooled connection. The findings are sorted
    // at the end (assemble), so the report does not depend on which table finished first.
    const parallel = Math.max(1, Math.min(options.parallelTables ?? DEFAULT_PARALLEL_TABLES, db.parallelStatements ?? 1));
    const checkCohortAndStaging = async (): Promise<void> => {
      progress('cohort');
      for (const r of RULES) {
        if (r.kind !== 'cohort') continue;
        const why = skipReason(r, cat);
        if (why) {
          ctx.rulesSkipped.add(r.id);
          ctx.findings.push(skippedFinding(r, why));
          continue;
        }
        ctx.rulesRun.add(r.id);
        await guarded(ctx, [r], () => checkCohort(ctx, r));
      }
      for (const t of STAGING_TABLES) {
        const info = cat.tables.get(t.name);
        if (info) await guarded(ctx, [], () => countRows(ctx, info));
      }
      done++;
    };
    // The cohort query is the longest single statement: with more than one lane it starts first,
    // beside the tables; one at a time, it runs last as it always did.
    const work: (() => Promise<void>)[] = tables.map((t) => () => checkTable(t));
    if (parallel > 1) work.unshift(checkCohortAndStaging);
    else work.push(checkCohortAndStaging);
    await forEachLimited(work, parallel, (w) => w());
    progress('done');
    return assemble(db, ctx, schema, options.asOf, startedAt, performance.now() - started);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function assemble(db: Db, ctx: Ctx, requestedSchema: string, asOf: string, startedAt: string, elapsedMs: number): CheckReport {
  const order = new Map<string, number>([...BUILDER_TABLES, ...STAGING_TABLES].map((t, i) => [t.name, i] as const));
  const findings = ctx.findings.sort(
    (a, b) =>
      (order.get(a.table) ?? 99) - (order.get(b.table) ?? 99) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      (a.skippedRule ?? '').localeCompare(b.skippedRule ?? '') ||
      (a.column ?? '').localeCompare(b.column ?? ''),
  );
  const tally = (fs: CheckFinding[], s: Severity) => fs.filter((f) => f.severity === s).length;
  const tables: TableSummary[] = [...BUILDER_TABLES, ...STAGING_TABLES].map((t) => {
    const info = ctx.cat.tables.get(t.name);
    const mine = findings.filter((f) => f.table === t.name);
    return {
      table: t.name,
      present: !!info,
      ...(info ? { actualName: info.actual } : {}),
      rows: ctx.rowCounts.get(t.name) ?? null,
      role: t.apiUsage === 'READ' ? ('builder' as const) : ('staging' as const),
      errors: tally(mine, 'error'),
      warnings: tally(mine, 'warning'),
      infos: tally(mine, 'info'),
    };
  });
  const errors = tally(findings, 'error'),
    warnings = tally(findings, 'warning'),
    infos = tally(findings, 'info');
  const verdict: Verdict = errors > 0 ? 'not-fit' : warnings > 0 ? 'fit-with-warnings' : 'fit';
  const verdictText = verdictLine(findings);
  return {
    formatVersion: 1,
    tool: 'ssd check',
    database: db.description,
    dialect: db.dialect,
    schema: ctx.cat.tables.size ? ctx.cat.schema : requestedSchema,
    asOf,
    window: ctx.window,
    startedAt,
    elapsedMs: Math.round(elapsedMs),
    summary: { errors, warnings, infos, rulesRun: ctx.rulesRun.size, rulesSkipped: ctx.rulesSkipped.size },
    verdict,
    verdictText,
    tables,
    findings,
  };
}
