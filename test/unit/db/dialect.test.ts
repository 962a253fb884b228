import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSchemaSql, limitClause, qualify, quoteIdent, validateIdentifier } from '../../../src/db/dialect';

describe('dialect: identifiers', () => {
  it('accepts ordinary SSD names and quotes them per dialect', () => {
    for (const n of ['ssd_person', 'SSD_Development', '_x', 'a1', 'col$1', 'tmp#x', 'x'.repeat(128)]) assert.equal(validateIdentifier(n), n);
    assert.equal(quoteIdent('mssql', 'ssd_person'), '[ssd_person]');
    assert.equal(quoteIdent('postgres', 'ssd_person'), '"ssd_person"');
    assert.equal(qualify('mssql', 'ssd_development', 'ssd_person'), '[ssd_development].[ssd_person]');
    assert.equal(qualify('postgres', 'public', 'ssd_person'), '"public"."ssd_person"');
  });

  it('rejects injection attempts and unusual names with a message naming what was wrong', () => {
    const bad = [
      '',
      ' ',
      'a b',
      '1abc',
      'a;DROP TABLE x',
      "x'--",
      'x]; DROP TABLE y; --',
      'x"; DROP TABLE y; --',
      'a.b',
      'a-b',
      '[x]',
      '"x"',
      'x/*',
      'x\n',
      'zoë',
      'x'.repeat(129),
      '$1',
      '#temp',
      '@v',
    ];
    for (const n of bad) {
      assert.throws(() => validateIdentifier(n, 'schema'), /invalid schema/, JSON.stringify(n));
      assert.throws(() => quoteIdent('mssql', n), /invalid identifier/, JSON.stringify(n));
      assert.throws(() => quoteIdent('postgres', n), /invalid identifier/, JSON.stringify(n));
    }
    assert.throws(() => qualify('mssql', 'dbo', 'x]--'), /invalid/);
    assert.throws(() => qualify('postgres', 'a"b', 'x'), /invalid/);
    assert.throws(() => validateIdentifier(undefined as unknown as string), /invalid/);
  });

  it('property: a quoted identifier never contains a quote character other than its own delimiters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        let ok = true;
        try {
          validateIdentifier(s);
        } catch {
          ok = false;
        }
        if (!ok) return;
        assert.ok(!/[\]["'`;\s]/.test(s), s);
        assert.equal(quoteIdent('mssql', s).slice(1, -1), s);
        assert.equal(quoteIdent('postgres', s).slice(1, -1), s);
      }),
    );
  });

  it('builds CREATE SCHEMA statements only for valid names', () => {
    assert.equal(createSchemaSql('postgres', 'ssd_development'), 'CREATE SCHEMA IF NOT EXISTS "ssd_development"');
    assert.equal(createSchemaSql('mssql', 'ssd_development'), "IF SCHEMA_ID(N'ssd_development') IS NULL EXEC(N'CREATE SCHEMA [ssd_development]')");
    assert.throws(() => createSchemaSql('mssql', "x') DROP TABLE y --"), /invalid schema/);
  });

  it('limitClause accepts only non-negative integers', () => {
    assert.deepEqual(limitClause('mssql', 10), { top: 'TOP (10) ', limit: '' });
    assert.deepEqual(limitClause('postgres', 10), { top: '', limit: ' LIMIT 10' });
    for (const n of [-1, 1.5, NaN, Infinity]) assert.throws(() => limitClause('postgres', n), /invalid row limit/);
  });
});
