// The DfE children's social care API over HTTP (payload contract §Sending; upstream §5):
//   POST {base}/children_social_care_data/{la_code}/children, a JSON array of ≤100 children, UTF-8,
//   headers Authorization: Bearer <token>, SupplierKey, Content-Type: application/json;
//   an OAuth2 client-credentials token (form fields grant_type, client_id, client_secret, scope),
//   cached until it expires.
// Every request has a timeout (AbortSignal.timeout). Failures are classified and retried per
// retry.ts; 401 refreshes the token once. Nothing here logs or returns a secret or a payload value.
import { decideRetry, parseRetryAfter, type FailureKind, type RetryPolicy, type Timing } from './retry';
import { oneLine, type Redactor } from './redact';
import { parseTokens, type ResponseToken } from './tokens';

export interface ApiEndpoint {
  /** e.g. https://…/children-in-social-care-data-receiver-test/1 (no trailing slash needed). */
  baseUrl: string;
  tokenUrl: string;
  /** The LA's 3-digit code: in the URL only, never in the body. */
  laCode: string;
  clientId: string;
  scope: string;
  clientSecret: string;
  supplierKey: string;
}

export type FetchFn = typeof fetch;

/** Raised when no token can be had (wrong id/secret/scope, token endpoint down): nothing can be sent. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export const USER_AGENT = 'ssd-workbench-sender';

/** The children endpoint for an LA. */
export function childrenUrl(baseUrl: string, laCode: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/children_social_care_data/${encodeURIComponent(laCode)}/children`;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 413: 'Payload Too Large',
  415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function statusLabel(status: number): string {
  return `HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
}

/**
 * The API's own words about an error, short: a JSON body's code and message fields, or the start
 * of a text body, on one line. The caller redacts payload values and secrets from it.
 */
export function apiErrorDetail(body: string, max = 200): string {
  const text = body.trim();
  if (!text) return '';
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const pick = (...keys: string[]) => keys.map((k) => o[k]).find((x) => typeof x === 'string' || typeof x === 'number');
      const code = pick('code', 'error', 'errorCode', 'title', 'statusCode');
      const msg = pick('message', 'error_description', 'detail', 'errorMessage', 'description');
      const errors = Array.isArray(o.errors) ? o.errors.length : o.errors && typeof o.errors === 'object' ? Object.keys(o.errors).length : 0;
      const parts = [code, msg].filter((x) => x !== undefined).map(String);
      if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'} listed`);
      if (parts.length) return oneLine(parts.join(': '), max);
    }
  } catch {
    // not JSON: fall through to text
  }
  return oneLine(text, max);
}

type Attempt =
  | { ok: true; status: number; headers: Headers; body: string }
  | { ok: false; kind: 'timeout' | 'network'; message: string };

async function attempt(fetchFn: FetchFn, url: string, init: RequestInit, timeoutMs: number): Promise<Attempt> {
  try {
    const res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const body = await res.text();
    return { ok: true, status: res.status, headers: res.headers, body };
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, kind: 'timeout', message: `no answer within ${Math.round(timeoutMs / 1000)} s (timeout)` };
    const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
    const code = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
    return { ok: false, kind: 'network', message: `network error (${oneLine(String(code), 80)})` };
  }
}

function isCancel(e: unknown): boolean {
  return e instanceof Error && e.name === 'CancelledError';
}

export type PostOutcome =
  /** 2xx with one token per record, in order. */
  | { kind: 'ok'; status: number; tokens: ResponseToken[] }
  /** 2xx whose body cannot be matched to the records: nothing may be marked Sent. */
  | { kind: 'malformed'; status: number; reason: string }
  /** 400 / 413 / 422: the API refused the content of this request (split it to find the record). */
  | { kind: 'rejected'; status: number; reason: string }
  /** Not the records' fault and not worth going on (retries used up, auth, wrong URL…): stop the run. */
  | { kind: 'failed'; status?: number; reason: string; auth?: boolean }
  /** Cancelled while waiting to retry: not sent. */
  | { kind: 'cancelled' };

export interface ApiClientOptions {
  endpoint: ApiEndpoint;
  policy: RetryPolicy;
  timing: Timing;
  redactor: Redactor;
  fetch?: FetchFn;
  /** Called for each retry (reason text, already redacted, and the wait). */
  onRetry?: (what: string, delayMs: number) => void;
}

/** One run's connection to the API: the token cache, pacing and the retry loop. */
export class ApiClient {
  private readonly fetchFn: FetchFn;
  private token: { value: string; expiresAt: number } | null = null;
  private lastRequestAt = -Infinity;
  /** Requests made (token and data), and retries, for the report. */
  dataRequests = 0;
  tokenRequests = 0;
  retries = 0;

  constructor(private readonly o: ApiClientOptions) {
    this.fetchFn = o.fetch ?? fetch;
    o.redactor.add(o.endpoint.clientSecret);
    o.redactor.add(o.endpoint.supplierKey);
  }

  get url(): string {
    return childrenUrl(this.o.endpoint.baseUrl, this.o.endpoint.laCode);
  }

  invalidateToken(): void {
    this.token = null;
  }

  /** A valid access token: the cached one until a minute before it expires, else a new one. */
  async getToken(signal?: AbortSignal): Promise<string> {
    const { timing } = this.o;
    if (this.token && timing.now() < this.token.expiresAt) return this.token.value;
    const e = this.o.endpoint;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: e.clientId, client_secret: e.clientSecret, scope: e.scope });
    for (let n = 1; ; n++) {
      this.tokenRequests++;
      const a = await attempt(this.fetchFn, e.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': USER_AGENT },
        body: form.toString(),
      }, this.o.policy.requestTimeoutMs);
      let kind: FailureKind;
      let what: string;
      let retryAfter: number | null = null;
      if (a.ok && a.status >= 200 && a.status < 300) {
        let v: Record<string, unknown> | null = null;
        try { v = JSON.parse(a.body) as Record<string, unknown>; } catch { /* below */ }
        const value = v && typeof v.access_token === 'string' ? v.access_token : '';
        if (!value) throw new TokenError(`the token endpoint answered ${statusLabel(a.status)} without an access_token`);
        this.o.redactor.add(value);
        const seconds = Number(v!.expires_in);
        const life = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5 * 60_000;
        this.token = { value, expiresAt: timing.now() + Math.max(life - 60_000, life / 2) };
        return value;
      }
      if (a.ok) {
        const detail = this.o.redactor.text(apiErrorDetail(a.body));
        what = `token endpoint: ${statusLabel(a.status)}${detail ? `: ${detail}` : ''}`;
        if (a.status === 429) kind = 'throttled';
        else if (a.status >= 500 || a.status === 408) kind = 'server';
        else {
          throw new TokenError(`could not get an access token: ${what} (check the client id, client secret, scope and token URL)`);
        }
        retryAfter = parseRetryAfter(a.headers.get('retry-after'), timing.now());
      } else {
        kind = a.kind;
        what = `token endpoint: ${a.message}`;
      }
      const d = decideRetry(n, kind, retryAfter, this.o.policy, timing.random);
      if (!d.retry) throw new TokenError(`could not get an access token: ${what}; ${d.reason}`);
      this.retries++;
      this.o.onRetry?.(what, d.delayMs);
      await timing.sleep(d.delayMs, signal);
    }
  }

  private async pace(signal?: AbortSignal): Promise<void> {
    const wait = this.lastRequestAt + this.o.policy.minIntervalMs - this.o.timing.now();
    if (wait > 0) await this.o.timing.sleep(wait, signal);
  }

  /**
   * POST one batch (`body` is the JSON array text of `count` children). Retries per the policy;
   * `values` are the batch's payload values, kept out of every reason.
   */
  async postChildren(body: string, count: number, values: Iterable<string>, signal?: AbortSignal): Promise<PostOutcome> {
    const { timing, policy, redactor } = this.o;
    const clean = (s: string) => redactor.textAndValues(s, values);
    let refreshed = false;
    try {
      for (let n = 1; ; n++) {
        if (signal?.aborted) return { kind: 'cancelled' };
        let token: string;
        try {
          token = await this.getToken(signal);
        } catch (e) {
          if (isCancel(e)) throw e;
          return { kind: 'failed', reason: redactor.text(e instanceof Error ? e.message : String(e)), auth: true };
        }
        await this.pace(signal);
        this.lastRequestAt = timing.now();
        this.dataRequests++;
        const a = await attempt(this.fetchFn, this.url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            SupplierKey: this.o.endpoint.supplierKey,
            'Content-Type': 'application/json; charset=utf-8',
            Accept: 'application/json',
            'User-Agent': USER_AGENT,
          },
          body: Buffer.from(body, 'utf8'),
        }, policy.requestTimeoutMs);
        this.lastRequestAt = timing.now();
        let kind: FailureKind;
        let what: string;
        let retryAfter: number | null = null;
        if (!a.ok) {
          kind = a.kind;
          what = a.message;
        } else {
          const s = a.status;
          if (s >= 200 && s < 300) {
            const t = parseTokens(a.body, count);
            return t.ok ? { kind: 'ok', status: s, tokens: t.tokens } : { kind: 'malformed', status: s, reason: `${statusLabel(s)} but ${t.reason}` };
          }
          const detail = clean(apiErrorDetail(a.body));
          what = `${statusLabel(s)}${detail ? `: ${detail}` : ''}`;
          if (s === 400 || s === 413 || s === 422) return { kind: 'rejected', status: s, reason: what };
          if (s === 401) {
            if (refreshed) return { kind: 'failed', status: s, reason: `${what} (again with a fresh token: check the client id, scope and supplier key)`, auth: true };
            refreshed = true;
            this.invalidateToken();
            n--; // the refresh does not use up an attempt
            continue;
          }
          retryAfter = parseRetryAfter(a.headers.get('retry-after'), timing.now());
          if (s === 403) kind = 'forbidden';
          else if (s === 429) kind = 'throttled';
          else if (s >= 500 || s === 408) kind = s === 408 ? 'timeout' : 'server';
          else {
            const hint = s === 404 || s === 405 ? ' (check the base URL and the LA code)' : s >= 300 && s < 400 ? ' (a redirect: check the base URL)' : '';
            return { kind: 'failed', status: s, reason: `${what}${hint}` };
          }
        }
        const d = decideRetry(n, kind, retryAfter, policy, timing.random);
        if (!d.retry) return { kind: 'failed', status: a.ok ? a.status : undefined, reason: `${what}; ${d.reason}` };
        this.retries++;
        this.o.onRetry?.(what, d.delayMs);
        await timing.sleep(d.delayMs, signal);
        if (signal?.aborted) return { kind: 'cancelled' };
      }
    } catch (e) {
      if (isCancel(e)) return { kind: 'cancelled' };
      throw e;
    }
  }
}
