// Turn a script file into the batches the runner sends: split (splitter.ts), apply sqlcmd
// directives (:setvar, :r, :on error, $(var)), find the tables each batch builds, and in per-table
// mode cut the community's META-CONTAINER format into one batch per table with the configuration
// block in front. Pure apart from the include reader the caller supplies.
import { lexSql, lineStarts, maskNonCode, positionAt, type ScriptDialect, type Span } from './lexer';
import { splitScript, type Piece } from './splitter';
import { ScriptPlanError, type PlannedBatch, type ScriptDiagnostic, type ScriptPlan, type SourceSegment, type TableRef } from './types';

export interface IncludeReader {
  /** Read an included file (`:r path`), resolving path against the including file. */
  (path: string, fromFile: string): { file: string; text: string };
}

export interface PlanOptions {
  dialect: ScriptDialect;
  /** Name shown in diagnostics (usually the path given on the command line). */
  file: string;
  /** Scripting variables (--var name=value); :setvar in the script overrides them as sqlcmd does. */
  vars?: Record<string, string>;
  perTable?: boolean;
  /** Needed only when the script uses :r. */
  readInclude?: IncludeReader;
}

interface SourceFile {
  file: string;
  text: string;
  spans: Span[];
  starts: number[];
  /** Code-only text (comments and strings blanked) for searching. */
  masked: string;
  pieces: Piece[];
  warnings: Array<{ line: number; column: number; message: string; fatal?: boolean }>;
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VAR_REF = /\$\(([^)\s]*)\)/g;
/** SQL*Plus substitution variables: &name or &&name, an optional '.' ending the name (&v.suffix). */
const ORACLE_VAR_REF = /&&?([A-Za-z_][A-Za-z0-9_$#]*)\.?/g;
const TAG_LINE = /^[ \t]*--[ \t]*META-CONTAINER:[ \t]*(\{[^\n]*\})/;
const NAME_PART = String.raw`(?:\[[^\]\n]+\]|"[^"\n]+"|[A-Za-z_#@][\w$#@]*)`;
const QUALIFIED = String.raw`(${NAME_PART}(?:\s*\.\s*${NAME_PART}){0,3})`;
const TARGET_RE = new RegExp(String.raw`\b(?:CREATE\s+(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?|INSERT\s+INTO\s+|INTO\s+)` + QUALIFIED, 'gi');
const MAX_INCLUDE_DEPTH = 16;

function loadSource(file: string, text: string, dialect: ScriptDialect): SourceFile {
  const split = splitScript(text, dialect);
  return { file, text, spans: split.spans, starts: split.lineStarts, masked: maskNonCode(text, dialect, { spans: split.spans }), pieces: split.pieces, warnings: split.warnings };
}

function unquote(part: string): string {
  const p = part.trim();
  if ((p.startsWith('[') && p.endsWith(']')) || (p.startsWith('"') && p.endsWith('"'))) return p.slice(1, -1);
  return p;
}

/** Split a possibly qualified name into database / schema / table. */
export function parseQualifiedName(text: string): { database?: string; schema?: string; name: string } {
  const parts = text.split(/\s*\.\s*/).map(unquote);
  const name = parts[parts.length - 1]!.toLowerCase();
  const out: { database?: string; schema?: string; name: string } = { name };
  if (parts.length >= 2 && parts[parts.length - 2]) out.schema = parts[parts.length - 2]!.toLowerCase();
  if (parts.length >= 3 && parts[parts.length - 3]) out.database = parts[parts.length - 3]!.toLowerCase();
  return out;
}

/** Tables written by the code in `masked` (CREATE TABLE, INSERT INTO, SELECT … INTO), temp tables and table variables left out. */
export function findTargetTables(masked: string): TableRef[] {
  const out: TableRef[] = [];
  const seen = new Set<string>();
  TARGET_RE.lastIndex = 0;
  let line = 1;
  let lineAt = 0;
  for (let m = TARGET_RE.exec(masked); m; m = TARGET_RE.exec(masked)) {
    for (let i = masked.indexOf('\n', lineAt); i >= 0 && i < m.index; i = masked.indexOf('\n', i + 1)) {
      line++;
      lineAt = i + 1;
    }
    const q = parseQualifiedName(m[1]!);
    if (q.name.startsWith('#') || q.name.startsWith('@') || /^(select|values|from|where)$/i.test(q.name)) continue;
    const key = `${q.schema ?? ''}.${q.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ref: TableRef = { name: q.name, via: /^CREATE/i.test(m[0]) ? 'create' : 'insert', batchLine: line };
    if (q.schema) ref.schema = q.schema;
    if (q.database) ref.database = q.database;
    out.push(ref);
  }
  return out;
}

/** Index of the first tag at or after offset (tags are in file order). */
function firstTagAtOrAfter(tags: readonly Tag[], offset: number): number {
  let lo = 0;
  let hi = tags.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tags[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Tag {
  type: string;
  name: string;
  offset: number;
  line: number;
  hasCode?: boolean;
}

/** META-CONTAINER tag lines that are real line comments (not inside a block comment or string). */
function findTags(src: SourceFile): Tag[] {
  const tags: Tag[] = [];
  let k = 0;
  let at = src.text.indexOf('META-CONTAINER');
  while (at >= 0) {
    const li = positionAt(src.starts, at).line - 1;
    const ls = src.starts[li]!;
    while (k < src.spans.length && src.spans[k]!.end <= ls) k++;
    // the line must start in code, and its first non-blank text must open a line comment
    const lineText = src.text.slice(ls, li + 1 < src.starts.length ? src.starts[li + 1]! : src.text.length);
    const m = TAG_LINE.exec(lineText);
    const span = src.spans[k];
    const inCode = !span || span.kind === 'code' || span.start === ls;
    if (m && inCode) {
      const commentAt = ls + lineText.indexOf('--');
      let comment: Span | undefined;
      for (let j = k; j < src.spans.length && src.spans[j]!.start <= commentAt; j++) {
        if (src.spans[j]!.start === commentAt && src.spans[j]!.kind === 'line-comment') {
          comment = src.spans[j];
          break;
        }
      }
      if (comment) {
        let meta: { type?: unknown; name?: unknown } = {};
        try {
          meta = JSON.parse(m[1]!) as typeof meta;
        } catch {
          /* a malformed tag is still a boundary */
        }
        tags.push({ type: typeof meta.type === 'string' ? meta.type : 'unknown', name: typeof meta.name === 'string' ? meta.name : `line ${li + 1}`, offset: ls, line: li + 1 });
      }
    }
    at = src.text.indexOf('META-CONTAINER', li + 1 < src.starts.length ? src.starts[li + 1]! : src.text.length);
  }
  tags.forEach((t, i) => {
    const end = i + 1 < tags.length ? tags[i + 1]!.offset : src.text.length;
    t.hasCode = /[^\s;]/.test(src.masked.slice(t.offset, end));
  });
  return tags;
}

class Planner {
  readonly batches: PlannedBatch[] = [];
  readonly warnings: ScriptDiagnostic[] = [];
  readonly errors: ScriptDiagnostic[] = [];
  readonly vars = new Map<string, string>();
  onError: 'exit' | 'ignore' | undefined;
  /** Oracle: SET DEFINE OFF turns &var substitution off (SET DEFINE ON back on). */
  substitution = true;
  private cur: SourceSegment[] = [];
  private curText = '';
  private curLines = 1;
  private readonly stack: string[] = [];
  readonly tagsByFile = new Map<string, Tag[]>();
  /** Schema each table name was first seen with (for batches that only name the table through their container). */
  private readonly schemaOf = new Map<string, string>();

  constructor(readonly opts: PlanOptions) {
    for (const [k, v] of Object.entries(opts.vars ?? {})) this.setVar(k, v, null);
  }

  diag(src: { file: string; starts: number[] }, offset: number, message: string, severity: ScriptDiagnostic['severity'] = 'error'): ScriptDiagnostic {
    const p = positionAt(src.starts, offset);
    return { file: src.file, line: p.line, column: p.column, message, severity, source: 'split' };
  }

  setVar(name: string, value: string, at: { src: SourceFile; offset: number } | null): void {
    const bad = !VAR_NAME.test(name) ? `invalid scripting variable name ${JSON.stringify(name)}` : /[\r\n]/.test(value) ? `value of scripting variable ${name} spans lines` : null;
    if (bad) {
      if (at) this.errors.push(this.diag(at.src, at.offset, bad));
      else throw new ScriptPlanError([{ file: this.opts.file, line: 1, column: 1, message: bad, severity: 'error', source: 'split' }]);
      return;
    }
    this.vars.set(name.toLowerCase(), value);
  }

  /** Text of [start, end) of src with $(var) (T-SQL) or &var (Oracle) replaced in code and strings. */
  substitute(src: SourceFile, start: number, end: number): { text: string; verbatim: boolean } {
    const raw = src.text.slice(start, end);
    if (this.opts.dialect === 'oracle') {
      // SQL*Plus also replaces &var in strings.
      if (!this.substitution || raw.indexOf('&') < 0) return { text: raw, verbatim: true };
      return this.replaceVariables(
        src,
        start,
        end,
        ORACLE_VAR_REF,
        (name) => `substitution variable "${name}" is not defined: pass --var ${name}=value, add "DEFINE ${name} = value" before this line, or "SET DEFINE OFF" when the & is meant literally`,
      );
    }
    if (this.opts.dialect !== 'tsql' || raw.indexOf('$(') < 0) return { text: raw, verbatim: true };
    // Undefined in code, a string or a quoted name: an error, as in sqlcmd.
    return this.replaceVariables(
      src,
      start,
      end,
      VAR_REF,
      (name) => `scripting variable "${name}" is not defined: pass --var ${name || 'NAME'}=value or add ":setvar ${name || 'NAME'} value" before this line`,
    );
  }

  /** [start, end) of src with each `pattern` match in code, strings and quoted names replaced by its
   *  variable's value; an undefined variable is an error at its position (`undefinedMessage`). */
  private replaceVariables(src: SourceFile, start: number, end: number, pattern: RegExp, undefinedMessage: (name: string) => string): { text: string; verbatim: boolean } {
    let out = '';
    let verbatim = true;
    for (const s of src.spans) {
      if (s.end <= start) continue;
      if (s.start >= end) break;
      const a = Math.max(s.start, start);
      const b = Math.min(s.end, end);
      const piece = src.text.slice(a, b);
      if (s.kind === 'code' || s.kind === 'string' || s.kind === 'ident') {
        out += piece.replace(pattern, (whole: string, name: string, rel: number) => {
          const v = this.vars.get(name.toLowerCase());
          if (v !== undefined) {
            verbatim = false;
            return v;
          }
          this.errors.push(this.diag(src, a + rel, undefinedMessage(name)));
          return whole;
        });
      } else out += piece;
    }
    return { text: out, verbatim };
  }

  /** Oracle: a SQL*Plus command line (DEFINE, UNDEFINE, SET DEFINE, WHENEVER SQLERROR; harmless
   *  display commands are skipped with a note; the rest are errors, as they cannot run here). */
  private oracleDirective(src: SourceFile, start: number, line: string): void {
    const text = line.replace(/;\s*$/, '').trim();
    const m = /^(@@?|\S+)\s*(.*)$/.exec(text);
    const cmd = (m?.[1] ?? '').toLowerCase();
    const rest = (m?.[2] ?? '').trim();
    const unquoted = (v: string) => (v.length >= 2 && /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v);
    if (cmd === 'def' || cmd === 'define') {
      const mm = /^([A-Za-z_][A-Za-z0-9_$#]*)\s*(?:=\s*(.*))?$/.exec(rest);
      if (!mm || mm[2] === undefined) {
        this.errors.push(this.diag(src, start, 'DEFINE needs a value here: "DEFINE name = value" (listing variables is not supported)'));
        return;
      }
      this.setVar(mm[1]!, unquoted(mm[2].trim()), { src, offset: start });
      return;
    }
    if (cmd === 'undef' || cmd === 'undefine') {
      for (const n of rest.split(/\s+/)) if (n) this.vars.delete(n.toLowerCase());
      return;
    }
    if (cmd === 'set') {
      const mm = /^def(?:ine)?\s+(on|off)$/i.exec(rest);
      if (mm) {
        this.substitution = mm[1]!.toLowerCase() === 'on';
        return;
      }
      if (/^def(?:ine)?\b/i.test(rest)) {
        this.errors.push(this.diag(src, start, `"SET ${rest}": only SET DEFINE ON and SET DEFINE OFF are supported (the substitution character is &)`));
        return;
      }
      return; // SET SERVEROUTPUT, ECHO, FEEDBACK, LINESIZE …: display settings, nothing to do here
    }
    if (cmd === 'whenever') {
      const mm = /^sqlerror\s+(exit|continue)\b/i.exec(rest);
      if (mm) {
        this.onError = mm[1]!.toLowerCase() === 'exit' ? 'exit' : 'ignore';
        return;
      }
      if (/^oserror\b/i.test(rest)) return;
      this.errors.push(this.diag(src, start, '"WHENEVER" takes SQLERROR EXIT or SQLERROR CONTINUE'));
      return;
    }
    if (['pro', 'prompt', 'rem', 'remark', 'spo', 'spool', 'col', 'column', 'sho', 'show', 'ttitle', 'btitle', 'break', 'clear', 'timing', 'pause', 'repfooter', 'repheader'].includes(cmd)) return;
    if (cmd === 'exec' || cmd === 'execute') {
      this.errors.push(this.diag(src, start, `"${cmd.toUpperCase()} …" is a SQL*Plus shorthand: write it as a block, "BEGIN ${rest.replace(/;$/, '')}; END;" followed by a line holding only "/"`));
      return;
    }
    this.errors.push(this.diag(src, start, `SQL*Plus command "${cmd.toUpperCase()}" is not supported here: remove it, or run the file with SQL*Plus/SQLcl`));
  }

  addSegment(src: SourceFile, start: number, end: number): void {
    if (end <= start) return;
    const { text, verbatim } = this.substitute(src, start, end);
    const p = positionAt(src.starts, start);
    this.cur.push({ file: src.file, fileOffset: start, line: p.line, column: p.column, batchOffset: this.curText.length, batchLine: this.curLines, text, verbatim });
    this.curText += text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.curLines++;
  }

  /** Drop what was collected for the current batch. */
  discard(): void {
    this.cur = [];
    this.curText = '';
    this.curLines = 1;
  }

  endsWithNewline(): boolean {
    return this.curText === '' || this.curText.endsWith('\n');
  }

  addGlue(text: string): void {
    if (!text) return;
    this.cur.push({ file: this.cur[0]?.file ?? this.opts.file, fileOffset: -1, line: 0, column: 0, batchOffset: this.curText.length, batchLine: this.curLines, text, verbatim: false });
    this.curText += text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.curLines++;
  }

  /** Finish the current batch (skipped when it holds no code). */
  flush(repeat: number, extra: Partial<PlannedBatch> = {}, sources: Map<string, SourceFile>, startAt?: number): void {
    const segs = this.cur;
    const text = this.curText;
    this.cur = [];
    this.curText = '';
    this.curLines = 1;
    if (!segs.length) return;
    // first code character, and the tables the batch builds
    let first: { file: string; line: number; column: number } | null = null;
    let firstOffset = -1;
    let masked = '';
    for (const s of segs) {
      if (s.fileOffset < 0) {
        masked += s.text.replace(/[^\r\n]/g, ' ');
        continue;
      }
      const src = sources.get(s.file)!;
      const m = s.verbatim ? src.masked.slice(s.fileOffset, s.fileOffset + s.text.length) : maskNonCode(s.text, this.opts.dialect);
      if (!first && (startAt === undefined || s.fileOffset >= startAt)) {
        const i = m.search(/[^\s;]/);
        if (i >= 0) {
          const before = s.text.slice(0, i);
          const nl = before.lastIndexOf('\n');
          const lines = (before.match(/\n/g) ?? []).length;
          first = { file: s.file, line: s.line + lines, column: nl < 0 ? s.column + i : i - nl };
          if (s.verbatim) firstOffset = s.fileOffset + i;
        }
      }
      masked += m;
    }
    if (!first) return; // comments and blanks only
    let tables = extra.tables;
    if (!tables) {
      const targets = findTargetTables(masked);
      const tagged: TableRef[] = [];
      for (const s of segs) {
        if (s.fileOffset < 0) continue;
        const fileTags = this.tagsByFile.get(s.file) ?? [];
        for (let ti = firstTagAtOrAfter(fileTags, s.fileOffset); ti < fileTags.length; ti++) {
          const t = fileTags[ti]!;
          if (t.offset >= s.fileOffset + s.text.length) break;
          if (t.type.toLowerCase() !== 'table' || !t.hasCode) continue;
          const same = targets.find((x) => x.name === t.name.toLowerCase());
          const ref: TableRef = { name: t.name.toLowerCase(), via: 'tag', batchLine: s.batchLine + (t.line - s.line) };
          if (same?.schema) ref.schema = same.schema;
          if (same?.database) ref.database = same.database;
          tagged.push(ref);
        }
      }
      tables = tagged.length ? tagged : targets;
      // A batch inside a container (PostgreSQL statements, or a GO-split part) belongs to it.
      if (!tagged.length && firstOffset >= 0) {
        const tags = this.tagsByFile.get(first.file) ?? [];
        const after = firstTagAtOrAfter(tags, firstOffset + 1);
        const owner: Tag | undefined = after > 0 ? tags[after - 1] : undefined;
        if (owner) {
          if (!extra.label) extra = { ...extra, label: owner.name };
          if (owner.type.toLowerCase() === 'table') {
            const same = targets.find((x) => x.name === owner!.name.toLowerCase());
            const ref: TableRef = { name: owner.name.toLowerCase(), via: 'tag', batchLine: 1 };
            const schema = same?.schema ?? this.schemaOf.get(ref.name);
            if (schema) ref.schema = schema;
            tables = [ref, ...targets.filter((x) => x.name !== ref.name)];
          }
        }
      }
    }
    const index = this.batches.length;
    const b: PlannedBatch = {
      index,
      text,
      segments: segs,
      file: first.file,
      line: first.line,
      column: first.column,
      repeat,
      tables,
      label: extra.label ?? (tables.length ? tables.map((t) => t.name).join(', ') : `batch ${index + 1}`),
      kind: extra.kind ?? (tables.length ? 'table' : 'other'),
    };
    for (const t of tables) if (t.schema && !this.schemaOf.has(t.name)) this.schemaOf.set(t.name, t.schema);
    if (this.onError) b.onError = this.onError;
    if (extra.container) b.container = extra.container;
    if (extra.withConfig !== undefined) b.withConfig = extra.withConfig;
    this.batches.push(b);
  }

  /** Handle a directive line; returns an included source to walk, if any. */
  directive(src: SourceFile, start: number, end: number): { include?: { file: string; text: string } } {
    const line = src.text
      .slice(start, end)
      .replace(/\r?\n$/, '')
      .trim();
    if (this.opts.dialect === 'oracle') {
      this.oracleDirective(src, start, line);
      return {};
    }
    if (this.opts.dialect === 'postgres') {
      this.errors.push(this.diag(src, start, `psql meta-command ${JSON.stringify(line.split(/\s+/)[0])} is not supported: remove it, or run the file with psql`));
      return {};
    }
    if (line.startsWith('!!')) {
      this.errors.push(this.diag(src, start, 'sqlcmd "!!" (run an operating-system command) is not supported'));
      return {};
    }
    const m = /^:([A-Za-z]+)\s*(.*)$/.exec(line);
    const cmd = (m?.[1] ?? '').toLowerCase();
    const rest = (m?.[2] ?? '').trim();
    const unquoted = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
    switch (cmd) {
      case 'setvar': {
        const mm = /^([^\s]+)(?:\s+(.*))?$/.exec(rest);
        if (!mm) {
          this.errors.push(this.diag(src, start, ':setvar needs a variable name: ":setvar name value"'));
          return {};
        }
        if (mm[2] === undefined) {
          this.vars.delete(mm[1]!.toLowerCase());
          return {};
        }
        this.setVar(mm[1]!, unquoted(mm[2].trim()), { src, offset: start });
        return {};
      }
      case 'on': {
        const mm = /^error\s+(exit|ignore)$/i.exec(rest);
        if (!mm) {
          this.errors.push(this.diag(src, start, '":on error" takes exit or ignore'));
          return {};
        }
        this.onError = mm[1]!.toLowerCase() as 'exit' | 'ignore';
        return {};
      }
      case 'r': {
        const path = unquoted(rest.replace(/\$\(([^)\s]*)\)/g, (w, n: string) => this.vars.get(n.toLowerCase()) ?? w));
        if (!path) {
          this.errors.push(this.diag(src, start, ':r needs a file name'));
          return {};
        }
        if (!this.opts.readInclude) {
          this.errors.push(this.diag(src, start, `:r ${path}: includes are not available here`));
          return {};
        }
        if (this.stack.length >= MAX_INCLUDE_DEPTH) {
          this.errors.push(this.diag(src, start, `:r ${path}: includes nested more than ${MAX_INCLUDE_DEPTH} deep`));
          return {};
        }
        try {
          const inc = this.opts.readInclude(path, src.file);
          if (this.stack.includes(inc.file)) {
            this.errors.push(this.diag(src, start, `:r ${path}: the file includes itself (${[...this.stack, inc.file].join(' → ')})`));
            return {};
          }
          return { include: inc };
        } catch (e) {
          this.errors.push(this.diag(src, start, `:r ${path}: cannot read the file (${e instanceof Error ? e.message : String(e)})`));
          return {};
        }
      }
      default:
        this.errors.push(this.diag(src, start, `sqlcmd command ":${cmd || line.slice(1)}" is not supported: only :setvar, :r and :on error are`));
        return {};
    }
  }

  walk(src: SourceFile, sources: Map<string, SourceFile>): void {
    this.stack.push(src.file);
    sources.set(src.file, src);
    if (!this.tagsByFile.has(src.file)) this.tagsByFile.set(src.file, findTags(src));
    for (const p of src.pieces) {
      if (p.kind === 'text') this.addSegment(src, p.start, p.end);
      else if (p.kind === 'separator') this.flush(p.repeat ?? 1, {}, sources);
      else {
        const r = this.directive(src, p.start, p.end);
        if (r.include) {
          const inc = loadSource(r.include.file, r.include.text, this.opts.dialect);
          for (const w of inc.warnings) if (w.fatal) this.errors.push({ file: inc.file, line: w.line, column: w.column, message: w.message, severity: 'error', source: 'split' });
          this.walk(inc, sources);
        }
      }
    }
    this.stack.pop();
  }
}

/** Plan a script: its batches in order, each with its source map and tables. Throws ScriptPlanError. */
export function planScript(text: string, opts: PlanOptions): ScriptPlan {
  const planner = new Planner(opts);
  const src = loadSource(opts.file, text, opts.dialect);
  const sources = new Map<string, SourceFile>();
  for (const w of src.warnings)
    (w.fatal ? planner.errors : planner.warnings).push({ file: opts.file, line: w.line, column: w.column, message: w.message, severity: w.fatal ? 'error' : 'warning', source: 'split' });
  const tags = findTags(src);
  if (opts.perTable) planPerTable(planner, src, tags, sources);
  else {
    planner.walk(src, sources);
    planner.flush(1, {}, sources);
  }
  if (planner.errors.length) throw new ScriptPlanError(planner.errors);
  if (!opts.perTable && opts.dialect === 'tsql' && tags.some((t) => t.type.toLowerCase() === 'table')) {
    const big = planner.batches.find((b) => b.tables.length >= 5);
    if (big) {
      planner.warnings.push({
        file: big.file,
        line: big.line,
        column: big.column,
        severity: 'info',
        source: 'split',
        message: `batch ${big.index + 1} builds ${big.tables.length} tables in one go: SQL Server holds PRINT output until its buffer fills, so progress inside it can lag, and one error can stop every table after it. --per-table runs each table as its own batch.`,
      });
    }
  }
  const tables: TableRef[] = [];
  const seen = new Set<string>();
  for (const b of planner.batches) {
    for (const t of b.tables) {
      const key = `${t.schema ?? ''}.${t.name}`;
      if (!seen.has(key)) {
        seen.add(key);
        tables.push(t);
      }
    }
  }
  return {
    file: opts.file,
    dialect: opts.dialect,
    perTable: !!opts.perTable,
    batches: planner.batches,
    tables,
    containers: tags.map((t) => ({ type: t.type, name: t.name, line: t.line })),
    warnings: planner.warnings,
    variables: Object.fromEntries(planner.vars),
  };
}

/** Tables named by the tag, with the schema/database taken from the container's own CREATE/INSERT text when it qualifies the same name. */
function tagTables(tag: Tag, masked: string): TableRef[] {
  const found = findTargetTables(masked);
  const same = found.find((t) => t.name === tag.name.toLowerCase());
  const ref: TableRef = { name: tag.name.toLowerCase(), via: 'tag' };
  if (same?.schema) ref.schema = same.schema;
  if (same?.database) ref.database = same.database;
  return [ref];
}

function planPerTable(planner: Planner, src: SourceFile, tags: Tag[], sources: Map<string, SourceFile>): void {
  sources.set(src.file, src);
  const tableTags = tags.filter((t) => t.type.toLowerCase() === 'table');
  if (!tableTags.length) {
    throw new ScriptPlanError([
      {
        file: src.file,
        line: 1,
        column: 1,
        severity: 'error',
        source: 'split',
        message: '--per-table needs a script in the tagged format (lines such as -- META-CONTAINER: {"type": "table", "name": "ssd_person"}); this script has none: run it without --per-table',
      },
    ]);
  }
  const configEnd = tableTags[0]!.offset;
  // Container regions: from each tag (any type) at or after the first table tag to the next tag.
  const regionTags = tags.filter((t) => t.offset >= configEnd);
  const regions = regionTags.map((t, i) => ({ tag: t, start: t.offset, end: i + 1 < regionTags.length ? regionTags[i + 1]!.offset : src.text.length }));
  const pieces = src.pieces;
  const clip = (p: Piece, a: number, b: number) => ({ start: Math.max(p.start, a), end: Math.min(p.end, b) });

  if (src.text.length && pieces.some((p) => p.kind === 'directive' && /^[ \t]*:r\b/i.test(src.text.slice(p.start, p.end)))) {
    throw new ScriptPlanError([{ file: src.file, line: 1, column: 1, severity: 'error', source: 'split', message: '--per-table cannot be used with :r includes: run the script without --per-table' }]);
  }

  if (planner.opts.dialect === 'oracle') {
    throw new ScriptPlanError([
      { file: src.file, line: 1, column: 1, severity: 'error', source: 'split', message: '--per-table is not available for Oracle scripts yet: run the script without --per-table' },
    ]);
  }
  if (planner.opts.dialect === 'postgres') {
    // No GO: the configuration is everything before the first table container, sent in front of each container.
    for (const p of pieces) if (p.kind === 'directive' && p.start < src.text.length) planner.directive(src, p.start, p.end);
    const configHasCode = /\S/.test(src.masked.slice(0, configEnd).replace(/;/g, ''));
    for (const r of regions) {
      if (!/[^\s;]/.test(src.masked.slice(r.start, r.end))) {
        emptyContainer(planner, src, r.tag);
        continue;
      }
      if (configHasCode) {
        planner.addSegment(src, 0, configEnd);
        if (!/;\s*$/.test(src.masked.slice(0, configEnd))) planner.addGlue(';\n');
      }
      planner.addSegment(src, r.start, r.end);
      const masked = src.masked.slice(r.start, r.end);
      const isTable = r.tag.type.toLowerCase() === 'table';
      planner.flush(
        1,
        { tables: isTable ? tagTables(r.tag, masked) : [], label: r.tag.name, kind: isTable ? 'table' : 'other', container: { type: r.tag.type, name: r.tag.name }, withConfig: configHasCode },
        sources,
        r.start,
      );
    }
    return;
  }

  // T-SQL. Batches wholly before the configuration's own batch run once, as they are ("setup").
  let lastSepBeforeConfig = -1;
  for (const p of pieces) if (p.kind === 'separator' && p.end <= configEnd) lastSepBeforeConfig = p.end;
  const configStart = Math.max(0, lastSepBeforeConfig);
  for (const p of pieces) {
    if (p.start >= configStart) break;
    if (p.kind === 'text') planner.addSegment(src, p.start, Math.min(p.end, configStart));
    else if (p.kind === 'separator') planner.flush(p.repeat ?? 1, { kind: 'setup' }, sources);
    else planner.directive(src, p.start, p.end);
  }
  planner.flush(1, { kind: 'setup' }, sources);
  // The configuration block: text pieces of [configStart, configEnd) (directives in it apply once).
  const configPieces = pieces.filter((p) => p.end > configStart && p.start < configEnd);
  for (const p of configPieces) if (p.kind === 'directive') planner.directive(src, p.start, p.end);
  const configRanges = configPieces.filter((p) => p.kind === 'text').map((p) => clip(p, configStart, configEnd));
  let configLive = true; // the configuration's variables are in scope until the first GO after it
  for (const r of regions) {
    let withConfig = configLive;
    const isTable = r.tag.type.toLowerCase() === 'table';
    const extra = () => {
      const masked = src.masked.slice(r.start, r.end);
      return {
        tables: isTable ? tagTables(r.tag, masked) : [],
        label: r.tag.name,
        kind: (isTable ? 'table' : 'other') as PlannedBatch['kind'],
        container: { type: r.tag.type, name: r.tag.name },
        withConfig,
      };
    };
    const begin = () => {
      if (withConfig) {
        for (const c of configRanges) planner.addSegment(src, c.start, c.end);
        if (!planner.endsWithNewline()) planner.addGlue('\n');
      }
    };
    let ownCode = false;
    let anyCode = false;
    const finish = (repeat: number) => {
      if (ownCode) planner.flush(repeat, extra(), sources, r.start);
      else planner.discard();
      ownCode = false;
    };
    begin();
    for (const p of pieces) {
      if (p.end <= r.start || p.start >= r.end) continue;
      if (p.kind === 'text') {
        const c = clip(p, r.start, r.end);
        if (/[^\s;]/.test(src.masked.slice(c.start, c.end))) {
          ownCode = true;
          anyCode = true;
        }
        planner.addSegment(src, c.start, c.end);
      } else if (p.kind === 'directive') planner.directive(src, p.start, p.end);
      else {
        finish(p.repeat ?? 1);
        configLive = false;
        withConfig = false;
      }
    }
    finish(1);
    if (!anyCode) emptyContainer(planner, src, r.tag);
  }
}

function emptyContainer(planner: Planner, src: SourceFile, tag: Tag): void {
  planner.warnings.push({ file: src.file, line: tag.line, column: 1, severity: 'info', source: 'split', message: `container ${tag.name} holds no SQL: nothing to run for it` });
}

/** Where a server-reported position lands in the original file(s). */
export interface MappedPosition {
  file: string;
  line: number;
  column: number;
}

/** Map a 1-based line within a batch's text to the file line (column: the line's first code character). */
export function mapBatchLine(batch: PlannedBatch, batchLine: number): MappedPosition {
  const segs = batch.segments;
  let seg = segs[0]!;
  for (const s of segs) {
    if (s.batchLine <= batchLine) seg = s;
    else break;
  }
  // Glue text has no file position: step back to the previous real segment.
  if (seg.fileOffset < 0) {
    const real = segs.filter((s) => s.fileOffset >= 0 && s.batchLine <= batchLine);
    seg = real[real.length - 1] ?? segs.find((s) => s.fileOffset >= 0) ?? seg;
  }
  const delta = Math.max(0, batchLine - seg.batchLine);
  const line = seg.line + delta;
  // column: first non-blank character of that line in the segment text
  let lineText: string;
  let col0: number;
  if (delta === 0) {
    const nl = seg.text.indexOf('\n');
    lineText = nl < 0 ? seg.text : seg.text.slice(0, nl);
    col0 = seg.column;
  } else {
    let at = 0;
    for (let k = 0; k < delta && at >= 0; k++) {
      at = seg.text.indexOf('\n', at);
      if (at >= 0) at++;
    }
    const nl = at >= 0 ? seg.text.indexOf('\n', at) : -1;
    lineText = at >= 0 ? seg.text.slice(at, nl < 0 ? undefined : nl) : '';
    col0 = 1;
  }
  const lead = lineText.search(/\S/);
  return { file: seg.file, line, column: col0 + (lead < 0 ? 0 : lead) };
}

/** Map a 1-based character position within a batch's text (PostgreSQL errors) to file line and column. */
export function mapBatchPosition(batch: PlannedBatch, position: number): MappedPosition {
  const off = Math.max(0, position - 1);
  let seg = batch.segments[0]!;
  for (const s of batch.segments) {
    if (s.batchOffset <= off) seg = s;
    else break;
  }
  if (seg.fileOffset < 0) {
    const before = batch.segments.filter((s) => s.fileOffset >= 0 && s.batchOffset <= off);
    const s = before[before.length - 1] ?? batch.segments.find((x) => x.fileOffset >= 0) ?? seg;
    return { file: s.file, line: s.line, column: s.column };
  }
  const rel = Math.min(off - seg.batchOffset, seg.text.length);
  const before = seg.text.slice(0, rel);
  const nl = before.lastIndexOf('\n');
  let lines = 0;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) lines++;
  return { file: seg.file, line: seg.line + lines, column: nl < 0 ? seg.column + rel : rel - nl };
}

/** Line index helpers re-exported for callers that map offsets themselves. */
export { lineStarts, positionAt, lexSql };
