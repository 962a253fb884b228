// Validate a payload against the DfE payload JSON Schema (dfePayload.schema.json, compiled once)
// and turn ajv's errors into PayloadProblems: JSON Pointer, rule keyword, a message naming the
// constraint and the SHAPE of the value (length, type, characters not allowed) — never the value
// itself, which may be a child's name or date of birth — and the SSD column that feeds the path.
import { sha256Hex } from './sha256';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import schema from './dfePayload.schema.json';
import { sourceForPath } from './sources';
import type { PayloadProblem } from './types';

// ajv and ajv-formats are CommonJS; under ESM/tsx/esbuild the class may sit on .default. Resolved when
// first used, not when this module is evaluated: the bundle loads ajv on first access (issue 15, item 6).
const ajvClass = () => ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule;
const addFormatsFn = () => ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/** The schema object (for the editor, the sender and tests). */
export const DFE_PAYLOAD_SCHEMA: Readonly<Record<string, unknown>> = schema as Record<string, unknown>;

let compiled: ValidateFunction | undefined;

const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false } as const;
/** Bump when the validation changes in a way the schema text and options do not show (e.g. formats added). */
const VALIDATION_REVISION = 1;

/**
 * Names the validation a payload passes: SHA-256 over the revision, the ajv options, the formats
 * and the schema text. A staging row whose payload passed this validation with no problem records
 * validationStamp(its hash) (issue 17), so an unchanged child need not be validated again; a new
 * schema or option gives a new id, and every child is validated again.
 */
export const VALIDATION_ID: string = sha256Hex(`ssd-workbench schema validation r${VALIDATION_REVISION}\n${JSON.stringify(AJV_OPTIONS)}\nformats: date\n${JSON.stringify(schema)}`);

/**
 * The stamp of a payload with this change hash (hex) that passed VALIDATION_ID with no problem:
 * bound to the hash, so it proves nothing for any other payload, whoever rewrites current_hash.
 */
export function validationStamp(hashHex: string): string {
  return sha256Hex(`${VALIDATION_ID}:${hashHex.toLowerCase()}`);
}

function validator(): ValidateFunction {
  if (!compiled) {
    const Ajv = ajvClass();
    const ajv = new Ajv({ ...AJV_OPTIONS });
    addFormatsFn()(ajv, ['date']);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function chars(v: string): number {
  return [...v].length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The shape of a value: its JSON type and, for text, its length. Never the value. */
export function shapeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${plural(v.length, 'item')}`;
  switch (typeof v) {
    case 'string':
      return v.length === 0 ? 'empty text' : `text of ${plural(chars(v), 'character')}`;
    case 'number':
      return Number.isInteger(v) ? 'a whole number' : 'a number with a fraction';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

/** Describe which kinds of characters break a character-class pattern (counts only). */
function disallowedCharacters(value: string, pattern: string): string {
  const m = /^\^\[([^\]]+)\][*+]\$$/.exec(pattern) ?? /^\^\[([^\]]+)\]\{\d+\}\$$/.exec(pattern);
  if (value === '') return 'empty; at least one character required';
  if (!m) return `${plural(chars(value), 'character')} that do not match the required pattern`;
  const allowed = new RegExp(`^[${m[1]}]$`);
  const kinds = new Map<string, number>();
  for (const c of value) {
    if (allowed.test(c)) continue;
    const kind =
      c === ' '
        ? 'space'
        : /\s/.test(c)
          ? 'tab or line break'
          : /[\u0000-\u001f]/.test(c)
            ? 'control character'
            : /[\p{L}\p{M}]/u.test(c)
              ? 'accented or non-Latin letter'
              : /\p{N}/u.test(c)
                ? 'non-ASCII digit'
                : 'punctuation or symbol';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const list = [...kinds].map(([k, n]) => plural(n, k)).join(', ');
  return `${plural(chars(value), 'character')}, including ${list || 'characters'} not allowed`;
}

function titleOf(e: ErrorObject, path: string): string {
  const t = (e.parentSchema as { title?: string } | undefined)?.title;
  if (t) return t;
  const field = path
    .split('/')
    .filter((s) => s !== '' && !/^\d+$/.test(s))
    .pop();
  return field ?? 'payload';
}

function messageFor(e: ErrorObject, path: string): string {
  const title = titleOf(e, path);
  const v = e.data;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `required: this field is missing`;
    case 'additionalProperties':
      return 'not a field of the DfE payload';
    case 'maxLength':
      return `${title}: ${plural(typeof v === 'string' ? chars(v) : 0, 'character')}; at most ${p.limit} allowed`;
    case 'minLength':
      return `${title}: ${typeof v === 'string' && v.length === 0 ? 'empty' : plural(typeof v === 'string' ? chars(v) : 0, 'character')}; at least ${p.limit} required`;
    case 'pattern':
      return `${title}: ${typeof v === 'string' ? disallowedCharacters(v, String(p.pattern)) : shapeOf(v)}`;
    case 'enum':
      return `${title}: ${shapeOf(v)} that is not one of the allowed codes (${(p.allowedValues as unknown[]).join(', ')})`;
    case 'format':
      return `${title}: ${shapeOf(v)}, not a calendar date written YYYY-MM-DD`;
    case 'type':
      return `${title}: ${shapeOf(v)}; ${String(p.type)} expected`;
    case 'maxItems':
      return `${title}: ${plural(Array.isArray(v) ? v.length : 0, 'item')}; at most ${p.limit} allowed`;
    case 'minItems':
      return `${title}: ${plural(Array.isArray(v) ? v.length : 0, 'item')}; at least ${p.limit} required`;
    case 'uniqueItems':
      return `${title}: items ${Number(p.j) + 1} and ${Number(p.i) + 1} are the same`;
    case 'minimum':
      return `${title}: below the minimum ${p.limit}`;
    case 'maximum':
      return `${title}: above the maximum ${p.limit}`;
    case 'const':
      return `${title}: must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${title}: breaks the "${e.keyword}" rule`;
  }
}

/** Map ajv errors to problems (one per path and rule). */
export function problemsFromAjv(errors: readonly ErrorObject[]): PayloadProblem[] {
  const out: PayloadProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'allOf') continue;
    let path = e.instancePath;
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'required') path = `${path}/${String(p.missingProperty)}`;
    if (e.keyword === 'additionalProperties') path = `${path}/${String(p.additionalProperty)}`;
    const key = `${path}\u0000${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source = sourceForPath(path);
    const problem: PayloadProblem = { path, rule: e.keyword, message: messageFor(e, path), severity: 'error' };
    if (source) problem.source = source;
    out.push(problem);
  }
  return out;
}

/** Validate one child's payload against the DfE schema. Empty when valid. */
export function validatePayload(payload: unknown): PayloadProblem[] {
  const validate = validator();
  if (validate(payload)) return [];
  return problemsFromAjv(validate.errors ?? []);
}

/** True when no problem is an error (warnings do not make a child invalid). */
export function isValid(problems: readonly PayloadProblem[]): boolean {
  return !problems.some((p) => p.severity === 'error');
}

/**
 * A built child's problems: the builder's, then the schema's, less a schema problem at a path the
 * builder already reported as an error (a factor item that is not a code is one problem, not two).
 */
export function withSchemaProblems(builderProblems: readonly PayloadProblem[], payload: unknown): PayloadProblem[] {
  const explained = new Set(builderProblems.filter((p) => p.severity === 'error').map((p) => p.path));
  return [...builderProblems, ...validatePayload(payload).filter((p) => !explained.has(p.path))];
}
