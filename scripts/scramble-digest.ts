// Before/after proof for `ssd scramble` changes (issue 13): scramble an SSD schema with a fixed key
// into a fresh schema of the target database, print one SHA-256 over an ordered dump of every
// table of the copy (each table by name, then its rows as PostgreSQL's row text sorted bytewise;
// the run-marker table, which holds a run id and times, is left out), then drop the copy.
// Run it on the same source before and after a change: equal digests mean a byte-identical copy.
//   node --import tsx scripts/scramble-digest.ts <source url> <source schema> <target url> [key byte, default 9]
// The key is 32 bytes of the given value (default 0x09, as the bench's). PostgreSQL only. Also
// prints the wall time, node CPU and the peak RSS sampled during the scramble. Only counts and
// digests are printed, never values.
import { createHash, randomBytes } from 'node:crypto';
import { qualify, quoteIdent } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import { SCRAMBLE_RUNS_TABLE, runScramble } from '../src/scramble/runScramble';

const [fromUrl, fromSchema, toUrl, keyByte = '9'] = process.argv.slice(2);
if (!fromUrl || !fromSchema || !toUrl) {
  console.error('usage: node --import tsx scripts/scramble-digest.ts <source url> <source schema> <target url> [key byte]');
  process.exit(2);
}
const source = await openDb(fromUrl);
const target = await openDb(toUrl);
if (source.dialect !== 'postgres' || target.dialect !== 'postgres') throw new Error('scramble-digest: PostgreSQL only');
const toSchema = `ssd_scramble_digest_${randomBytes(4).toString('hex')}`;
try {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runScramble(source, target, { fromSchema, toSchema, key: Buffer.alloc(32, Number(keyByte)), asOf: null }).finally(() => clearInterval(sampler));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (!r.ok) throw new Error(`scramble failed: ${r.failure}`);
  const rows = r.tables.reduce((a, t) => a + t.rowsOut, 0);
  console.log(
    `scrambled ${rows} rows in ${r.tables.length} tables: ${seconds.toFixed(2)} s, node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB; ` +
      `${r.scan.cellsScanned} cells scanned, ${r.scan.valuesKnown} values known, ${r.scan.coincidences} coincidences`,
  );
  const tables = await target.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> $2 ORDER BY table_name COLLATE "C"`, [
    toSchema,
    SCRAMBLE_RUNS_TABLE,
  ]);
  const all = createHash('sha256');
  for (const { table_name } of tables) {
    all.update(`${table_name}\n`);
    let n = 0;
    for await (const row of target.stream<{ r: string }>(`SELECT t::text AS r FROM ${qualify('postgres', toSchema, table_name)} t ORDER BY t::text COLLATE "C"`, [], { batchSize: 5000 })) {
      all.update(row.r);
      all.update('\n');
      n++;
    }
    all.update(`${n}\n`);
  }
  console.log(`digest of ${tables.length} tables: sha256 ${all.digest('hex')}`);
} finally {
  await target.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', toSchema)} CASCADE`).catch(() => undefined);
  await target.close();
  await source.close();
}
