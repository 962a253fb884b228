// What the sender keeps of an API error body. Secrets come out of the whole raw body first; then
// the body is decoded (JSON at every nesting level, a JSON string holding JSON included) and
// read for its structure:
//   - for a refusal of content (400 / 413 / 422): only the API's error code, the records it names
//     (index in the request, and which of the request's la_child_ids) and the field paths; never
//     its free text, which may quote a child's data;
//   - for other errors (5xx, 401, 403, the token endpoint…): the code and a short message.
// The free text goes to the debug log only, with secrets and children's values out, then cut.
import { oneLine, unescapeText, type ChildValues, type Redactor } from './redact';

export interface ApiErrorView {
  /** For api_response, stdout, --json and the editor: structured parts only (content errors) or a short message. */
  summary: string;
  /** The API's free text, redacted and cut: for the debug log only. */
  debug: string;
}

export interface DescribeOptions {
  redactor: Redactor;
  values: ChildValues;
  /** la_child_ids of the request, in order (ids may be shown; the API naming one is worth knowing). */
  ids?: readonly string[];
  /** A refusal of content (400 / 413 / 422): no free text in the summary. */
  content: boolean;
  /** Longest summary (default 200) and debug text (default 1000). */
  max?: number;
  maxDebug?: number;
}

const CODE_KEYS = new Set(['code', 'errorcode', 'error_code', 'error', 'errortype', 'error_type', 'subcode', 'status_code_name']);
const MESSAGE_KEYS = ['message', 'error_description', 'detail', 'errormessage', 'description', 'title', 'msg'];
const PATH_KEYS = new Set([
  'path',
  'field',
  'fieldname',
  'field_name',
  'target',
  'property',
  'propertyname',
  'property_name',
  'member',
  'membernames',
  'loc',
  'pointer',
  'instancepath',
  'datapath',
  'jsonpath',
  'location',
]);
const INDEX_KEYS = new Set(['index', 'recordindex', 'record_index', 'record', 'item', 'itemindex', 'position', 'row']);
const CODE_SHAPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const PATH_SHAPE = /^[$#/\w.[\]'"-]{1,120}$/;

/** JSON.parse, and again on every string that holds JSON, at every level. */
export function parseDeep(text: string, depth = 0): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const walk = (x: unknown, d: number): unknown => {
    if (typeof x === 'string') {
      const t = x.trim();
      if (d < 6 && (t.startsWith('{') || t.startsWith('['))) {
        const inner = parseDeep(t, d + 1);
        if (inner !== undefined) return inner;
      }
      return x;
    }
    if (Array.isArray(x)) return x.map((y) => walk(y, d + 1));
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y, d + 1)]));
    return x;
  };
  return walk(v, depth);
}

interface Found {
  codes: string[];
  paths: string[];
  indexes: Set<number>;
  messages: string[];
  /** Every leaf as "key: value", for the debug text. */
  leaves: string[];
}

function splitPath(p: string, f: Found): void {
  // "[3].child_details.upn", "$[3].upn", "/3/upn", "children[3].upn": the record index, then the field.
  const m = /^(?:\$|#|children|body|request|payload)?\.?\[(\d{1,3})\]\.?(.*)$/i.exec(p) ?? /^\/(\d{1,3})(?:\/(.*))?$/.exec(p);
  if (m) {
    f.indexes.add(Number(m[1]));
    if (m[2]) f.paths.push(m[2].replace(/^\//, '').replace(/\//g, '.'));
  } else if (p && p !== '$') {
    f.paths.push(
      p
        .replace(/^\$\.?/, '')
        .replace(/^\//, '')
        .replace(/\//g, '.'),
    );
  }
}

function collect(v: unknown, key: string, f: Found, depth: number): void {
  if (depth > 12) return;
  const k = key.toLowerCase();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    const s = String(v);
    f.leaves.push(key ? `${key}: ${s}` : s);
    if (CODE_KEYS.has(k) && typeof v === 'string' && CODE_SHAPE.test(s)) f.codes.push(s);
    else if (PATH_KEYS.has(k) && typeof v === 'string' && PATH_SHAPE.test(s)) splitPath(s, f);
    else if (INDEX_KEYS.has(k) && /^\d{1,3}$/.test(s)) f.indexes.add(Number(s));
    else if (MESSAGE_KEYS.includes(k) && typeof v === 'string') f.messages.push(s);
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) {
      if (PATH_KEYS.has(k) && typeof x === 'string' && PATH_SHAPE.test(x)) splitPath(x, f);
      else collect(x, key, f, depth + 1);
    }
    return;
  }
  if (v && typeof v === 'object') {
    for (const [ck, cv] of Object.entries(v)) {
      // ASP.NET / ProblemDetails: "errors": { "[0].child_details.upn": ["…"] }
      if ((k === 'errors' || k === 'modelstate' || k === 'validationerrors') && PATH_SHAPE.test(ck)) splitPath(ck, f);
      collect(cv, ck, f, depth + 1);
    }
  }
}

const uniq = <T>(xs: Iterable<T>) => [...new Set(xs)];

/** What to keep of an API error body (see the file comment). `raw` is the body exactly as received. */
export function describeApiError(raw: string, o: DescribeOptions): ApiErrorView {
  const max = o.max ?? 200;
  const maxDebug = o.maxDebug ?? 1000;
  const { redactor, values } = o;
  // 1. Secrets out of the whole raw body, before anything else.
  const body = redactor.text(raw).trim();
  const f: Found = { codes: [], paths: [], indexes: new Set(), messages: [], leaves: [] };
  const parsed = body ? parseDeep(body) : undefined;
  let free: string;
  if (parsed !== undefined && typeof parsed === 'object' && parsed !== null) {
    collect(parsed, '', f, 0);
    free = f.leaves.join(' | ');
  } else {
    free = body;
  }
  // 2. Decoded, secrets again (an escaped secret shows itself only now).
  const decoded = redactor.text(unescapeText(free));
  // The API's record indexes in its free text ("at [3]", "record 3").
  for (const m of decoded.matchAll(/(?:^|[^\w\]])\[(\d{1,3})\]/g)) f.indexes.add(Number(m[1]));
  for (const m of decoded.matchAll(/\b(?:record|item|index|element|child)\s*(?:no\.?|number|#)?\s*(\d{1,3})\b/gi)) f.indexes.add(Number(m[1]));
  // The request's own ids the API names (ours to show: ids, never values).
  const named = (o.ids ?? []).filter((id) => id && new RegExp(`(?<![\\p{L}\\p{N}])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu').test(decoded));
  // 3. Children's values out; 4. then cut.
  const debug = oneLine(values.redact(decoded), maxDebug);
  const clean = (s: string) => values.redact(redactor.text(unescapeText(s)));
  const codes = uniq(f.codes.map(clean).filter((c) => CODE_SHAPE.test(c))).slice(0, 3);
  const paths = uniq(f.paths.map(clean).filter((p) => PATH_SHAPE.test(p) && !p.includes('***'))).slice(0, 5);
  const indexes = [...f.indexes].sort((a, b) => a - b).slice(0, 5);
  if (o.content) {
    const parts: string[] = [codes.length ? codes.join(', ') : 'no error code given'];
    if (indexes.length) parts.push(`record${indexes.length === 1 ? '' : 's'} ${indexes.map((i) => `[${i}]`).join(' ')}`);
    if (named.length) parts.push(`la_child_id ${named.slice(0, 5).join(', ')}`);
    if (paths.length) parts.push(`field${paths.length === 1 ? '' : 's'} ${paths.join(', ')}`);
    return { summary: oneLine(parts.join('; '), max), debug };
  }
  const message = f.messages.length ? clean(f.messages[0]!) : parsed === undefined ? values.redact(decoded) : '';
  const parts = [...codes.slice(0, 1), ...(message ? [message] : [])];
  return { summary: oneLine(parts.join(': '), max), debug };
}
