// Which children a finding concerns, and what the check's verdict means for them. Pure.
import { findTable } from '../model/ssdModel';
import type { CheckFinding, Severity } from './types';

/**
 * The column holding the child's person id in an SSD table (`pers_person_id` in ssd_person, the
 * `<prefix>_person_id` column elsewhere), or null when the table has none (ssd_professionals,
 * ssd_assessment_factors, staging).
 */
export function personColumn(table: string): string | null {
  const def = findTable(table);
  if (!def) return null;
  const cols = def.columns.filter((c) => /^[a-z0-9]+_person_id$/.test(c.name));
  return cols.length === 1 ? cols[0]!.name : null;
}

/** Person ids a set of findings names (their example rows' children), distinct and sorted. */
export function childrenOfFindings(findings: readonly CheckFinding[], severities: readonly Severity[] = ['error', 'warning']): string[] {
  const ids = new Set<string>();
  for (const f of findings) if (severities.includes(f.severity)) for (const p of f.personIds ?? []) ids.add(p);
  return [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

const plural = (n: number, w: string, ws = `${w}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? w : ws}`;

/**
 * The verdict line of a check, stating its real impact: errors count children where the engine
 * counted them ("3 errors: at least 1 child affected"), since staging withholds only the children
 * whose payloads fail and builds the rest. Errors without children (missing tables or columns)
 * stop payloads being built at all.
 */
export function verdictLine(findings: readonly CheckFinding[]): string {
  const tally = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const errors = tally('error'),
    warnings = tally('warning');
  if (errors === 0) return warnings > 0 ? `Fit to build payloads, with ${plural(warnings, 'warning')} to review.` : 'Fit to build payloads: no errors or warnings.';
  const errs = findings.filter((f) => f.severity === 'error');
  const structural = errs.filter((f) => f.category === 'schema').length;
  const withChildren = errs.filter((f) => f.children !== undefined);
  const w = warnings ? `; ${plural(warnings, 'warning')}` : '';
  if (structural > 0) {
    return `Not fit to build payloads: ${plural(errors, 'error')} (${plural(structural, 'structure error')}: payloads cannot be built until ${structural === 1 ? 'it is' : 'they are'} fixed)${w}. Fix the errors first.`;
  }
  if (withChildren.length === 0) return `Not fit to build every payload: ${plural(errors, 'error')}${w}. Fix the errors first.`;
  // Children of different rules may overlap: the largest count is the least the errors concern.
  const least = Math.max(...withChildren.map((f) => f.children!));
  const exact = withChildren.length === errs.length && withChildren.length === 1;
  const who = `${exact ? '' : 'at least '}${plural(least, 'child', 'children')}`;
  return `Not fit to build every payload: ${plural(errors, 'error')}: ${who} affected, ${least === 1 && exact ? 'whose payload' : 'whose payloads'} may be withheld by Build Staging; the other children's payloads can be built${w}. Fix the errors first.`;
}
