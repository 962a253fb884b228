// SQL text longer than a line lives in sql/: sql/<dialect>/<name>.sql where the dialects differ,
// sql/common/<name>.sql where they do not. Files are read once and cached.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlDir } from '../runtimePaths';
import type { Dialect } from './types';

const cache = new Map<string, string>();

export function loadSql(dialect: Dialect, name: string): string {
  const key = `${dialect}/${name}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const root = sqlDir();
  const candidates = [join(root, dialect, `${name}.sql`), join(root, 'common', `${name}.sql`)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error(`missing SQL file ${name}.sql for ${dialect} (looked in ${candidates.join(', ')})`);
  const text = readFileSync(file, 'utf8');
  cache.set(key, text);
  return text;
}

/** Replace {{name}} placeholders with already-quoted identifiers (never values). */
export function fillIdentifiers(sql: string, identifiers: Record<string, string>): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = identifiers[k];
    if (v === undefined) throw new Error(`SQL placeholder {{${k}}} has no value`);
    return v;
  });
}
