// Child process of the embedded-database lock test: opens a PGlite directory, says "ready", and
// keeps it open until its stdin closes (or it is killed).
//   node --import tsx lockHolder.ts <pglite:dir>
import { openDb } from '../../../src/db/openDb';

const db = await openDb(process.argv[2]!);
await db.query('SELECT 1');
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void db.close().then(() => process.exit(0));
});
