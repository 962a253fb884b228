import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rewritePlaceholders } from '../../../src/db/mssqlParams';

const rw = (s: string) => rewritePlaceholders(s).text;

describe('mssqlParams: $n → @pn rewriting', () => {
  it('rewrites placeholders in code and reports which were used', () => {
    const r = rewritePlaceholders('SELECT a FROM t WHERE id = $1 AND b IN ($2, $10) OR c = $1');
    assert.equal(r.text, 'SELECT a FROM t WHERE id = @p1 AND b IN (@p2, @p10) OR c = @p1');
    assert.equal(r.maxIndex, 10);
    assert.deepEqual(r.indexes, [1, 2, 10]);
  });

  it('rewrites at the very start and end and next to operators', () => {
    assert.equal(rw('$1+$2'), '@p1+@p2');
    assert.equal(rw('x=$3'), 'x=@p3');
    assert.equal(rw('($1)'), '(@p1)');
    assert.equal(rw('a=$1;b=$2\n'), 'a=@p1;b=@p2\n');
  });

  it('leaves text without placeholders unchanged', () => {
    const r = rewritePlaceholders('SELECT 1');
    assert.equal(r.text, 'SELECT 1');
    assert.equal(r.maxIndex, 0);
    assert.deepEqual(r.indexes, []);
  });

  it('does not touch $n inside string literals, with doubled quotes and N prefix', () => {
    assert.equal(rw("SELECT '$1', N'$2', $3"), "SELECT '$1', N'$2', @p3");
    assert.equal(rw("SELECT 'O''Brien $1 '' $2', $1"), "SELECT 'O''Brien $1 '' $2', @p1");
    assert.equal(rw("SELECT N'Zoë costs $1', $2"), "SELECT N'Zoë costs $1', @p2");
    assert.equal(rw("SELECT '', $1"), "SELECT '', @p1");
  });

  it('does not touch $n inside [bracketed] or "quoted" identifiers', () => {
    assert.equal(rw('SELECT [col $1], [a]]$2], $3 FROM t'), 'SELECT [col $1], [a]]$2], @p3 FROM t');
    assert.equal(rw('SELECT "col $1", "a""$2", $3'), 'SELECT "col $1", "a""$2", @p3');
  });

  it('does not touch $n in -- line comments', () => {
    assert.equal(rw('SELECT $1 -- compare with $2\n, $3'), 'SELECT @p1 -- compare with $2\n, @p3');
    assert.equal(rw('SELECT 1 -- $1'), 'SELECT 1 -- $1');
    assert.equal(rw('SELECT 1 -- x\r\n$1'), 'SELECT 1 -- x\r\n@p1');
  });

  it('does not touch $n in nested /* */ comments', () => {
    assert.equal(rw('SELECT /* a /* b $1 */ still comment $2 */ $3'), 'SELECT /* a /* b $1 */ still comment $2 */ @p3');
    assert.equal(rw('/* $1 */$2/* $3 */'), '/* $1 */@p2/* $3 */');
  });

  it('treats a quote inside a comment, or a comment marker inside a string, as plain text', () => {
    assert.equal(rw("SELECT '--', $1"), "SELECT '--', @p1");
    assert.equal(rw("SELECT '/*', $1, '*/'"), "SELECT '/*', @p1, '*/'");
    assert.equal(rw("-- it's\nSELECT $1"), "-- it's\nSELECT @p1");
    assert.equal(rw('/* [ " \' */ SELECT $1'), '/* [ " \' */ SELECT @p1');
  });

  it('leaves $ that belongs to a name alone', () => {
    assert.equal(rw('SELECT col$1, @v$2, #t$3 FROM x$4'), 'SELECT col$1, @v$2, #t$3 FROM x$4');
    assert.equal(rw('SELECT $1abc'), 'SELECT $1abc');
    assert.equal(rw('SELECT $, $x, $1'), 'SELECT $, $x, @p1');
  });

  it('extends unterminated strings, identifiers and comments to the end (the server reports them)', () => {
    assert.equal(rw("SELECT $1, 'abc $2"), "SELECT @p1, 'abc $2");
    assert.equal(rw('SELECT $1, [abc $2'), 'SELECT @p1, [abc $2');
    assert.equal(rw('SELECT $1 /* /* */ $2'), 'SELECT @p1 /* /* */ $2');
  });

  it('rejects $0', () => {
    assert.throws(() => rewritePlaceholders('SELECT $0'), /\$0/);
  });

  it('keeps line breaks, so server line numbers still match', () => {
    const sql = "SELECT $1\n/* $2\n */\n'x\n$3'\n-- $4\nSELECT $5";
    const out = rw(sql);
    assert.equal(out.split('\n').length, sql.split('\n').length);
    assert.equal(out, "SELECT @p1\n/* $2\n */\n'x\n$3'\n-- $4\nSELECT @p5");
  });

  it('property: text without $ is returned unchanged; rewriting only ever replaces $n', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }).filter((s) => !s.includes('$')),
        (s) => {
          assert.equal(rw(s), s);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(' ', ',', '(', ')', '=', '\n', 'x', "'a'", '[b]', '-- c\n', '/* d */'),
            fc.integer({ min: 1, max: 30 }).map((k) => `$${k}`),
          ),
          { maxLength: 30 },
        ),
        (parts) => {
          const sql = parts.join(' ');
          const out = rewritePlaceholders(sql);
          // Every $k in the input (all in code here) becomes @pk, and nothing else changes.
          assert.equal(out.text, sql.replace(/\$(\d+)/g, '@p$1'));
          const expected = [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
          assert.deepEqual(out.indexes, expected);
        },
      ),
    );
  });
});
