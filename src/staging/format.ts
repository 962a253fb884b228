// The text report of a stage run (`ssd stage`, the demo's staging step): counts, the safety stop
// when overridden, and the first invalid children and children with warnings (person ids and rule
// ids only). Writes through the given line writer, so the CLI and the demo print the same lines.
import type { StageFromSsdReport } from './runStage';
import { findingLines } from './safetyStop';

const LIST_LIMIT = 50;

function n(v: number): string {
  return v.toLocaleString('en-GB');
}

export function printStageReport(r: StageFromSsdReport, write: (line: string) => void): void {
  write(
    `Staged the cohort into ${r.schema}.${r.table}${r.tableCreated ? ' (table created)' : ''}, as of ${r.asOf}${r.partial ? ', with partial payloads' : ''}${r.hashIgnoresEntityIds ? ', hash ignoring entity ids' : ''}`,
  );
  const rows: Array<[string, number, string?]> = [
    ['cohort', r.cohort, `of ${n(r.persons)} people; not in cohort: ${n(r.excludedGateA)} by age (gate A), ${n(r.excludedGateB)} by activity (gate B)`],
    ['New', r.new],
    ['Updated', r.updated],
    ['Unchanged', r.unchanged],
    ['Deleted', r.deleted, r.deleted ? `${n(r.deletionPayloads)} with a deletion payload queued, ${n(r.deleted - r.deletionPayloads)} Withheld: never acknowledged, nothing to send` : undefined],
    [
      'Invalid',
      r.invalid + r.notStaged,
      r.invalid + r.notStaged ? `${r.notStaged ? `${n(r.notStaged)} not staged, ` : ''}submission_status Withheld: kept out of the send queue; the reason is in api_response` : undefined,
    ],
    ['warnings', r.warnings],
  ];
  for (const [label, v, note] of rows) write(`  ${label.padEnd(10)} ${n(v).padStart(9)}${note ? `  (${note})` : ''}`);
  if (r.personsWithoutId)
    write(
      `${n(r.personsWithoutId)} ssd_person row${r.personsWithoutId === 1 ? ' has' : 's have'} no person id (NULL): no payload can be built or staged for ${r.personsWithoutId === 1 ? 'it' : 'them'}; give each person an id (ssd check SSD-PERS-020).`,
    );
  if (r.withheldConverted)
    write(`Converted ${n(r.withheldConverted)} row${r.withheldConverted === 1 ? '' : 's'} held back as Error by an earlier version to Withheld (community senders send Error rows).`);
  const list = (title: string, items: StageFromSsdReport['invalidChildren']) => {
    if (!items.length) return;
    write(`${title}:`);
    for (const i of items.slice(0, LIST_LIMIT)) write(`  ${i.personId}  ${i.rule}${i.path ? `  ${i.path}` : ''}`);
    if (items.length > LIST_LIMIT) write(`  … and ${n(items.length - LIST_LIMIT)} more (--json lists them all)`);
  };
  if (r.safety?.stopped) {
    write('Safety stop overridden for this run (--allow-mass-change):');
    for (const l of findingLines(r.safety)) write(`  ${l}`);
  }
  list('Invalid children (person id, first problem)', r.invalidChildren);
  list('Children with warnings (person id, first warning)', r.warningChildren);
  write(`Staging took ${r.seconds.toFixed(1)} s.`);
}
