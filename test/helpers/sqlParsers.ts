// Real grammars for the SQL the tool sends: the grammars-v4 T-SQL grammar (antlr4ts-sql's
// TSqlParser, on antlr4ts 0.5.0-alpha.4 exactly) and PostgreSQL's own parser (pgsql-parser:
// libpg_query compiled to WebAssembly, no server). Each returns the first syntax error with its
// line and column, or null when the text parses.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

interface AntlrErrorListener {
  syntaxError(recognizer: unknown, offendingSymbol: unknown, line: number, charPositionInLine: number, msg: string): void;
}

interface Antlr4tsSql {
  getTokens(sql: string, listeners?: AntlrErrorListener[]): unknown;
  getParser(tokens: unknown, listeners?: AntlrErrorListener[]): { tsql_file(): unknown; interpreter: { setPredictionMode(mode: number): void } };
}

let tsql: Antlr4tsSql | undefined;
const { PredictionMode } = require('antlr4ts/atn/PredictionMode') as { PredictionMode: { SLL: number; LL: number } };
const SLL = PredictionMode.SLL;
const LL = PredictionMode.LL;

/** Parse T-SQL text (one batch) with the grammars-v4 grammar. */
export function parseTsql(text: string): SyntaxProblem | null {
  if (!tsql) {
    const mod = require('antlr4ts-sql') as { antlr4tsSQL: new (d: unknown) => Antlr4tsSql; SQLDialect: Record<string, unknown> };
    tsql = new mod.antlr4tsSQL(mod.SQLDialect.TSQL);
  }
  const problems: SyntaxProblem[] = [];
  const listener: AntlrErrorListener = {
    syntaxError: (_r, _s, line, col, msg) => {
      problems.push({ line, column: col + 1, message: msg });
    },
  };
  const tokens = tsql.getTokens(text, [listener]);
  const parser = tsql.getParser(tokens, [listener]);
  // SLL prediction: several times faster, and for this grammar it accepts what LL accepts (a text
  // SLL rejects is parsed again with full LL before it counts as an error).
  parser.interpreter.setPredictionMode(SLL);
  parser.tsql_file();
  if (problems.length) {
    problems.length = 0;
    const again = tsql.getParser(tsql.getTokens(text, [listener]), [listener]);
    again.interpreter.setPredictionMode(LL);
    again.tsql_file();
  }
  return problems[0] ?? null;
}

let pg: { parse(sql: string): Promise<unknown> } | undefined;

/** Parse PostgreSQL text with PostgreSQL's own parser. */
export async function parsePostgres(text: string): Promise<SyntaxProblem | null> {
  pg ??= (await import('pgsql-parser')) as unknown as { parse(sql: string): Promise<unknown> };
  try {
    await pg.parse(text);
    return null;
  } catch (e) {
    const d = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const pos = d?.cursorPosition ?? 0;
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    return { line, column: pos - before.lastIndexOf('\n'), message: e instanceof Error ? e.message : String(e) };
  }
}

interface Antlr4tsPlsql {
  getTokens(sql: string, listeners?: AntlrErrorListener[]): unknown;
  getParser(tokens: unknown, listeners?: AntlrErrorListener[]): { sql_script(): unknown; interpreter: { setPredictionMode(mode: number): void } };
}
let plsql: Antlr4tsPlsql | undefined;

/** Parse Oracle text (one statement or PL/SQL block, as the Oracle driver sends it) with the grammars-v4 PL/SQL grammar. */
export function parseOracle(text: string): SyntaxProblem | null {
  if (!plsql) {
    const mod = require('antlr4ts-sql') as { antlr4tsSQL: new (d: unknown) => Antlr4tsPlsql; SQLDialect: Record<string, unknown> };
    plsql = new mod.antlr4tsSQL(mod.SQLDialect.PLSQL);
  }
  const problems: SyntaxProblem[] = [];
  const listener: AntlrErrorListener = {
    syntaxError: (_r, _s, line, col, msg) => {
      problems.push({ line, column: col + 1, message: msg });
    },
  };
  // The grammar's sql_script wants statements ended by ; or / : a SQL statement as sent has none.
  const script = /;\s*$/.test(text) ? `${text}\n/\n` : `${text};\n`;
  const parser = plsql.getParser(plsql.getTokens(script, [listener]), [listener]);
  parser.interpreter.setPredictionMode(LL);
  parser.sql_script();
  const p = problems[0];
  return p ? { ...p, message: p.message.slice(0, 200) } : null;
}
