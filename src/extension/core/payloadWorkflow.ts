// "SSD: Build Payload for Child" without the editor: the read-only document's URI and text, the
// payload problems as diagnostics at their exact JSON path (missing properties on the nearest
// enclosing key), and the hover text for a position (the rules broken there and the SSD
// table.column the value came from). Pure (no 'vscode'). Never puts a payload value in a message.
import { getLocation } from 'jsonc-parser';
import { sourceForPath } from '../../payload/sources';
import type { CohortExclusion, PayloadProblem } from '../../payload/types';
import { lineOffsets, rangeFromOffsets, type DiagnosticRecord, type Range0 } from './diagnosticRecords';
import { locatePointer } from './jsonLocations';

export const PAYLOAD_SOURCE = 'SSD payload';

/**
 * Path of a child's payload document: `/<personId>.json`, the id percent-encoded so any id makes
 * one path segment. The editor keeps the path as given (vscode.Uri.from), so it decodes back.
 */
export function payloadPath(personId: string): string {
  return `/${encodeURIComponent(personId)}.json`;
}

/** `ssd-payload:/<personId>.json`. */
export function payloadUri(personId: string): string {
  return `ssd-payload:${payloadPath(personId)}`;
}

/** The person id of a payload document's path (payloadPath's inverse; '/C123.json' → 'C123'), or undefined. */
export function personIdFromPayloadPath(path: string): string | undefined {
  const m = /^\/?([^/]+)\.json$/.exec(path);
  if (!m) return undefined;
  try {
    const id = decodeURIComponent(m[1]!);
    return id.trim() === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

/** The document text: the payload pretty-printed (2 spaces), as `ssd payload` prints it. */
export function payloadText(payload: unknown): string {
  return JSON.stringify(payload, null, 2) + '\n';
}

/** JSON Pointer of a path of keys and indices ([a, 0, 'b/c'] → '/a/0/b~1c'). */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** What a rule of the DfE payload schema or of the builder means (for hovers). */
export const RULE_TEXT: Readonly<Record<string, string>> = {
  required: 'the DfE schema requires this field',
  additionalProperties: 'the DfE schema has no such field',
  maxLength: 'text longer than the DfE limit',
  minLength: 'text shorter than the DfE minimum',
  pattern: 'characters the DfE schema does not allow',
  enum: 'a code that is not in the DfE list',
  format: 'a date must be written YYYY-MM-DD',
  type: 'a value of the wrong JSON type',
  maxItems: 'more items than the DfE limit',
  minItems: 'fewer items than the DfE minimum',
  uniqueItems: 'the DfE schema does not allow repeated items',
  minimum: 'below the DfE minimum',
  maximum: 'above the DfE maximum',
  const: 'the DfE schema fixes this value',
  'disabilities-capped': 'the builder keeps at most the DfE number of disability codes',
  'factors-unparseable': 'assessment factors in none of the shapes the contract accepts',
  'cohort-without-episode': 'a child in the cohort with no social care episode',
  'row-not-attached': 'rows of this child the payload cannot hold (their referral or CLA episode is not in the SSD), left out',
  'person-id-duplicate': 'several ssd_person rows have this person id: the child is withheld until there is one',
  'person-id-blank': 'a blank person id: the child cannot be identified to the DfE and is withheld',
};

/** Diagnostic message of a problem: where (JSON path), what (shape only, never the value), rule and SSD column. */
export function problemMessage(p: PayloadProblem): string {
  return `${p.path || '(payload)'}: ${p.message}${p.source ? ` (from ${p.source})` : ''}`;
}

/** Payload problems as diagnostics at their JSON path in `text` (the document's text). */
export function payloadDiagnosticRecords(text: string, problems: readonly PayloadProblem[]): DiagnosticRecord[] {
  const starts = lineOffsets(text);
  const out: DiagnosticRecord[] = [];
  for (const p of problems) {
    const span = locatePointer(text, p.path);
    const range: Range0 = span ? rangeFromOffsets(starts, span.start, span.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    out.push({ range, message: problemMessage(p), severity: p.severity, code: p.rule, source: PAYLOAD_SOURCE });
  }
  return out;
}

export interface PayloadHover {
  pointer: string;
  /** Markdown. */
  markdown: string;
  /** Offsets of what the hover is about. */
  start: number;
  end: number;
}

/**
 * Hover at an offset of a payload document: the JSON path, the SSD table.column the value comes
 * from, and each problem whose underline covers the offset (with what its rule means). Undefined
 * when there is nothing to say (outside any value, or no source and no problem).
 */
export function payloadHoverAt(text: string, offset: number, problems: readonly PayloadProblem[]): PayloadHover | undefined {
  const loc = getLocation(text, offset);
  const pointer = toPointer(loc.path);
  // A problem whose underline covers the offset already shows its message in the editor's own
  // diagnostic hover: say what the rule means. On the key of a value with a problem (no underline
  // there), give the message too.
  const here: Array<{ p: PayloadProblem; underlined: boolean }> = [];
  for (const p of problems) {
    const span = locatePointer(text, p.path);
    const underlined = !!span && offset >= span.start && offset <= span.end;
    if (underlined || p.path === pointer) here.push({ p, underlined });
  }
  const source = sourceForPath(pointer);
  if (!here.length && !source) return undefined;
  const md: string[] = [`**${pointer || '(payload)'}**`];
  if (source) md.push('', `From SSD column \`${source}\``);
  for (const { p, underlined } of here) {
    const meaning = RULE_TEXT[p.rule];
    const from = p.source && p.source !== source ? ` (from \`${p.source}\`)` : '';
    const what = underlined ? (meaning ?? 'a rule of the DfE payload') : `${meaning ? `${meaning}: ` : ''}${p.message}`;
    md.push('', `${p.severity === 'error' ? '$(error)' : '$(warning)'} **${p.rule}**${p.path !== pointer ? ` at \`${p.path}\`` : ''}: ${what}${from}`);
  }
  const node = loc.previousNode;
  const span = locatePointer(text, pointer);
  const start = node ? node.offset : (span?.start ?? offset);
  const end = node ? node.offset + node.length : (span?.end ?? offset);
  return { pointer, markdown: md.join('\n'), start, end };
}

/** The message when a child has no payload: which cohort gate excluded them. */
export function exclusionMessage(e: CohortExclusion, asOf: string, window: { start: string; end: string }): string {
  if (e.gate === 'missing') return `${e.personId} is not in ssd_person: there is no person with this id in the connected schema.`;
  return `${e.personId} is not in the cohort for as-of ${asOf} (window ${window.start} to ${window.end}): excluded by ${e.reason}.`;
}

/** One line after a build: valid, or how many errors and warnings. */
export function payloadSummary(personId: string, problems: readonly PayloadProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (!errors) return `${personId}: the payload meets every rule of the DfE payload schema${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.`;
  return `${personId}: ${errors} problem${errors === 1 ? '' : 's'} with the payload${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}: see the Problems panel. This child is kept out of the send queue until fixed.`;
}
