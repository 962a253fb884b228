// Rewrite the SQL files rendered from TypeScript specs, for every dialect: the payload row stream
// (src/payload/rowSpec.ts → sql/<dialect>/payload_child_rows.sql, payload_orphan_rows.sql;
// src/check/cohortSql.ts → check_cohort_without_episode.sql).
// The unit tests fail until the files equal what this writes.
//   npx tsx scripts/render-sql.ts [output dir, default sql/]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RENDERED_SQL } from '../src/sqlCatalogue/renderedSql';

const root = process.argv[2] ?? fileURLToPath(new URL('../sql', import.meta.url));
for (const { dialect, name, render } of RENDERED_SQL) {
  mkdirSync(join(root, dialect), { recursive: true });
  writeFileSync(join(root, dialect, `${name}.sql`), render());
  console.log(`wrote ${dialect}/${name}.sql`);
}
