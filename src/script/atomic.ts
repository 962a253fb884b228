// Atomic table refresh: which batches of a plan refresh one table, and whether they can run in one
// transaction. Pure: the runner (runner.ts) runs each atomic block inside Db.transaction, so a
// failure or a cancel rolls that table back to the rows it had before.
//
// A table's block is
// - in tagged scripts: the batches of its META-CONTAINER (per-table mode: the batches cut from the
//   container; as written: the batches that lie wholly inside it);
// - in untagged scripts: from the batch holding a TRUNCATE / DELETE FROM / DROP TABLE of the table
//   up to the batch before the next one that names another table.
// A block cannot run in a transaction (it is "not atomic" and runs as written) when it holds its
// own transaction control (BEGIN/COMMIT/ROLLBACK), a statement the server refuses inside a
// transaction (CREATE INDEX CONCURRENTLY, VACUUM, ALTER DATABASE, …), a PostgreSQL CALL (the
// procedure may commit), a DO block that commits, when `:on error ignore` is in force, or when one
// batch refreshes several tables (a transaction would tie them together).
import { maskNonCode, type ScriptDialect } from './lexer';
import { mapBatchPosition, parseQualifiedName, type MappedPosition } from './plan';
import type { PlannedBatch, ScriptPlan, TableRef } from './types';

export interface TableBlock {
  /** Tables the block refreshes (in the order they appear). */
  tables: TableRef[];
  /** Indexes of the plan's batches in the block, consecutive. */
  batches: number[];
  atomic: boolean;
  /** Why the block runs outside a transaction. */
  reason?: string;
  /** Where that reason is (the statement), or where the block starts. */
  at: MappedPosition;
  /** How the block was found. */
  via: 'container' | 'refresh';
}

const NAME_PART = String.raw`(?:\[[^\]\n]+\]|"[^"\n]+"|[A-Za-z_#@][\w$#@]*)`;
const QUALIFIED = String.raw`${NAME_PART}(?:\s*\.\s*${NAME_PART}){0,3}`;
const TRUNCATE_RE = new RegExp(String.raw`\bTRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?(${QUALIFIED}(?:\s*,\s*${QUALIFIED})*)`, 'gi');
const DELETE_RE = new RegExp(String.raw`\bDELETE\s+(?:TOP\s*\([^)]*\)\s*(?:PERCENT\s+)?)?(?:FROM\s+)?(?:ONLY\s+)?(${QUALIFIED})`, 'gi');
const DROP_RE = new RegExp(String.raw`\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(${QUALIFIED})`, 'gi');
const MODULE_RE = /^\s*(?:CREATE\s+(?:OR\s+ALTER\s+)?|ALTER\s+)(?:PROC|PROCEDURE|FUNCTION|TRIGGER|VIEW)\b/i;

interface Rule {
  re: RegExp;
  why: string;
}

/** Statements that cannot run inside a transaction (or end it), PostgreSQL: anchored at a statement's start. */
const PG_RULES: Rule[] = [
  { re: /(?:^|;)\s*(BEGIN|START\s+TRANSACTION)\b/gi, why: 'it has its own BEGIN (transaction control)' },
  { re: /(?:^|;)\s*(COMMIT|END|ABORT|PREPARE\s+TRANSACTION)\b/gi, why: 'it has its own COMMIT (transaction control)' },
  { re: /(?:^|;)\s*(ROLLBACK)\b(?!\s+(?:WORK\s+|TRANSACTION\s+)?TO\b)/gi, why: 'it has its own ROLLBACK (transaction control)' },
  { re: /\b(CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY)\b/gi, why: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction' },
  { re: /\b((?:DROP\s+INDEX|REINDEX(?:\s*\([^)]*\))?\s+\w+)\s+CONCURRENTLY)\b/gi, why: '… CONCURRENTLY cannot run inside a transaction' },
  { re: /(?:^|;)\s*(REINDEX(?:\s*\([^)]*\))?\s+(?:DATABASE|SYSTEM))\b/gi, why: 'REINDEX DATABASE/SYSTEM cannot run inside a transaction' },
  { re: /(?:^|;)\s*(VACUUM)\b/gi, why: 'VACUUM cannot run inside a transaction' },
  { re: /\b((?:CREATE|DROP|ALTER)\s+DATABASE)\b/gi, why: 'CREATE/ALTER/DROP DATABASE cannot be part of a table refresh transaction' },
  { re: /\b((?:CREATE|DROP)\s+TABLESPACE|ALTER\s+SYSTEM|(?:CREATE|ALTER|DROP)\s+SUBSCRIPTION)\b/gi, why: 'it cannot run inside a transaction' },
  { re: /(?:^|;)\s*(CALL)\b/gi, why: 'CALL runs a procedure, which may commit (a procedure cannot commit inside a transaction)' },
];

/** The same for T-SQL (no statement terminator to anchor on: whole words). */
const TSQL_RULES: Rule[] = [
  { re: /\b(BEGIN\s+(?:DISTRIBUTED\s+)?TRAN(?:SACTION)?)\b/gi, why: 'it has its own BEGIN TRANSACTION (transaction control)' },
  { re: /\b(COMMIT)\b/gi, why: 'it has its own COMMIT (transaction control)' },
  { re: /\b(ROLLBACK)\b/gi, why: 'it has its own ROLLBACK (transaction control)' },
  { re: /\b((?:CREATE|DROP|ALTER)\s+DATABASE)\b/gi, why: 'CREATE/ALTER/DROP DATABASE cannot run inside a transaction' },
  { re: /\b((?:BACKUP|RESTORE)\s+(?:DATABASE|LOG))\b/gi, why: 'BACKUP/RESTORE cannot run inside a transaction' },
  { re: /\b(RECONFIGURE)\b/gi, why: 'RECONFIGURE cannot run inside a transaction' },
  { re: /\b((?:CREATE|ALTER|DROP)\s+FULLTEXT)\b/gi, why: 'full-text catalog and index statements cannot run inside a transaction' },
];

interface BatchFacts {
  /** Tables emptied or dropped (TRUNCATE, DELETE, DROP TABLE), temp tables left out. */
  refreshes: TableRef[];
  /** Every table the batch writes (its CREATE/INSERT targets and refreshes). */
  touches: TableRef[];
  /** First statement that keeps the batch out of a transaction. */
  blocker?: { why: string; offset: number };
  /** Offset of the first refresh statement. */
  refreshAt?: number;
}

const keyOf = (t: Pick<TableRef, 'schema' | 'name'>) => `${t.schema ?? ''}.${t.name}`;
const isTemp = (name: string) => name.startsWith('#') || name.startsWith('@');

function refOf(text: string, via: TableRef['via']): TableRef | null {
  const q = parseQualifiedName(text);
  if (isTemp(q.name) || /^(select|values|from|where|set|top|when|then|output|only|table|if|on|with|as|cascade|restart|continue)$/i.test(q.name)) return null;
  const r: TableRef = { name: q.name, via };
  if (q.schema) r.schema = q.schema;
  if (q.database) r.database = q.database;
  return r;
}

/** Facts about one batch: what it empties, what it writes, what keeps it out of a transaction. */
export function batchFacts(batch: Pick<PlannedBatch, 'text' | 'tables'>, dialect: ScriptDialect): BatchFacts {
  const masked = maskNonCode(batch.text, dialect);
  const refreshes: TableRef[] = [];
  const seen = new Set<string>();
  let refreshAt: number | undefined;
  // A procedure, function, trigger or view definition: its body does not run now.
  const module = MODULE_RE.test(masked);
  const add = (r: TableRef | null, at: number) => {
    if (!r) return;
    // a CTE the statement deletes through is not a table
    if (new RegExp(String.raw`\b${r.name.replace(/[^\w$#@]/g, '')}\s*(?:\([^)]*\)\s*)?AS\s*\(`, 'i').test(masked)) return;
    if (!seen.has(keyOf(r))) {
      seen.add(keyOf(r));
      refreshes.push(r);
    }
    if (refreshAt === undefined || at < refreshAt) refreshAt = at;
  };
  if (!module) {
    for (const re of [TRUNCATE_RE, DELETE_RE, DROP_RE]) {
      re.lastIndex = 0;
      for (let m = re.exec(masked); m; m = re.exec(masked)) {
        const list = re === TRUNCATE_RE ? m[1]!.split(/\s*,\s*/) : [m[1]!];
        for (const n of list) add(refOf(n, 'insert'), m.index);
      }
    }
  }
  const touches = [...refreshes];
  for (const t of batch.tables)
    if (!isTemp(t.name) && !seen.has(keyOf(t))) {
      seen.add(keyOf(t));
      touches.push(t);
    }
  const facts: BatchFacts = { refreshes, touches };
  if (refreshAt !== undefined) facts.refreshAt = refreshAt;
  if (!module) {
    let best: { why: string; offset: number } | undefined;
    for (const rule of dialect === 'tsql' ? TSQL_RULES : PG_RULES) {
      rule.re.lastIndex = 0;
      const m = rule.re.exec(masked);
      if (!m) continue;
      const offset = m.index + m[0].indexOf(m[1]!);
      if (!best || offset < best.offset) best = { why: rule.why, offset };
    }
    // PostgreSQL DO blocks: their body is a dollar-quoted string; COMMIT/ROLLBACK in it ends the transaction.
    if (dialect === 'postgres') {
      const doRe = /(?:^|;)\s*(DO)\b/gi;
      for (let m = doRe.exec(masked); m; m = doRe.exec(masked)) {
        const start = m.index + m[0].length - 2;
        const end = masked.indexOf(';', start);
        const body = batch.text.slice(start, end < 0 ? undefined : end);
        if (/\b(COMMIT|ROLLBACK)\b/i.test(body) && (!best || start < best.offset)) best = { why: 'its DO block commits or rolls back', offset: start };
      }
    }
    if (best) facts.blocker = best;
  }
  return facts;
}

/** The last code line of a batch, as a file position. */
function lastCodeAt(b: PlannedBatch, masked: string): MappedPosition {
  let i = masked.length - 1;
  while (i > 0 && /[\s;]/.test(masked[i]!)) i--;
  return mapBatchPosition(b, Math.max(0, i) + 1);
}

/** Find each table's block in a plan. Batches outside every block run as written. */
export function planTableBlocks(plan: ScriptPlan): TableBlock[] {
  const facts = plan.batches.map((b) => batchFacts(b, plan.dialect));
  const tagged = plan.containers.some((c) => c.type.toLowerCase() === 'table');
  const blocks = tagged ? taggedBlocks(plan) : untaggedBlocks(plan, facts);
  for (const blk of blocks) {
    if (!blk.atomic) continue;
    for (const i of blk.batches) {
      const b = plan.batches[i]!;
      const f = facts[i]!;
      if (f.blocker) {
        blk.atomic = false;
        blk.reason = f.blocker.why;
        blk.at = mapBatchPosition(b, f.blocker.offset + 1);
        break;
      }
      if (b.onError === 'ignore') {
        blk.atomic = false;
        blk.reason = '":on error ignore" is in force: errors are to be ignored, so it runs as written';
        blk.at = { file: b.file, line: b.line, column: b.column };
        break;
      }
    }
  }
  return blocks;
}

function tablesOf(batches: readonly PlannedBatch[]): TableRef[] {
  const out: TableRef[] = [];
  const seen = new Set<string>();
  for (const b of batches)
    for (const t of b.tables)
      if (!isTemp(t.name) && !seen.has(keyOf(t))) {
        seen.add(keyOf(t));
        out.push(t);
      }
  return out;
}

function taggedBlocks(plan: ScriptPlan): TableBlock[] {
  const blocks: TableBlock[] = [];
  if (plan.perTable) {
    let cur: { name: string; idx: number[] } | null = null;
    const close = () => {
      if (!cur) return;
      const bs = cur.idx.map((i) => plan.batches[i]!);
      const tables = tablesOf(bs);
      if (tables.length) blocks.push({ tables, batches: cur.idx, atomic: true, at: { file: bs[0]!.file, line: bs[0]!.line, column: bs[0]!.column }, via: 'container' });
      cur = null;
    };
    for (const b of plan.batches) {
      const c = b.container;
      const isTable = !!c && c.type.toLowerCase() === 'table';
      if (cur && (!isTable || c!.name !== cur.name || cur.idx[cur.idx.length - 1] !== b.index - 1)) close();
      if (!isTable) continue;
      if (!cur) cur = { name: c!.name, idx: [] };
      cur.idx.push(b.index);
    }
    close();
    return blocks;
  }
  // As written: container regions of the main file by line; a batch belongs to the region holding
  // its first and last code lines.
  const regions = plan.containers.map((c, i) => ({ c, from: c.line, to: i + 1 < plan.containers.length ? plan.containers[i + 1]!.line - 1 : Number.POSITIVE_INFINITY }));
  const regionAt = (line: number) => regions.findIndex((r) => line >= r.from && line <= r.to);
  const members = new Map<number, number[]>();
  const spanned = new Map<number, { batch: PlannedBatch; regions: number[] }>();
  for (const b of plan.batches) {
    if (b.file !== plan.file) continue;
    const masked = maskNonCode(b.text, plan.dialect);
    const end = lastCodeAt(b, masked);
    if (end.file !== plan.file) continue;
    const a = regionAt(b.line);
    const z = regionAt(end.line);
    if (z < 0) continue; // wholly before the first container: the configuration
    const tableRegions: number[] = [];
    for (let r = Math.max(0, a); r <= z; r++) if (regions[r]!.c.type.toLowerCase() === 'table') tableRegions.push(r);
    if (tableRegions.length === 1) {
      const list = members.get(tableRegions[0]!) ?? [];
      list.push(b.index);
      members.set(tableRegions[0]!, list);
    } else for (const r of tableRegions) spanned.set(r, { batch: b, regions: tableRegions });
  }
  regions.forEach((r, ri) => {
    if (r.c.type.toLowerCase() !== 'table') return;
    const span = spanned.get(ri);
    const idx = members.get(ri) ?? [];
    if (span) {
      const others = span.regions.filter((x) => x !== ri).map((x) => regions[x]!.c.name);
      const b = span.batch;
      blocks.push({
        tables: [{ name: r.c.name.toLowerCase(), via: 'tag' }],
        batches: [...new Set([...idx, b.index])].sort((x, y) => x - y),
        atomic: false,
        via: 'container',
        reason: `batch ${b.index + 1} (from line ${b.line}) also refreshes ${others.length} other table(s)${others.length ? ` (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''})` : ''}: one transaction would tie them together; run with --per-table to refresh each table in its own transaction`,
        at: { file: b.file, line: b.line, column: b.column },
      });
      return;
    }
    if (!idx.length) return;
    // consecutive batches only (anything else between them runs outside)
    const bs = idx.map((i) => plan.batches[i]!);
    const tables = tablesOf(bs);
    if (!tables.some((t) => t.name === r.c.name.toLowerCase())) tables.unshift({ name: r.c.name.toLowerCase(), via: 'tag' });
    blocks.push({ tables, batches: idx, atomic: true, at: { file: bs[0]!.file, line: bs[0]!.line, column: bs[0]!.column }, via: 'container' });
  });
  return blocks;
}

function untaggedBlocks(plan: ScriptPlan, facts: BatchFacts[]): TableBlock[] {
  const blocks: TableBlock[] = [];
  let cur: TableBlock | null = null;
  let keys = new Set<string>();
  for (const b of plan.batches) {
    const f = facts[b.index]!;
    const touched = f.touches.map(keyOf);
    if (cur && touched.every((k) => keys.has(k))) {
      cur.batches.push(b.index);
      continue;
    }
    cur = null;
    if (!f.refreshes.length) continue;
    const startAt = mapBatchPosition(b, (f.refreshAt ?? 0) + 1);
    if (f.touches.length > 1) {
      blocks.push({
        tables: f.touches,
        batches: [b.index],
        atomic: false,
        via: 'refresh',
        at: startAt,
        reason: `batch ${b.index + 1} (from line ${b.line}) refreshes ${f.touches.length} tables (${f.touches.map((t) => t.name).join(', ')}): one transaction would tie them together; ${plan.dialect === 'tsql' ? 'put GO between the tables' : 'give each table its own statements'} to refresh each atomically`,
      });
      continue;
    }
    cur = { tables: [...f.refreshes], batches: [b.index], atomic: true, via: 'refresh', at: startAt };
    keys = new Set(touched);
    blocks.push(cur);
  }
  return blocks;
}
