// The DfE children's social care API over HTTP (docs/contract.md "Sending"; docs/upstream.md):
//   POST {base}/children_social_care_data/{la_code}/children, a JSON array of ≤100 children, UTF-8,
//   headers Authorization: Bearer <token>, SupplierKey, Content-Type: application/json;
//   an OAuth2 client-credentials token (form fields grant_type, client_id, client_secret, scope),
//   cached until it expires.
// Every request has a timeout, and the run's signal aborts a request in flight at once. Failures
// are classified and retried per retry.ts; 401 refreshes the token once. Nothing here logs or
// returns a secret or a payload value: error bodies go through describeApiError (apiErrors.ts).
import { describeApiError } from './apiErrors';
import { decideRetry, parseRetryAfter, type FailureKind, type RetryPolicy, type Timing } from './retry';
import { ChildValues, oneLine, type Redactor } from './redact';
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
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusLabel(status: number): string {
  return `HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
}

/** A request id the server gave (for a support ticket), when it is one: never a value. */
function requestId(headers: Headers, redactor: Redactor): string {
  for (const h of ['x-request-id', 'request-id', 'x-correlation-id', 'x-ms-request-id', 'apim-request-id']) {
    const v = headers.get(h);
    if (v) {
      const clean = redactor.text(v).trim();
      return /^[\w.:-]{1,100}$/.test(clean) ? clean : '';
    }
  }
  return '';
}

type Attempt =
  | { ok: true; status: number; headers: Headers; body: string }
  | { ok: false; kind: 'timeout' | 'network'; message: string }
  /** The run's signal aborted the request (Ctrl+C, Cancel): no answer, no retry. */
  | { ok: false; kind: 'cancelled' };

/**
 * One HTTP request with a timeout; the run's signal aborts it at once (the request in flight is
 * dropped, its answer never read). A timeout is not a cancel.
 */
async function attempt(fetchFn: FetchFn, url: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
  if (signal?.aborted) return { ok: false, kind: 'cancelled' };
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, timeoutMs);
  const onAbort = () => ac.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetchFn(url, { ...init, signal: ac.signal, redirect: 'manual' });
    const body = await res.text();
    return { ok: true, status: res.status, headers: res.headers, body };
  } catch (e) {
    if (signal?.aborted && !timedOut) return { ok: false, kind: 'cancelled' };
    const name = e instanceof Error ? e.name : '';
    if (timedOut || name === 'TimeoutError' || name === 'AbortError') return { ok: false, kind: 'timeout', message: `no answer within ${Math.round(timeoutMs / 1000)} s (timeout)` };
    const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
    const code = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
    return { ok: false, kind: 'network', message: `network error (${oneLine(String(code), 80)})` };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function isCancel(e: unknown): boolean {
  return e instanceof Error && e.name === 'CancelledError';
}

function cancelled(): Error {
  const e = new Error('send cancelled');
  e.name = 'CancelledError';
  return e;
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
  /** Cancelled (in flight or while waiting to retry): no answer was read. */
  | { kind: 'cancelled' };

export interface ApiClientOptions {
  endpoint: ApiEndpoint;
  policy: RetryPolicy;
  timing: Timing;
  redactor: Redactor;
  fetch?: FetchFn;
  /** Called for each retry when it is made (reason text, already redacted, and the wait it followed). */
  onRetry?: (what: string, delayMs: number) => void;
  /** The API's free text about an error, redacted (secrets and the request's values out): debug log only. */
  onDebug?: (text: string) => void;
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

  /** Wait before a retry; the retry counts (and is announced) only when it is made. */
  private async retryAfterWait(what: string, delayMs: number, signal?: AbortSignal): Promise<void> {
    await this.o.timing.sleep(delayMs, signal);
    if (signal?.aborted) throw cancelled();
    this.retries++;
    this.o.onRetry?.(what, delayMs);
  }

  /** A valid access token: the cached one until a minute before it expires, else a new one. */
  async getToken(signal?: AbortSignal): Promise<string> {
    const { timing, redactor } = this.o;
    if (this.token && timing.now() < this.token.expiresAt) return this.token.value;
    const e = this.o.endpoint;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: e.clientId, client_secret: e.clientSecret, scope: e.scope });
    const none = new ChildValues([]);
    for (let n = 1; ; n++) {
      this.tokenRequests++;
      const a = await attempt(
        this.fetchFn,
        e.tokenUrl,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': USER_AGENT },
          body: form.toString(),
        },
        this.o.policy.requestTimeoutMs,
        signal,
      );
      if (!a.ok && a.kind === 'cancelled') throw cancelled();
      let kind: FailureKind;
      let what: string;
      let retryAfter: number | null = null;
      if (a.ok && a.status >= 200 && a.status < 300) {
        let v: Record<string, unknown> | null = null;
        try {
          v = JSON.parse(a.body) as Record<string, unknown>;
        } catch {
          /* below */
        }
        const value = v && typeof v.access_token === 'string' ? v.access_token : '';
        if (!value) throw new TokenError(`the token endpoint answered ${statusLabel(a.status)} without an access_token`);
        redactor.add(value);
        const seconds = Number(v!.expires_in);
        const life = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5 * 60_000;
        this.token = { value, expiresAt: timing.now() + Math.max(life - 60_000, life / 2) };
        return value;
      }
      if (a.ok) {
        const d = describeApiError(a.body, { redactor, values: none, content: false });
        if (d.debug) this.o.onDebug?.(`token endpoint ${statusLabel(a.status)}: ${d.debug}`);
        const rid = requestId(a.headers, redactor);
        what = `token endpoint: ${statusLabel(a.status)}${d.summary ? `: ${d.summary}` : ''}${rid ? ` (request id ${rid})` : ''}`;
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
      await this.retryAfterWait(what, d.delayMs, signal);
    }
  }

  private async pace(signal?: AbortSignal): Promise<void> {
    const wait = this.lastRequestAt + this.o.policy.minIntervalMs - this.o.timing.now();
    if (wait > 0) await this.o.timing.sleep(wait, signal);
  }

  /**
   * POST one batch (`body` is the JSON array text of `count` children). Retries per the policy;
   * `values` are the batch's payload values, kept out of every reason; `ids` its la_child_ids in
   * order (a refusal naming one of them says so).
   */
  async postChildren(body: string, count: number, values: Iterable<string> | ChildValues, signal?: AbortSignal, ids: readonly string[] = []): Promise<PostOutcome> {
    const { timing, policy, redactor } = this.o;
    const childValues = values instanceof ChildValues ? values : new ChildValues(values);
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
        const a = await attempt(
          this.fetchFn,
          this.url,
          {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${token}`,
              SupplierKey: this.o.endpoint.supplierKey,
              'Content-Type': 'application/json; charset=utf-8',
              Accept: 'application/json',
              'User-Agent': USER_AGENT,
            },
            body: Buffer.from(body, 'utf8'),
          },
          policy.requestTimeoutMs,
          signal,
        );
        this.lastRequestAt = timing.now();
        if (!a.ok && a.kind === 'cancelled') return { kind: 'cancelled' };
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
          const content = s === 400 || s === 413 || s === 422;
          const d = describeApiError(a.body, { redactor, values: childValues, ids, content });
          if (d.debug) this.o.onDebug?.(`${statusLabel(s)}: ${d.debug}`);
          const rid = requestId(a.headers, redactor);
          what = `${statusLabel(s)}${d.summary ? `: ${d.summary}` : ''}${rid ? ` (request id ${rid})` : ''}`;
          if (content) return { kind: 'rejected', status: s, reason: what };
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
        await this.retryAfterWait(what, d.delayMs, signal);
      }
    } catch (e) {
      if (isCancel(e)) return { kind: 'cancelled' };
      throw e;
    }
  }
}
