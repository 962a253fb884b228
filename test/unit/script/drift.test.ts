import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCreateTables, canonicalScriptType } from '../../../src/script/drift';

const tsql = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_systemc_like.sql'), 'utf8');

describe('drift: reading CREATE TABLE from a script', () => {
  it('reads the SystemC-like tables with schema, columns, types and lines (trailing comma tolerated)', () => {
    const defs = parseCreateTables(tsql, 'tsql', 'x.sql');
    assert.deepEqual(
      defs.map((d) => `${d.schema}.${d.name}`),
      ['ssd_development.ssd_person', 'ssd_development.ssd_address', 'ssd_development.ssd_assessment_factors'],
    );
    const addr = defs[1]!;
    assert.equal(addr.columns.length, 7);
    assert.deepEqual(addr.columns[6], {
      name: 'addr_address_json',
      type: 'NVARCHAR(1000)',
      nullable: null,
      line: tsql.slice(0, tsql.indexOf('addr_address_json       NVARCHAR(1000)')).split('\n').length,
      column: 9,
    });
    const person = defs[0]!;
    assert.deepEqual(
      person.columns.find((c) => c.name === 'pers_person_id'),
      { ...person.columns.find((c) => c.name === 'pers_person_id')!, type: 'NVARCHAR(48)', nullable: false },
    );
  });

  it('skips constraints, temp tables, commented definitions; reads NOT NULL, DEFAULT and multi-word types', () => {
    const sql = `/* CREATE TABLE old.t (x int) */
CREATE TABLE #tmp (a int);
CREATE TABLE IF NOT EXISTS s.t (
  "id" integer NOT NULL,
  amount numeric(10, 2) DEFAULT 0,
  at timestamp with time zone NULL,
  note character varying(20) COLLATE "C",
  CONSTRAINT pk_t PRIMARY KEY (id),
  UNIQUE (note)
);`;
    const [d, ...rest] = parseCreateTables(sql, 'postgres');
    assert.equal(rest.length, 0);
    assert.deepEqual(
      d!.columns.map((c) => [c.name, c.type, c.nullable]),
      [
        ['id', 'INTEGER', false],
        ['amount', 'NUMERIC(10,2)', null],
        ['at', 'TIMESTAMP WITH TIME ZONE', true],
        ['note', 'CHARACTER VARYING(20)', null],
      ],
    );
  });

  it('canonicalises types the way information_schema names them', () => {
    assert.deepEqual(canonicalScriptType('VARCHAR(48)', 'postgres'), { base: 'character varying', length: 48 });
    assert.deepEqual(canonicalScriptType('TIMESTAMP', 'postgres'), { base: 'timestamp without time zone' });
    assert.deepEqual(canonicalScriptType('NVARCHAR(MAX)', 'mssql'), { base: 'nvarchar', length: -1 });
    assert.deepEqual(canonicalScriptType('DECIMAL', 'mssql'), { base: 'decimal', precision: 18, scale: 0 });
    assert.deepEqual(canonicalScriptType('INTEGER', 'mssql'), { base: 'int' });
  });
});
