// A local stand-in for the DfE children's social care API and its OAuth2 token endpoint: a real
// HTTP server (node:http) on 127.0.0.1 at a random port. It checks what the contract says a
// request must carry (form fields, bearer token it issued and has not revoked, SupplierKey, JSON
// array of ≤100 children, the LA code in the path) and answers per a script of behaviours, so the
// sender's retries, token refresh, splitting and response parsing are exercised over real sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'test-client';
// Shaped like the real ones (an Entra client secret, an APIM subscription key), with letters that
// cannot occur in the lower-case hex uuids of acknowledgements, so a test can look for any
// 6-character piece of them in what the sender writes.
export const CLIENT_SECRET = 'Xq8~Tz3.vR7_pLm2Kw9-Hd5Nb0YcJf4sGeQ';
export const SUPPLIER_KEY = 'Kq7Zr2Wx9Tm4Pv8Ls3Hn6Jy1Gd5Bc0FwR';
export const SCOPE = 'api://csc-test/.default';
export const LA_CODE = '845';

/** What the next data request gets (taken in order; when the script is empty: the normal answer). */
export type Behaviour =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Never answer (the client must time out). */
  | { kind: 'hang' }
  /** Revoke every token issued so far, then handle the request normally (→ 401 for the old token). */
  | { kind: 'revoke' }
  /** 2xx with one token too few. */
  | { kind: 'short-body' }
  /** Drop the connection without an answer. */
  | { kind: 'reset' }
  /** 2xx with one token per record, all the same (not distinct acknowledgements). */
  | { kind: 'dup-body' }
  /** 2xx whose body is cut in the middle (the connection closed early). */
  | { kind: 'truncated' }
  /** A gateway error (401 / 403 / 500…) echoing the request's headers and the start of its body. */
  | { kind: 'echo-headers'; status: number }
  /**
   * A refusal of content (400 / 422) naming a record of the request by index and la_child_id and
   * quoting its data the way .NET APIs do: nested {"error":{…}} with a JSON string inside,
   * System.Text.Json escaping (O\u0027Hara), the date of birth as dd/MM/yyyy 00:00:00, the
   * postcode without its space.
   */
  | { kind: 'echo-children'; status: number; index?: number }
  /** Answer normally, after this long (ms). */
  | { kind: 'slow'; ms: number };

export interface DataRequest {
  laCode: string;
  children: Array<Record<string, unknown>>;
  status: number;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

export interface MockApi {
  baseUrl: string;
  tokenUrl: string;
  /** Every data request received, whatever the answer. */
  requests: DataRequest[];
  tokenRequests: number;
  /** Every access token issued (to look for pieces of them in what the sender writes). */
  issuedTokens: string[];
  script: Behaviour[];
  /** Same, for token requests ('status' and 'hang' only). */
  tokenScript: Behaviour[];
  /** la_child_ids the API rejects (400 for any request holding one; the message echoes the child's data). */
  rejectIds: Set<string>;
  /** Token lifetime in seconds (expires_in). */
  tokenLifetime: number;
  /** The uuid acknowledged for each la_child_id (last one wins), and the token string. */
  acks: Map<string, { uuid: string; token: string }>;
  /** Runs before a data request is answered (e.g. to restage a row meanwhile). */
  beforeAnswer?: (req: DataRequest) => Promise<void>;
  close(): Promise<void>;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

function tokenFor(time: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const d = `${time.getUTCFullYear()}-${p(time.getUTCMonth() + 1)}-${p(time.getUTCDate())}`;
  const t = `${p(time.getUTCHours())}:${p(time.getUTCMinutes())}:${p(time.getUTCSeconds())}.${p(Math.floor(time.getUTCMilliseconds() / 10))}`;
  return `${d}_${t}_${randomUUID()}.json`;
}

export async function startMockApi(): Promise<MockApi> {
  const valid = new Set<string>();
  const hanging: ServerResponse[] = [];
  const api: MockApi = {
    baseUrl: '',
    tokenUrl: '',
    requests: [],
    tokenRequests: 0,
    issuedTokens: [],
    script: [],
    tokenScript: [],
    rejectIds: new Set(),
    tokenLifetime: 3600,
    acks: new Map(),
    close: async () => undefined,
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/oauth/token') {
        api.tokenRequests++;
        const t = api.tokenScript.shift();
        if (t?.kind === 'hang') {
          hanging.push(res);
          return;
        }
        if (t?.kind === 'status') return send(res, t.status, t.body ?? '', t.headers);
        const f = new URLSearchParams(body);
        if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-www-form-urlencoded') return send(res, 400, { error: 'invalid_request' });
        if (f.get('grant_type') !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type' });
        if (f.get('client_id') !== CLIENT_ID || f.get('client_secret') !== CLIENT_SECRET) {
          // Echo the secret it was given, as some gateways do: the sender must redact it.
          return send(res, 401, { error: 'invalid_client', error_description: `client secret ${f.get('client_secret')} is not valid` });
        }
        if (f.get('scope') !== SCOPE) return send(res, 400, { error: 'invalid_scope' });
        const token = `tok-${randomBytes(24).toString('base64url')}`;
        valid.add(token);
        api.issuedTokens.push(token);
        return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: api.tokenLifetime });
      }
      const m = /^\/api\/children_social_care_data\/([^/]+)\/children$/.exec(url.pathname);
      if (!m) return send(res, 404, { code: 'NotFound', message: 'no such resource' });
      const record: DataRequest = { laCode: m[1]!, children: [], status: 0, headers: req.headers, rawBody: body };
      api.requests.push(record);
      const answer = (status: number, b: unknown, h?: Record<string, string>) => {
        record.status = status;
        send(res, status, b, h);
      };
      const next = api.script.shift();
      if (next?.kind === 'hang') {
        hanging.push(res);
        return;
      }
      if (next?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (next?.kind === 'revoke') valid.clear();
      if (next?.kind === 'status') return answer(next.status, next.body ?? '', next.headers);
      if (next?.kind === 'echo-headers') {
        return answer(next.status, {
          statusCode: next.status,
          message: 'Access denied',
          request: { headers: { Authorization: req.headers.authorization, SupplierKey: req.headers.supplierkey }, body: body.slice(0, 300) },
        });
      }
      if (next?.kind === 'echo-children') {
        const list = JSON.parse(body) as Array<Record<string, unknown>>;
        const i = Math.min(next.index ?? 0, list.length - 1);
        const c = list[i]!;
        const d = (c.child_details ?? {}) as Record<string, unknown>;
        const [y, m, dd] = String(d.date_of_birth ?? '2000-01-01').split('-');
        const inner = JSON.stringify({
          detail: `la_child_id ${String(c.la_child_id)}: ${String(d.first_name)} ${String(d.surname)} born ${dd}/${m}/${y} 00:00:00 at ${String(d.postcode ?? '').replace(/\s/g, '')} is not valid`,
        });
        const dotnet = (t: string) => t.replace(/[+'<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
        record.status = next.status;
        res.writeHead(next.status, { 'Content-Type': 'application/json' });
        res.end(
          dotnet(
            JSON.stringify({
              error: { code: 'ValidationFailed', message: inner, target: `[${i}].child_details.surname` },
              errors: { [`[${i}].child_details.date_of_birth`]: [`${String(d.date_of_birth)} is in the future`] },
            }),
          ),
        );
        return;
      }
      if (next?.kind === 'slow') await new Promise((r) => setTimeout(r, next.ms));
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (req.method !== 'POST' || !auth || !valid.has(auth[1]!)) return answer(401, { statusCode: 401, message: 'Unauthorized. Access token is missing or invalid.' });
      if (req.headers.supplierkey !== SUPPLIER_KEY) return answer(401, { statusCode: 401, message: 'Access denied due to missing or invalid supplier key.' });
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return answer(415, { message: 'json only' });
      let children: unknown;
      try {
        children = JSON.parse(body);
      } catch {
        return answer(400, { code: 'MalformedPayload', message: 'not JSON' });
      }
      if (!Array.isArray(children)) return answer(400, { code: 'MalformedPayload', message: 'the body must be a JSON array' });
      if (children.length > 100) return answer(413, { code: 'PayloadTooLarge', message: 'at most 100 children' });
      record.children = children as Array<Record<string, unknown>>;
      if (api.beforeAnswer) await api.beforeAnswer(record);
      const bad = record.children.findIndex((c) => api.rejectIds.has(String(c.la_child_id)));
      if (bad >= 0) {
        const c = record.children[bad]!;
        const name = (c.child_details as Record<string, unknown> | undefined)?.first_name;
        return answer(400, { code: 'ValidationFailed', message: `Malformed payload at [${bad}]: la_child_id ${String(c.la_child_id)} (${String(name)}) failed validation` });
      }
      const now = new Date();
      const tokens = record.children.map((c) => {
        const token = tokenFor(now);
        api.acks.set(String(c.la_child_id), { uuid: token.split('_')[2]!.replace(/\.json$/, ''), token });
        return token;
      });
      if (next?.kind === 'short-body') return answer(200, tokens.slice(1));
      if (next?.kind === 'dup-body')
        return answer(
          200,
          tokens.map(() => tokens[0]),
        );
      if (next?.kind === 'truncated') {
        record.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(tokens).slice(0, Math.floor(JSON.stringify(tokens).length / 2)));
        return;
      }
      return answer(200, tokens);
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  api.baseUrl = `http://127.0.0.1:${port}/api`;
  api.tokenUrl = `http://127.0.0.1:${port}/oauth/token`;
  api.close = async () => {
    for (const r of hanging) r.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return api;
}

/** The endpoint settings for this server. */
export function endpointOf(api: MockApi) {
  return { baseUrl: api.baseUrl, tokenUrl: api.tokenUrl, laCode: LA_CODE, clientId: CLIENT_ID, scope: SCOPE, clientSecret: CLIENT_SECRET, supplierKey: SUPPLIER_KEY };
}

/** Timing that never waits but records every sleep asked for; now() advances by the sleeps. */
export function fakeTiming() {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    advance(ms: number) {
      clock += ms;
    },
    timing: {
      now: () => clock,
      random: () => 0.5,
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (signal?.aborted) {
          const e = new Error('cancelled');
          e.name = 'CancelledError';
          throw e;
        }
        sleeps.push(ms);
        clock += ms;
      },
    },
  };
}

/** A retry policy with tiny delays, for tests. */
export const FAST_POLICY = {
  maxAttempts: 4,
  baseDelayMs: 10,
  maxDelayMs: 80,
  forbiddenMaxAttempts: 3,
  forbiddenBaseDelayMs: 1000,
  forbiddenMaxDelayMs: 4000,
  maxRetryAfterMs: 60_000,
  requestTimeoutMs: 2000,
  minIntervalMs: 0,
};
