// The oldest SQL Server we support (src/db/mssqlFloor.ts) holds for every T-SQL statement the tool
// sends: each is scanned with pre-flight's feature table (the one `ssd preflight --script` uses for
// the community scripts) and none may need a newer release or a higher compatibility level.
import assert from 'node:assert/strict';
import { SQL_SCENARIOS, captureAll } from '../../../src/sqlCatalogue/index';
import { scanFeatures, type FeatureUse } from '../../../src/script/preflight';
import { floorProblem, MSSQL_FLOOR } from '../../../src/db/mssqlFloor';

function aboveFloor(u: FeatureUse): boolean {
  const major = u.mssqlMajor ?? 0;
  return major > MSSQL_FLOOR.major || (major === MSSQL_FLOOR.major && (u.mssqlBuild ?? 0) > 0) || (u.compatLevel ?? 0) > MSSQL_FLOOR.compatLevel;
}

describe(`our T-SQL needs nothing newer than ${MSSQL_FLOOR.release}, compatibility level ${MSSQL_FLOOR.compatLevel}`, function () {
  this.timeout(120_000);

  it('no catalogued statement uses a feature above the floor', async () => {
    const all = await captureAll(SQL_SCENARIOS, { dialect: 'mssql' });
    const over = all.flatMap((s) =>
      scanFeatures(s.sent, 'tsql')
        .filter(aboveFloor)
        .map((u) => `${s.scenario} ${s.seq}: ${u.feature} needs ${u.release}`),
    );
    assert.deepEqual(over, []);
  });

  it('the scan does see features above the floor', () => {
    for (const sql of ["SELECT STRING_AGG(x, ',') FROM t", 'SELECT TRIM(x) FROM t', 'CREATE OR ALTER VIEW v AS SELECT 1', "SELECT CONCAT_WS(',', a, b)", 'SELECT GREATEST(a, b)']) {
      assert.ok(scanFeatures(sql, 'tsql').some(aboveFloor), sql);
    }
    assert.ok(!scanFeatures('SELECT IIF(x = 1, 1, 0), SYSDATETIME() FROM t', 'tsql').some(aboveFloor));
    // TRY_CONVERT needs level 110: our T-SQL does not use it (the community scripts do; ssd preflight checks those).
    assert.ok(scanFeatures('SELECT TRY_CONVERT(INT, x)', 'tsql').some(aboveFloor));
  });

  it('the connect step refuses SQL Server 2014 and level 90 with the release and level named; 2016, 2022 and Azure pass', () => {
    assert.match(floorProblem({ version: '12.0.6024.0', major: 12, cloud: false, compatibilityLevel: 120 })!, /SQL Server 2014 \(12\.0\.6024\.0\).*SQL Server 2016 or later/);
    assert.match(floorProblem({ version: '13.0.1601.5', major: 13, cloud: false, compatibilityLevel: 90 })!, /compatibility level 90.*level 100 or higher/);
    assert.equal(floorProblem({ version: '13.0.1601.5', major: 13, cloud: false, compatibilityLevel: 130 }), null);
    assert.equal(floorProblem({ version: '16.0.4135.4', major: 16, cloud: false, compatibilityLevel: 160 }), null);
    assert.equal(floorProblem({ version: '12.0.2000.8', major: 12, cloud: true, compatibilityLevel: 150 }), null);
  });
});
