// The ssd run / preflight / drift / mosaic commands end to end on an embedded database directory:
// output, JSON and exit codes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/runCli';

const fixtureDir = join(process.cwd(), 'test/fixtures/scripts');

const ssd = runCli;

describe('ssd run / preflight / drift / mosaic (CLI, embedded database)', function () {
  this.timeout(120000);
  let dir: string;
  let db: string;
  let good: string;
  let bad: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssd-script-cli-'));
    db = `pglite:${join(dir, 'db')}`;
    const text = readFileSync(join(fixtureDir, 'ssd_postgres_tagged.sql'), 'utf8').replaceAll('ssd_development', 'ssd_cli');
    good = join(dir, 'good.sql');
    bad = join(dir, 'bad.sql');
    writeFileSync(good, text);
    writeFileSync(bad, text.replace('/* FIXTURE-ERROR-POINT */', 'no_such_col ||'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a good script: exit 0, progress and a per-table summary', async () => {
    const r = await ssd(['run', good, '--db', db]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /pre-flight: ok/);
    assert.match(r.stdout, /\| Table created: ssd_person/);
    assert.match(r.stdout, /ssd_cli\.ssd_person\s+built\s+yes\s+40/);
  });

  it('--per-table --json on a failing script: exit 1, the error at its line, the other tables built', async () => {
    const r = await ssd(['run', bad, '--db', db, '--per-table', '--json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    const text = readFileSync(bad, 'utf8');
    const line = text.slice(0, text.indexOf('no_such_col ||')).split('\n').length;
    assert.equal(j.diagnostics.filter((d: { severity: string }) => d.severity === 'error')[0].line, line);
    assert.deepEqual(
      j.tables.map((t: { name: string; status: string }) => [t.name, t.status]),
      [
        ['ssd_person', 'built'],
        ['ssd_disability', 'failed'],
        ['ssd_immigration_status', 'built'],
        ['ssd_cin_episodes', 'built'],
      ],
    );
    assert.equal(j.preflight.ok, true);
  });

  it('prints file:line:col for an undefined sqlcmd variable and exits 2 without running', async () => {
    const f = join(dir, 'vars.sql');
    writeFileSync(f, 'SELECT 1;\nSELECT $(missing);\n');
    const r = await ssd(['run', f, '--db', db, '--dialect', 'tsql', '--no-preflight']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:8: error: scripting variable "missing" is not defined`));
  });

  describe('scripts that cannot run as they are: exit 2 at file:line, nothing run, no database made', () => {
    // A fresh address each time: it must still not exist afterwards (the script is refused before
    // the database is opened).
    const refused = async (name: string, content: string | Buffer, extra: string[], at: RegExp) => {
      const f = join(dir, name);
      writeFileSync(f, content);
      const nodb = join(dir, `never-${name}`);
      const r = await ssd(['run', f, '--db', `pglite:${nodb}`, ...extra]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, at);
      assert.equal(r.stdout, '', 'nothing ran');
      assert.equal(existsSync(nodb), false, 'no database was made');
      return r;
    };
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

    it('an unterminated /* comment at the end (T-SQL and PostgreSQL)', async () => {
      await refused(
        'open-comment.sql',
        'SELECT 1\nGO\n/* forgot to close\nSELECT 2\nGO\n',
        ['--dialect', 'tsql'],
        new RegExp(`${esc(join(dir, 'open-comment.sql'))}:3:1: error: /\\* comment opened here is never closed`),
      );
      await refused('open-comment-pg.sql', 'SELECT 1;\n/* forgot to close\nSELECT 2;\n', [], /open-comment-pg\.sql:2:1: error: \/\* comment opened here is never closed/);
    });

    it('an unterminated string or quoted name', async () => {
      await refused('open-string.sql', "SELECT 1;\nSELECT 'abc;\nSELECT 3;\n", [], /open-string\.sql:2:8: error: string literal opened here is never closed/);
      await refused('open-ident.sql', 'SELECT 1\nGO\nSELECT [abc\nGO\n', ['--dialect', 'tsql'], /open-ident\.sql:3:8: error: quoted identifier opened here is never closed/);
    });

    it('a file that is not text: binary junk, NUL bytes, UTF-16 without a byte-order mark', async () => {
      const junk = Buffer.from([0x53, 0x45, 0x4c, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0x01]);
      await refused('junk.sql', junk, [], /junk\.sql:2:\d+: error: this file is not a text script/);
      await refused('nul.sql', Buffer.from('SELECT 1;\nSELECT\u0000 2;\n', 'utf8'), [], /nul\.sql:2:7: error: this file is not a text script \(a NUL byte here\)/);
      await refused('utf16.sql', Buffer.from('SELECT 1;\n', 'utf16le'), [], /utf16\.sql:1:2: error: this file is not a text script/);
    });

    it('an undefined $(name) in code, in a string and in a quoted name, as sqlcmd', async () => {
      await refused('var-string.sql', "SELECT 1\nGO\nSELECT '$(where)'\nGO\n", ['--dialect', 'tsql'], /var-string\.sql:3:9: error: scripting variable "where" is not defined/);
      await refused('var-ident.sql', 'SELECT 1 AS [$(col)]\nGO\n', ['--dialect', 'tsql'], /var-ident\.sql:1:14: error: scripting variable "col" is not defined/);
    });

    it('an empty script, or one holding only comments, says so', async () => {
      await refused('empty.sql', '', [], /empty\.sql holds no SQL to run/);
      await refused('comments.sql', '-- nothing here\n/* nor here */\n\n', ['--dialect', 'tsql'], /comments\.sql holds no SQL to run/);
    });

    it('a defined variable is substituted verbatim (docs/scripts.md): the script still runs', async () => {
      const f = join(dir, 'var-ok.sql');
      writeFileSync(f, "SELECT '$(who)' AS who\nGO\n");
      const r = await ssd(['run', f, '--db', db, '--dialect', 'tsql', '--no-preflight', '--no-drift', '--var', 'who=x']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    });
  });

  it('bad usage exits 2: missing file, malformed --var, unknown dialect', async () => {
    assert.equal((await ssd(['run', join(dir, 'nope.sql'), '--db', db])).code, 2);
    assert.equal((await ssd(['run', good, '--db', db, '--var', 'no-equals'])).code, 2);
    // (oracle became a dialect with issue 16: db2 is the unknown one now)
    assert.equal((await ssd(['run', good, '--db', db, '--dialect', 'db2'])).code, 2);
  });

  it('preflight fails (exit 1) for a script writing to a schema that does not exist, and says what to do', async () => {
    const f = join(dir, 'noschema.sql');
    writeFileSync(f, 'CREATE TABLE ssd_nowhere.t (id int);\n');
    const r = await ssd(['preflight', '--db', db, '--script', f]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL target schema ssd_nowhere/);
    assert.match(r.stdout, /what to do: create it first: CREATE SCHEMA ssd_nowhere;/);
    const run = await ssd(['run', f, '--db', db]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /not running: fix the pre-flight failures/);
  });

  it('drift: exit 1 with ALTER statements once a table is older than the script', async () => {
    const old = join(dir, 'old.sql');
    writeFileSync(old, 'ALTER TABLE ssd_cli.ssd_disability ADD COLUMN disa_old_flag CHAR(1);\n');
    assert.equal((await ssd(['run', old, '--db', db, '--no-preflight'])).code, 0);
    const r = await ssd(['drift', good, '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /- disa_old_flag/);
    assert.match(r.stdout, /ALTER TABLE "ssd_cli"\."ssd_disability" DROP COLUMN "disa_old_flag";/);
    const run = await ssd(['run', good, '--db', db, '--no-preflight']);
    assert.match(run.stdout, /warning: ssd_cli\.ssd_disability differs from the script/);
  });

  it('atomic refresh and the row-count watch: kept previous rows (exit 1); --no-atomic empties the table and the watch says so (exit 1)', async () => {
    const setup = join(dir, 'cms.sql');
    writeFileSync(
      setup,
      "CREATE TABLE personview (personid int PRIMARY KEY, upn varchar(13), forename varchar(100), surname varchar(255), gender varchar(20), dateofbirth date, ethnicity varchar(48), duplicated varchar(20));\nINSERT INTO personview SELECT g, NULL, 'F' || g, 'S' || g, 'M', DATE '2012-01-01' + g, 'WBRI', NULL FROM generate_series(1, 500) AS g;\n",
    );
    assert.equal((await ssd(['run', setup, '--db', db, '--no-preflight', '--no-drift'])).code, 0);
    const eclipse = readFileSync(join(fixtureDir, 'eclipse_like_ssd_person.sql'), 'utf8');
    const edited = join(dir, 'ssd_person_edited.sql');
    const unedited = join(dir, 'ssd_person.sql');
    writeFileSync(edited, eclipse.replace('p.personid IN (eg111111, eg222222)', 'TRUE'));
    writeFileSync(unedited, eclipse);
    const first = await ssd(['run', edited, '--db', db, '--no-drift']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /ssd_person\s+built\s+yes\s+494\s.*refreshed \(0 → 494\)/);
    const line = eclipse.slice(0, eclipse.indexOf('IN (eg111111')).split('\n').length;
    const failed = await ssd(['run', unedited, '--db', db, '--no-drift']);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, new RegExp(`ssd_person\\s+failed\\s+no\\s+494\\s.*kept previous rows \\(494, error at .*ssd_person\\.sql:${line}:\\d+\\)`));
    assert.doesNotMatch(failed.stdout, /WARNING/);
    const off = await ssd(['run', unedited, '--db', db, '--no-drift', '--no-atomic', '--json']);
    assert.equal(off.code, 1);
    const j = JSON.parse(off.stdout);
    assert.equal(j.atomic, false);
    assert.deepEqual(j.shrunk, [{ name: 'ssd_person', schema: 'public', before: 494, after: 0, why: 'became empty' }]);
    // a run that goes through but leaves a table with less than half of its rows: exit 1 under a warning heading
    assert.equal((await ssd(['run', edited, '--db', db, '--no-drift'])).code, 0);
    const shrink = join(dir, 'shrink.sql');
    writeFileSync(shrink, 'DELETE FROM ssd_person WHERE pers_person_id::int > 100;\n');
    const r = await ssd(['run', shrink, '--db', db, '--no-drift']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /WARNING: 1 SSD table\(s\) lost more than half of their rows or became empty \(exit code 1\):\n {2}public\.ssd_person: 494 → 94 rows \(lost more than half of its rows\)/);
  });

  it('mosaic: checks settings against the script and writes the configured script', async () => {
    const settings = join(dir, 'la.ssd-mosaic.json');
    writeFileSync(settings, '{ // comment\n "financialYears": 3, "settings": { "permanence": { "siblings_placed_together_question_user_codes": [{ "question_user_code": "perm.sibs" }] } } }');
    const outFile = join(dir, 'configured.sql');
    const r = await ssd(['mosaic', join(fixtureDir, 'mosaic_like.sql'), '--settings', settings, '--out', outFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /set\s+permanence\.@siblings_placed_together_question_user_codes: 1 value/);
    assert.match(readFileSync(outFile, 'utf8'), /\('perm\.sibs', NULL\);/);
    writeFileSync(settings, '{ "settings": { "permanence": { "no_such": [] } } }');
    const badRun = await ssd(['mosaic', join(fixtureDir, 'mosaic_like.sql'), '--settings', settings]);
    assert.equal(badRun.code, 2);
    assert.match(badRun.stderr, /no_such/);
  });
});
