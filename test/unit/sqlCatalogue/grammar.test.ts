// Every statement the tool can send, parsed by a real grammar: T-SQL with the grammars-v4 T-SQL
// grammar (antlr4ts-sql's TSqlParser), PostgreSQL with PostgreSQL's own parser (pgsql-parser,
// libpg_query as WebAssembly). The statements come from the SQL catalogue (src/sqlCatalogue/),
// which drives each command's real code against a database that records and never runs, with
// real identifiers and the statement text exactly as the driver sends it (SQL Server: $n → @pn).
// A syntax error fails with the scenario, the statement and the position.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQL_COMMANDS, SQL_SCENARIOS, captureAll, distinct, type CataloguedStatement } from '../../../src/sqlCatalogue/index';
import { rewritePlaceholders } from '../../../src/db/mssqlParams';
import type { Dialect } from '../../../src/db/types';
import { parseOracle, parsePostgres, parseTsql, type SyntaxProblem } from '../../helpers/sqlParsers';

/**
 * Statements a grammar rejects although the server accepts them: what to match, and why. Every
 * entry must still match a statement that still fails to parse (a stale entry fails the test).
 */
const KNOWN_GAPS: ReadonlyArray<{ dialect: Dialect; match: RegExp; reason: string }> = [
  // None today. Example of the form:
  // { dialect: 'mssql', match: /CREATE OR ALTER VIEW/, reason: 'the grammars-v4 T-SQL grammar in antlr4ts-sql 1.1.0 predates CREATE OR ALTER' },
];

const gapOf = (s: CataloguedStatement) => KNOWN_GAPS.find((g) => g.dialect === s.dialect && g.match.test(s.sent));

/** A line of a SQL file as a pattern: {{placeholders}} (identifiers, placeholder lists) match anything. */
function patternOf(line: string): string {
  return line
    .split(/\{\{\w+\}\}/)
    .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}

function describeFailure(s: CataloguedStatement, p: SyntaxProblem): string {
  const lines = s.sent.split('\n');
  const at = lines[p.line - 1] ?? '';
  const context = lines.slice(Math.max(0, p.line - 3), p.line).join('\n');
  return (
    `${s.dialect} ${s.scenario} statement ${s.seq} (${s.kind}), line ${p.line} column ${p.column}: ${p.message.slice(0, 160)}\n` +
    `${context}\n${' '.repeat(Math.max(0, p.column - 1))}^ here${at.length > 200 ? ' (line cut)' : ''}\n--- whole statement (first 1500 characters) ---\n${s.sent.slice(0, 1500)}`
  );
}

async function parse(s: CataloguedStatement): Promise<SyntaxProblem | null> {
  return s.dialect === 'mssql' ? parseTsql(s.sent) : s.dialect === 'oracle' ? parseOracle(s.sent) : parsePostgres(s.sent);
}

describe('SQL catalogue: every statement the tool sends parses with a real grammar', function () {
  // The T-SQL grammar is large: loading it and parsing a few hundred statements takes seconds.
  this.timeout(300_000);
  let all: CataloguedStatement[] = [];
  let unique: CataloguedStatement[] = [];

  before(async () => {
    all = await captureAll(SQL_SCENARIOS);
    unique = distinct(all);
  });

  it('the catalogue covers every command in both dialects (Mosaic: SQL Server only)', () => {
    for (const command of SQL_COMMANDS) {
      for (const d of ['mssql', 'postgres'] as const) {
        if (command === 'mosaic' && d === 'postgres') continue;
        assert.ok(
          all.some((s) => s.command === command && s.dialect === d),
          `no ${d} statement captured for ${command}`,
        );
      }
    }
    // Paths a scenario must reach: inserts, both updates, marks, the gone rows, send marks, DDL of every table.
    const has = (d: Dialect, re: RegExp) => all.some((s) => s.dialect === d && re.test(s.sql));
    for (const d of ['mssql', 'postgres'] as const) {
      for (const re of [
        /^-- New staging rows/m,
        /^-- Rows whose payload changes/m,
        /^-- Rows whose payload stays/m,
        /run_marks/,
        /not in this run's cohort/,
        /CREATE TABLE .*ssd_person/,
        /CREATE TABLE .*ssd_sdq_scores/,
        /CREATE TABLE .*ssd_api_data_staging\b/,
      ]) {
        assert.ok(has(d, re), `${d}: no captured statement matches ${re}`);
      }
    }
    // PostgreSQL servers: bulkCopy's and the scramble scan's COPY (the pg driver streams it).
    assert.ok(
      all.some((s) => s.dialect === 'postgres' && s.kind === 'copy' && /^COPY "[^"]+"\."ssd_person" \(.+\) FROM STDIN$/.test(s.sent)),
      'no bulkCopy COPY captured',
    );
    assert.ok(
      all.some((s) => s.dialect === 'postgres' && s.kind === 'copy' && /^COPY ssd_scramble_scan_\w+ \(h\) FROM STDIN$/.test(s.sent)),
      'no scan-store COPY captured',
    );
  });

  it('every SQL file in sql/ is sent by some scenario', () => {
    const root = join(process.cwd(), 'sql');
    for (const dir of ['mssql', 'postgres', 'oracle', 'common']) {
      for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith('.sql'))) {
        const text = readFileSync(join(root, dir, f), 'utf8');
        // A file of '-- branch x' sections is spliced into another statement: each section must be in one.
        const branches = [...text.matchAll(/^-- branch (\S+)\n((?:.|\n)*?)(?=^-- branch |(?![\s\S]))/gm)];
        if (branches.length) {
          for (const d of dir === 'common' ? (['mssql', 'postgres'] as const) : [dir as Dialect]) {
            for (const b of branches) {
              const line = b[2]!
                .split('\n')
                .map((l) => l.trim())
                .find((l) => l && !l.startsWith('--'))!;
              const re = new RegExp(patternOf(line));
              assert.ok(
                all.some((s) => s.dialect === d && re.test(s.sql)),
                `sql/${dir}/${f} (${d}): branch ${b[1]} is in no captured statement`,
              );
            }
          }
          continue;
        }
        const first = text.split('\n')[0]!.trim();
        // {{placeholders}} are filled with identifiers or placeholder lists.
        const pattern = new RegExp(`^${patternOf(first)}$`);
        const dialects: Dialect[] = dir === 'common' ? ['mssql', 'postgres'] : [dir as Dialect];
        for (const d of dialects) {
          assert.ok(
            all.some((s) => s.dialect === d && pattern.test(s.sql.split('\n')[0]!.trim())),
            `sql/${dir}/${f} (${d}) is not reached by any scenario of src/sqlCatalogue`,
          );
        }
      }
    }
  });

  for (const dialect of ['mssql', 'postgres'] as const) {
    it(`${dialect}: every statement parses (${dialect === 'mssql' ? 'grammars-v4 T-SQL' : 'libpg_query'})`, async () => {
      const failures: string[] = [];
      const gapsSeen = new Set<number>();
      let parsed = 0;
      for (const s of unique.filter((x) => x.dialect === dialect)) {
        const p = await parse(s);
        parsed++;
        const gap = gapOf(s);
        if (gap) {
          if (p) gapsSeen.add(KNOWN_GAPS.indexOf(gap));
          continue;
        }
        if (p) failures.push(describeFailure(s, p));
      }
      assert.ok(parsed > 50, `only ${parsed} statements parsed`);
      assert.deepEqual(failures, [], `${failures.length} statement(s) do not parse:\n\n${failures.join('\n\n')}`);
      KNOWN_GAPS.forEach((g, i) => {
        if (g.dialect === dialect) assert.ok(gapsSeen.has(i), `known gap ${g.match} (${g.reason}) no longer fails or matches nothing: remove it`);
      });
    });
  }

  it('SQL Server: placeholders are all rewritten, bound, and under the 2,100-parameter limit', () => {
    for (const s of all.filter((x) => x.dialect === 'mssql')) {
      const left = rewritePlaceholders(s.sent);
      assert.equal(left.maxIndex, 0, `${s.scenario} ${s.seq}: $${left.maxIndex} left in the text sent`);
      const used = rewritePlaceholders(s.sql).maxIndex;
      assert.ok(used <= s.params.length, `${s.scenario} ${s.seq}: uses $${used} with ${s.params.length} parameters`);
      assert.ok(s.params.length <= 2100, `${s.scenario} ${s.seq}: ${s.params.length} parameters`);
    }
  });

  it('the parsers do reject what the other dialect writes (the check can fail)', async () => {
    assert.ok(parseTsql('SELECT a FROM t ORDER BY a LIMIT 5'), 'T-SQL grammar accepted LIMIT');
    assert.ok(parseTsql('SELECT a, FROM t'), 'T-SQL grammar accepted a dangling comma');
    assert.ok(await parsePostgres('SELECT a FROM t WITH (UPDLOCK, ROWLOCK)'), 'PostgreSQL accepted a table hint');
    assert.ok(await parsePostgres('SELECT [a] FROM t'), 'PostgreSQL accepted a bracketed name');
    assert.equal(parseTsql('SELECT TOP (5) [a] FROM [s].[t] WITH (UPDLOCK) WHERE [a] = @p1 ORDER BY [a]'), null);
  });
});
