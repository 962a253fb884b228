// The DfE API's success body (docs/contract.md "Sending"; docs/upstream.md "The community senders"): a JSON array
// with one token per submitted record, in order, each `yyyy-MM-dd_HH:mm:ss.ff_<uuid>.json`.
// Anything else is not a success: no record is marked Sent from a body we cannot match one to one,
// and that includes a body repeating a token (two records cannot share one acknowledgement).

export interface ResponseToken {
  /** The uuid part (without `.json`): stored in api_response. */
  uuid: string;
  /** The token's time as written by the API, 'YYYY-MM-DDTHH:MM:SS.fff' (no zone: stored as given, treated as UTC). */
  timestamp: string;
}

const TOKEN = /^(\d{4})-(\d{2})-(\d{2})_(\d{2}):(\d{2}):(\d{2})\.(\d{1,7})_([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\.json$/;

/** Parse one token; null when it is not of the documented form or not a real date and time. */
export function parseToken(text: unknown): ResponseToken | null {
  if (typeof text !== 'string') return null;
  const m = TOKEN.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, uuid] = m as unknown as string[];
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
  if (date.getUTCFullYear() !== +y! || date.getUTCMonth() !== +mo! - 1 || date.getUTCDate() !== +d! || date.getUTCHours() !== +h! || date.getUTCMinutes() !== +mi! || date.getUTCSeconds() !== +s!)
    return null;
  const ms = frac!.padEnd(3, '0').slice(0, 3);
  return { uuid: uuid!.toLowerCase(), timestamp: `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}` };
}

export type TokensResult = { ok: true; tokens: ResponseToken[] } | { ok: false; reason: string };

/**
 * Match a success body to the records sent: a JSON array of exactly `expected` tokens, every one of
 * the documented form, no two with the same uuid. The reason never quotes the body (it could echo
 * a child's data).
 */
export function parseTokens(body: string, expected: number): TokensResult {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, reason: body.trim() === '' ? 'the response body is empty' : 'the response body is not JSON' };
  }
  if (!Array.isArray(value)) return { ok: false, reason: 'the response body is not a JSON list of tokens' };
  if (value.length !== expected) return { ok: false, reason: `the response holds ${value.length} token(s) for ${expected} record(s)` };
  const tokens: ResponseToken[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const t = parseToken(value[i]);
    if (!t) return { ok: false, reason: `response token ${i + 1} of ${expected} is not of the form yyyy-MM-dd_HH:mm:ss.ff_<uuid>.json` };
    const first = seen.get(t.uuid);
    if (first !== undefined) return { ok: false, reason: `response tokens ${first + 1} and ${i + 1} of ${expected} are the same (one distinct token per record is needed)` };
    seen.set(t.uuid, i);
    tokens.push(t);
  }
  return { ok: true, tokens };
}
