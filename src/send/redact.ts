// Keep secrets and children's data out of every message the sender writes (stdout, stderr, --json,
// the editor's log and report, and api_response in the staging table). An API error body may echo
// what it was sent (a name, a date of birth), and a gateway may echo a header. The order matters:
//   1. secrets and bearer tokens out of the whole raw text (any piece of 6+ characters of a secret,
//      in any of the encodings it was sent in), before anything else looks at it or cuts it;
//   2. the text decoded (JSON at every nesting level, \u escapes, HTML entities), secrets again;
//   3. children's values out, on token boundaries only (so the API's own words stay readable):
//      names in any escaping, dates compared by their digits in any common format, postcodes with
//      or without their space;
//   4. only then cut to length.
import { redactSecrets } from '../db/connectionSpec';

/** The shortest piece of a secret that is never shown (the run's secrets are masked wherever 6 characters of one appear). */
export const SECRET_PIECE = 6;

const MASK = '***';

/** Every string (and long number) inside a payload: what must never be echoed back. */
export function payloadValues(payload: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof payload === 'string') {
    if (payload.trim().length >= 2) out.add(payload);
  } else if (typeof payload === 'number') {
    const s = String(payload);
    if (s.length >= 3) out.add(s);
  } else if (Array.isArray(payload)) {
    for (const v of payload) payloadValues(v, out);
  } else if (payload && typeof payload === 'object') {
    for (const v of Object.values(payload)) payloadValues(v, out);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Typographic apostrophes and quotes as plain ones, so O’Hara and O'Hara compare equal. */
function plainQuotes(s: string): string {
  return s.replace(/[\u2018\u2019\u02bc\u2032`]/g, "'").replace(/[\u201c\u201d]/g, '"');
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Undo the escapings a server may apply to text it echoes: JSON \uXXXX / \" / \\ (repeatedly, for
 * text escaped twice), HTML entities and %XX. What comes out is only ever used to find values.
 */
export function unescapeText(text: string): string {
  let t = text;
  for (let i = 0; i < 3; i++) {
    const before = t;
    t = t
      .replace(/\\+u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\+x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\+(["'/\\])/g, '$1')
      .replace(/&#x([0-9a-fA-F]{1,6});/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d{1,7});/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, n: string) => HTML_ENTITIES[n]!)
      .replace(/(?:%[0-9a-fA-F]{2})+/g, (m) => {
        try {
          return decodeURIComponent(m);
        } catch {
          return m;
        }
      });
    if (t === before) break;
  }
  return t;
}

// ------------------------------------------------------------------ secrets

/** Mask every run of text made of pieces (SECRET_PIECE characters or more) of the given secrets. */
function maskPieces(text: string, secrets: readonly string[]): string {
  if (!text) return text;
  const n = SECRET_PIECE;
  const grams = new Set<string>();
  for (const s of secrets) for (let i = 0; i + n <= s.length; i++) grams.add(s.slice(i, i + n));
  let mask: Uint8Array | null = null;
  if (grams.size) {
    for (let i = 0; i + n <= text.length; i++) {
      if (grams.has(text.slice(i, i + n))) {
        mask ??= new Uint8Array(text.length);
        mask.fill(1, i, i + n);
      }
    }
  }
  // Secrets shorter than a piece: as a whole.
  const short = secrets.filter((s) => s.length < n && s.length >= 3);
  let out = text;
  if (mask) {
    let r = '';
    for (let i = 0; i < text.length;) {
      if (mask[i]) {
        r += MASK;
        while (i < text.length && mask[i]) i++;
      } else r += text[i++];
    }
    out = r;
  }
  return short.length ? redactSecrets(out, short) : out;
}

/**
 * Values of headers and fields that carry a credential, whatever their value: an echo of another
 * key or token (not this run's) is hidden too. `Authorization: Bearer x`, `"SupplierKey":"x"`,
 * `client_secret=x`, `Ocp-Apim-Subscription-Key: x`.
 */
const CREDENTIAL_FIELD =
  /((?:authorization|proxy-authorization|supplier[-_ ]?key|ocp-apim-subscription-key|subscription[-_ ]?key|x-api-key|api[-_]?key|client[-_]?secret|access[-_]?token|refresh[-_]?token|id[-_]?token|password|pwd)\\*["']?\s*[:=]\s*\\*["']?)(?:(?:bearer|basic)\s+)?([^\s"'&,;<>\\}]{3,})/gi;

/** A redactor fed with this run's secrets (client secret, supplier key, access tokens as they are issued). */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: readonly (string | undefined)[] = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < 3) return;
    // As sent, and as a server may echo it: URL- or form-encoded, JSON-escaped (also .NET's
    // System.Text.Json escaping of + ' < > &).
    const json = JSON.stringify(secret).slice(1, -1);
    const dotnet = json.replace(/[+'<>&`]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
    for (const v of [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ x: secret }).toString().slice(2),
      json,
      dotnet,
      dotnet.toLowerCase() === dotnet ? dotnet : dotnet.replace(/\\u00([0-9A-F]{2})/g, (m) => m.toLowerCase()),
    ]) {
      this.secrets.add(v);
    }
  }

  /**
   * Step 1, on a whole raw text (a response body, a header value, an error message): this run's
   * secrets (any piece of 6+ characters), bearer/basic credentials, JWTs and credential fields out.
   */
  text(text: string): string {
    let out = maskPieces(text, [...this.secrets]);
    out = out.replace(/\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1$2${MASK}`);
    out = out.replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, MASK);
    out = out.replace(CREDENTIAL_FIELD, (m: string, head: string, value: string) => (value === MASK ? m : `${head}${MASK}`));
    return redactSecrets(out, []);
  }

  /** Secrets out, the text decoded, secrets out again, then the given children's values. */
  textAndValues(text: string, values: Iterable<string> | ChildValues): string {
    const cv = values instanceof ChildValues ? values : new ChildValues(values);
    return cv.redact(this.text(unescapeText(this.text(text))));
  }
}

// ------------------------------------------------------------------ children's values

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_RE = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const TIME_RE = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,7})?)?(?:\\s?[AaPp][Mm])?(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
/** Dates in the common formats: ISO, d/m/y and m/d/y with / - . separators, yyyymmdd, "4 March 2018", "March 4, 2018". */
const DATE_PATTERNS: Array<{ re: RegExp; ymd: (m: RegExpExecArray) => Array<[string, string, string]> }> = [
  { re: new RegExp(`${B}(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})${TIME_RE}${E}`, 'gu'), ymd: (m) => [[m[1]!, m[2]!, m[3]!]] },
  {
    re: new RegExp(`${B}(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})${TIME_RE}${E}`, 'gu'),
    ymd: (m) => [
      [m[3]!, m[2]!, m[1]!],
      [m[3]!, m[1]!, m[2]!],
    ],
  },
  { re: new RegExp(`${B}(\\d{4})(\\d{2})(\\d{2})${E}`, 'gu'), ymd: (m) => [[m[1]!, m[2]!, m[3]!]] },
  {
    re: new RegExp(`${B}(\\d{2})(\\d{2})(\\d{4})${E}`, 'gu'),
    ymd: (m) => [
      [m[3]!, m[2]!, m[1]!],
      [m[3]!, m[1]!, m[2]!],
    ],
  },
  {
    re: new RegExp(`${B}(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+(${MONTH_RE})\\.?[\\s,-]+(\\d{4})${TIME_RE}${E}`, 'giu'),
    ymd: (m) => [[m[3]!, String(MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1), m[1]!]],
  },
  {
    re: new RegExp(`${B}(${MONTH_RE})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME_RE}${E}`, 'giu'),
    ymd: (m) => [[m[3]!, String(MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1), m[2]!]],
  },
];
const POSTCODE = /(?<![\p{L}\p{N}])([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})(?![\p{L}\p{N}])/giu;
const POSTCODE_VALUE = /^\s*([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\s*$/i;

function ymdKey(y: string, m: string, d: string): string {
  return `${y.padStart(4, '0')}${m.padStart(2, '0')}${d.padStart(2, '0')}`;
}

/**
 * The values of the children in one request, ready to be found in text: each value on token
 * boundaries (not inside a longer word or number), any case, apostrophes of any kind; dates by
 * their digits; postcodes with or without the space.
 */
export class ChildValues {
  private literalRe: RegExp | null | undefined;
  private readonly words = new Set<string>();
  private readonly dates = new Set<string>();
  private readonly postcodes = new Set<string>();

  constructor(values: Iterable<string>) {
    const words = this.words;
    for (const raw of values) {
      const v = plainQuotes(raw.trim());
      if (v.length < 2) continue;
      words.add(v);
      const d = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(v);
      if (d) this.dates.add(ymdKey(d[1]!, d[2]!, d[3]!));
      const p = POSTCODE_VALUE.exec(v);
      if (p) this.postcodes.add(`${p[1]}${p[2]}`.toUpperCase());
      // The parts of a name of several words, each on its own (an API may echo only one).
      if (!d && !p && /\s/.test(v) && /\p{L}/u.test(v)) for (const part of v.split(/\s+/)) if (part.length >= 3) words.add(part);
    }
  }

  /** Built on first use (most requests never need it: their answer is a success). */
  private get literal(): RegExp | null {
    if (this.literalRe === undefined) {
      const list = [...this.words].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.literalRe = list.length ? new RegExp(`${B}(?:${list.join('|')})${E}`, 'giu') : null;
    }
    return this.literalRe;
  }

  /** The text with every value of these children replaced by ***. */
  redact(text: string): string {
    let out = plainQuotes(text);
    for (const p of DATE_PATTERNS) {
      p.re.lastIndex = 0;
      out = out.replace(p.re, (...args: unknown[]) => {
        const m = args.slice(0, -2) as unknown as RegExpExecArray;
        return p.ymd(m).some(([y, mo, d]) => this.dates.has(ymdKey(y, mo, d))) ? MASK : m[0]!;
      });
    }
    if (this.postcodes.size) out = out.replace(POSTCODE, (m: string, a: string, b: string) => (this.postcodes.has(`${a}${b}`.toUpperCase()) ? MASK : m));
    if (this.literal) out = out.replace(this.literal, MASK);
    return out;
  }
}

/** Replace each value (on token boundaries, any case, any escaping of the text) with ***. */
export function redactValues(text: string, values: Iterable<string>): string {
  return new ChildValues(values).redact(unescapeText(text));
}

/** One line, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  const t = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
