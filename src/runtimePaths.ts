// Where files shipped beside the code live. Under the esbuild bundle (dist/*.cjs) they are copied
// next to it; when running from source (tests, tsx) they are read from the repository.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Directory of a bundled asset folder (dist/<name>) when running from the bundle, else null. */
export function bundledAssetDir(name: string): string | null {
  const dir = join(here, name);
  return existsSync(join(here, 'BUNDLED')) && existsSync(dir) ? dir : null;
}

/** The project's sql/ folder (dist/sql in the bundle). */
export function sqlDir(): string {
  const candidates = [join(here, 'sql'), resolve(here, '..', 'sql')];
  for (const c of candidates) if (existsSync(join(c, 'README.md'))) return c;
  throw new Error(`cannot find the sql/ folder (looked in ${candidates.join(', ')})`);
}

/** The project's media/ folder. */
export function mediaDir(): string {
  const candidates = [join(here, 'media'), resolve(here, '..', 'media')];
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[0]!;
}
