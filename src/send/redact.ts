// Keep secrets and children's data out of every message the sender writes (stderr, --json, and
// api_response in the staging table). An API error body may echo what it was sent (a name, a date
// of birth), and a gateway may echo a header: both are replaced by *** before the text goes anywhere.
import { redactSecrets } from '../db/connectionSpec';

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

/** Replace each value (longest first, case-insensitively, also JSON-escaped) with ***. */
export function redactValues(text: string, values: Iterable<string>): string {
  const list = [...new Set([...values].flatMap((v) => {
    // As sent, JSON-escaped, and JSON-escaped to ASCII (\u00eb), as a server may echo it.
    const json = JSON.stringify(v).slice(1, -1);
    const ascii = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return [v, json, ascii];
  }))].filter((v) => v.length >= 2).sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of list) out = out.replace(new RegExp(escapeRegExp(v), 'gi'), '***');
  return out;
}

/** A redactor fed with this run's secrets (client secret, supplier key, access tokens as they are issued). */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: readonly (string | undefined)[] = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (secret && secret.length >= 3) {
      this.secrets.add(secret);
      // Also as it appears form-encoded or URL-encoded.
      const enc = encodeURIComponent(secret);
      if (enc !== secret) this.secrets.add(enc);
    }
  }

  /** Secrets (and connection-string passwords) out. */
  text(text: string): string {
    const list = [...this.secrets].sort((a, b) => b.length - a.length);
    let out = redactSecrets(text, list);
    out = out.replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***');
    return out;
  }

  /** Secrets and the given payload values out. */
  textAndValues(text: string, values: Iterable<string>): string {
    return this.text(redactValues(text, values));
  }
}

/** One line, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  const t = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
