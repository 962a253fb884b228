import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitScript, rawBatchText } from '../../../src/script/splitter';
import { lexSql, maskNonCode } from '../../../src/script/lexer';
import type { ScriptDialect } from '../../../src/script/lexer';

const batches = (text: string, dialect: ScriptDialect) =>
  splitScript(text, dialect)
    .batches.filter((b) => !b.blank)
    .map((b) => rawBatchText(text, b));

function rejoin(text: string, dialect: ScriptDialect): string {
  return splitScript(text, dialect)
    .pieces.map((p) => text.slice(p.start, p.end))
    .join('');
}

describe('script splitter: T-SQL GO', () => {
  it('splits on GO alone on its line, any case, with blanks and a trailing comment', () => {
    const t = 'SELECT 1\nGO\nselect 2\n  go  \nSELECT 3\nGo -- done\nSELECT 4';
    assert.deepEqual(batches(t, 'tsql'), ['SELECT 1\n', 'select 2\n', 'SELECT 3\n', 'SELECT 4']);
  });

  it('keeps the repeat count of GO n', () => {
    const r = splitScript('INSERT t VALUES (1)\nGO 5\nSELECT 1\n', 'tsql');
    assert.equal(r.batches[0]!.repeat, 5);
    assert.equal(r.batches[1]!.repeat, 1);
  });

  it('does not split on GO inside a line comment, nested block comments, strings or [identifiers]', () => {
    const t = [
      'SELECT 1 -- \nGO', // GO on its own line after a comment line: a separator
      "SELECT 'a",
      'GO',
      "b' AS x", // GO inside a multi-line string
      '/* outer /* inner',
      'GO',
      '*/ still comment',
      'GO',
      '*/ SELECT [weird',
      'GO',
      'name] FROM t',
      'GO',
      'SELECT "quoted',
      'GO',
      'ident"',
    ].join('\n');
    const b = batches(t, 'tsql');
    assert.equal(b.length, 3);
    assert.equal(b[0], 'SELECT 1 -- \n');
    assert.ok(b[1]!.includes("'a\nGO\nb'"));
    assert.ok(b[1]!.includes('[weird\nGO\nname]'));
    assert.ok(b[2]!.includes('"quoted\nGO\nident"'));
  });

  it('does not take GO as part of a longer word or with other text on the line', () => {
    const t = 'SELECT 1\nGOTO label\nGO;\nGO x\nGOOD\nSELECT 2';
    assert.equal(batches(t, 'tsql').length, 1);
  });

  it('handles CRLF line endings and GO on the last line without a newline', () => {
    const t = 'SELECT 1\r\nGO\r\nSELECT 2\r\nGO';
    assert.deepEqual(batches(t, 'tsql'), ['SELECT 1\r\n', 'SELECT 2\r\n']);
    assert.equal(rejoin(t, 'tsql'), t);
  });

  it('reports sqlcmd directive lines as directives, not text', () => {
    const t = ':setvar db HDM\nSELECT 1\n:r other.sql\nGO\n';
    const r = splitScript(t, 'tsql');
    assert.deepEqual(
      r.pieces.filter((p) => p.kind === 'directive').map((p) => t.slice(p.start, p.end)),
      [':setvar db HDM\n', ':r other.sql\n'],
    );
  });

  it('warns about an unclosed block comment and says where it opened', () => {
    const r = splitScript('SELECT 1\n/* never closed\nGO\nSELECT 2', 'tsql');
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]!.line, 2);
    assert.equal(r.batches.length, 1);
  });

  it('marks comment-only batches blank', () => {
    const r = splitScript('-- header\n/* more */\nGO\nSELECT 1\nGO\n\n', 'tsql');
    assert.deepEqual(
      r.batches.map((b) => b.blank),
      [true, false, true],
    );
  });
});

describe('script splitter: PostgreSQL ;', () => {
  it('splits on ; outside strings, identifiers, comments and parentheses', () => {
    const t = `SELECT 'a;b'; SELECT "x;y" FROM t; -- c;d\nSELECT /* e; /* nested; */ f; */ 1; SELECT (1;2)`;
    assert.deepEqual(batches(t, 'postgres'), [`SELECT 'a;b'`, ` SELECT "x;y" FROM t`, ` -- c;d\nSELECT /* e; /* nested; */ f; */ 1`, ' SELECT (1;2)']);
  });

  it("understands E'' strings with backslash escapes", () => {
    const t = "SELECT E'it\\'s; fine'; SELECT 'plain\\'; SELECT 2";
    // in a plain string the backslash is literal, so the string ends at the quote after it
    assert.deepEqual(batches(t, 'postgres'), ["SELECT E'it\\'s; fine'", " SELECT 'plain\\'", ' SELECT 2']);
  });

  it('keeps dollar-quoted bodies ($$ and $tag$) whole', () => {
    const body = `CREATE FUNCTION f() RETURNS int AS $fn$ BEGIN RAISE NOTICE 'x;'; RETURN $$;$$::int; END $fn$ LANGUAGE plpgsql`;
    const t = `${body};\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT $1, a$b$c FROM t`;
    const b = batches(t, 'postgres');
    assert.equal(b.length, 3);
    assert.equal(b[0], body);
    assert.equal(b[1], '\nDO $$ BEGIN PERFORM 1; END $$');
  });

  it('a psql meta-command line swallows everything on its line, strings and ; included (found by the property test)', () => {
    const t = "\\A'';\nSELECT 1;";
    const r = splitScript(t, 'postgres');
    assert.deepEqual(
      r.pieces.map((p) => [p.kind, t.slice(p.start, p.end)]),
      [
        ['directive', "\\A'';\n"],
        ['text', 'SELECT 1'],
        ['separator', ';'],
      ],
    );
  });

  it('reports psql meta-commands as directives', () => {
    const t = 'SELECT 1;\n\\i other.sql\nSELECT 2;';
    const r = splitScript(t, 'postgres');
    assert.equal(r.pieces.filter((p) => p.kind === 'directive').length, 1);
  });
});

describe('lexer masks', () => {
  it('blanks comments and strings but keeps offsets and newlines', () => {
    const t = "SELECT 'x' -- c\n/* d\n*/ FROM [t]";
    const m = maskNonCode(t, 'tsql');
    assert.equal(m.length, t.length);
    assert.equal(m.split('\n').length, t.split('\n').length);
    assert.ok(!m.includes('x') && !m.includes('c') && m.includes('[t]'));
  });
});

// ---- property tests: splitting never loses, duplicates or reorders text ----
const fragments = (dialect: ScriptDialect) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'SELECT 1',
          '\n',
          '\r\n',
          ' ',
          ';',
          'GO',
          '\nGO\n',
          '\ngo 3\n',
          'GO -- x\n',
          "'",
          "''",
          '"',
          '[',
          ']',
          ']]',
          '--',
          '/*',
          '*/',
          '$$',
          '$t$',
          "E'",
          '\\',
          '(',
          ')',
          ':setvar a 1\n',
          ':r x.sql\n',
          "N'",
          '$(a)',
          'META-CONTAINER',
          'é',
          '😀',
        ),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 60 },
    )
    .map((a) => a.join(''));

for (const dialect of ['tsql', 'postgres'] as const) {
  describe(`splitter properties [${dialect}]`, () => {
    it('pieces cover the input exactly, in order (joining them gives the input back)', () => {
      fc.assert(
        fc.property(fragments(dialect), (text) => {
          const r = splitScript(text, dialect);
          let at = 0;
          for (const p of r.pieces) {
            assert.equal(p.start, at, 'pieces are contiguous');
            assert.ok(p.end > p.start, 'no empty pieces');
            at = p.end;
          }
          assert.equal(at, text.length);
          assert.equal(r.pieces.map((p) => text.slice(p.start, p.end)).join(''), text);
        }),
        { numRuns: 3000 },
      );
    });

    it('batches plus separators and directives reproduce the input', () => {
      fc.assert(
        fc.property(fragments(dialect), (text) => {
          const r = splitScript(text, dialect);
          // rebuild from batches: each batch's ranges and directives in order, then its separator
          const seps = r.pieces.filter((p) => p.kind === 'separator');
          let out = '';
          r.batches.forEach((b, i) => {
            const parts = [...b.ranges, ...b.directives].sort((x, y) => x.start - y.start);
            for (const p of parts) out += text.slice(p.start, p.end);
            const s = seps[i];
            if (s) out += text.slice(s.start, s.end);
          });
          assert.equal(out, text);
        }),
        { numRuns: 3000 },
      );
    });

    it('spans cover the input exactly', () => {
      fc.assert(
        fc.property(fragments(dialect), (text) => {
          const spans = lexSql(text, dialect);
          let at = 0;
          for (const s of spans) {
            assert.equal(s.start, at);
            at = s.end;
          }
          assert.equal(at, text.length);
        }),
        { numRuns: 2000 },
      );
    });
  });
}

// ---- property: planned batches map every character back to where it came from ----
import { planScript, mapBatchPosition } from '../../../src/script/plan';
import { lineStarts, positionAt } from '../../../src/script/lexer';
import { ScriptPlanError } from '../../../src/script/types';

for (const dialect of ['tsql', 'postgres'] as const) {
  describe(`planner source map property [${dialect}]`, () => {
    it('every character of every batch maps to the same line and column in the file', () => {
      fc.assert(
        fc.property(fragments(dialect), fc.nat(), (text, pick) => {
          let plan;
          try {
            plan = planScript(text, { dialect, file: 'f.sql' });
          } catch (e) {
            if (e instanceof ScriptPlanError) return;
            throw e;
          }
          const starts = lineStarts(text);
          for (const b of plan.batches) {
            for (const s of b.segments) if (s.verbatim) assert.equal(s.text, text.slice(s.fileOffset, s.fileOffset + s.text.length));
            const verb = b.segments.filter((s) => s.verbatim && s.text.length);
            if (!verb.length) continue;
            const seg = verb[pick % verb.length]!;
            const k = pick % seg.text.length;
            const mapped = mapBatchPosition(b, seg.batchOffset + k + 1);
            assert.deepEqual(mapped, { file: 'f.sql', ...positionAt(starts, seg.fileOffset + k) });
          }
        }),
        { numRuns: 2000 },
      );
    });
  });
}
