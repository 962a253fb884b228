// The SQL files under sql/<dialect>/ that are rendered from a TypeScript spec rather than written
// by hand: scripts/render-sql.ts writes them, test/unit/sqlCatalogue/rendered.test.ts checks that the
// checked-in files are equal to the rendering (what runs is the file, loaded by loadSql).
import type { Dialect } from '../db/types';
import { renderCohortWithoutEpisodeSql } from '../check/cohortSql';
import { renderChildRowsSql, renderOrphanRowsSql } from '../payload/rowSpec';

/** Every dialect the rendered files exist for. */
export const RENDERED_DIALECTS: readonly Dialect[] = ['postgres', 'mssql', 'oracle'];

export interface RenderedSqlFile {
  dialect: Dialect;
  /** File name under sql/<dialect>/, without .sql. */
  name: string;
  render: () => string;
}

export const RENDERED_SQL: readonly RenderedSqlFile[] = RENDERED_DIALECTS.flatMap((dialect) => [
  { dialect, name: 'payload_child_rows', render: () => renderChildRowsSql(dialect) },
  { dialect, name: 'payload_orphan_rows', render: () => renderOrphanRowsSql(dialect) },
  { dialect, name: 'check_cohort_without_episode', render: () => renderCohortWithoutEpisodeSql(dialect) },
]);
