// The text report of `ssd scramble` (CLI and editor): tables, columns, counts and the key's
// fingerprint only, never a data value.
import type { ScrambleReport } from './runScramble';

const fmt = (n: number) => n.toLocaleString('en-GB');

export function printScrambleReport(r: ScrambleReport, write: (line?: string) => void): void {
  write(
    `${r.ok ? 'Scrambled copy made' : 'Scrambled copy NOT kept'}: ${r.from.schema} (${r.from.database}) -> ${r.to.schema} (${r.to.database}), tables ${r.tableSet}, key ${r.keyFingerprint} (fingerprint, not the key).`,
  );
  write('');
  write('Rows per table (in = read from the source, out = in the copy):');
  const w = Math.max(5, ...r.tables.map((t) => t.table.length));
  for (const t of r.tables) write(`  ${t.table.padEnd(w)} ${fmt(t.rowsIn).padStart(10)} in ${fmt(t.rowsOut).padStart(10)} out${t.rowsIn === t.rowsOut ? '' : '  DIFFERENT'}`);
  if (r.missingInSource.length) write(`Not in the source (nothing to copy): ${r.missingInSource.join(', ')}`);
  write('');
  write(`Free-text columns blanked: ${r.blankedColumns.length ? r.blankedColumns.join(', ') : 'none present'}`);
  write(`Unknown columns blanked (not in the SSD model; left NULL in the copy): ${r.unknownColumns.length ? r.unknownColumns.join(', ') : 'none'}`);
  write('');
  const s = r.scan;
  write(`Verification scan: ${fmt(s.cellsScanned)} text cells of the copy looked up among ${fmt(s.valuesKnown)} identifying values of the source (ids, names, dates of birth, postcodes, UPNs).`);
  if (s.survivors.length) {
    write(`  FOUND original values in the copy (the copy was dropped):`);
    for (const x of s.survivors) write(`    ${x.table}.${x.column}: ${fmt(x.count)} cell(s)`);
  } else {
    write('  No original value found in the copy.');
  }
  if (s.coincidences)
    write(`  ${fmt(s.coincidences)} generated value(s) equal some other record's original value by chance (the key shows what each was made from; they carry nothing of the value they equal).`);
  if (r.checks) {
    write('');
    write(`ssd check on both (as-of ${r.checkAsOf}), findings per rule (source | copy):`);
    if (!r.checks.length) write('  no findings in either');
    const wr = Math.max(...r.checks.map((c) => c.ruleId.length), 4);
    for (const c of r.checks) write(`  ${c.ruleId.padEnd(wr)} ${fmt(c.source).padStart(8)} | ${fmt(c.copy).padEnd(8)} ${c.source === c.copy ? '' : '* '}${c.title}`);
    if (r.checks.some((c) => c.source !== c.copy)) write('  * differs: dates moved by up to 45 days cross the as-of date or the reporting window (see docs/scramble.md).');
  }
  if (r.failure) write(`\nFailed: ${r.failure}. Everything this run wrote was dropped.`);
  write(`Took ${r.seconds.toFixed(1)} s.`);
}
