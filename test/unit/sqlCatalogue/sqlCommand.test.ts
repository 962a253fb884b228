// `ssd sql <command>`: what it prints without connecting. The DDL it prints for SSMS splits on GO
// into batches that each parse as T-SQL; the PostgreSQL DDL parses as one psql script.
import assert from 'node:assert/strict';
import { runCli } from '../../helpers/runCli';
import { parsePostgres, parseTsql } from '../../helpers/sqlParsers';
import { tablesForSet } from '../../../src/model/ssdModel';

describe('ssd sql', function () {
  this.timeout(300_000);

  it('init --ddl (SQL Server): one GO-separated batch per object, every batch parses, no parameters', async () => {
    const r = await runCli(['sql', 'init', '--dialect', 'mssql', '--schema', 'ssd_development', '--tables', 'all', '--ddl']);
    assert.equal(r.code, 0, r.stderr);
    const batches = r.stdout
      .split(/^GO$/m)
      .map((b) => b.trim())
      .filter((b) => b && !/^(--[^\n]*\n?)+$/.test(b));
    assert.equal(batches.length, 1 + tablesForSet('all').length, 'CREATE SCHEMA + one CREATE TABLE per table');
    for (const t of tablesForSet('all'))
      assert.ok(
        batches.some((b) => b.includes(`CREATE TABLE [ssd_development].[${t.name}]`)),
        t.name,
      );
    assert.doesNotMatch(r.stdout, /@p\d|\$\d/);
    for (const b of batches.slice(0, 6)) assert.equal(parseTsql(b), null, b.slice(0, 200));
  });

  it('init --ddl (PostgreSQL): a psql script that parses whole', async () => {
    const r = await runCli(['sql', 'init', '--dialect', 'postgres', '--schema', 'ssd', '--ddl']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /CREATE SCHEMA IF NOT EXISTS "ssd";/);
    assert.equal(await parsePostgres(r.stdout), null);
    assert.equal((r.stdout.match(/CREATE TABLE IF NOT EXISTS/g) ?? []).length, tablesForSet('api').length);
  });

  it('stage (SQL Server): every statement with its parameters as placeholders and types, never values', async () => {
    const r = await runCli(['sql', 'stage', '--dialect', 'mssql', '--schema', 'ssd_development']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /UPDLOCK/);
    assert.match(r.stdout, /-- \[\d+\] execute, inside a transaction; parameters: @p1 NVARCHAR/);
    assert.match(r.stdout, /INSERT INTO \[ssd_development\]\.\[ssd_api_data_staging\]/);
    // The scenario's children have payloads; none of their values appear.
    assert.doesNotMatch(r.stdout, /Fake|la_child_id":/);
    const batches = r.stdout.split(/^GO$/m).length - 1;
    assert.ok(batches > 10, `${batches} statements`);
  });

  it('send and check (PostgreSQL) print their statements; an unknown command is bad usage', async () => {
    const send = await runCli(['sql', 'send', '--dialect', 'postgres']);
    assert.equal(send.code, 0, send.stderr);
    assert.match(send.stdout, /"public"\."ssd_api_data_staging"/);
    assert.match(send.stdout, /\$1/);
    const check = await runCli(['sql', 'check', '--dialect', 'postgres', '--as-of', '2025-03-31']);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /information_schema\.columns/i);
    const bad = await runCli(['sql', 'drop-everything']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /init, check, stage, send/);
  });
});
