// The HTTP client against a real local server (node:http on 127.0.0.1): token cache and refresh,
// headers, retries with backoff and Retry-After, timeouts, network errors, 403, 404, malformed 2xx.
// Sleeps are injected (recorded, not waited).
import assert from 'node:assert/strict';
import { ApiClient, TokenError, childrenUrl } from '../../../src/send/apiClient';
import { Redactor } from '../../../src/send/redact';
import { DEFAULT_RETRY_POLICY } from '../../../src/send/retry';
import { CLIENT_SECRET, endpointOf, FAST_POLICY, fakeTiming, LA_CODE, startMockApi, SUPPLIER_KEY, type MockApi } from '../../integration/send/mockApi';

const child = (id: string) => ({ la_child_id: id, purge: false, child_details: { first_name: 'Zoë', surname: "O'Brien", sex: 'F', uasc_flag: false, purge: false } });
const body = (ids: string[]) => JSON.stringify(ids.map(child));

describe('send: API client against a local HTTP server', function () {
  let api: MockApi;
  beforeEach(async () => {
    api = await startMockApi();
  });
  afterEach(async () => {
    await api.close();
  });

  function client(extra: { timeoutMs?: number; endpoint?: ReturnType<typeof endpointOf> } = {}) {
    const ft = fakeTiming();
    const redactor = new Redactor();
    const c = new ApiClient({
      endpoint: extra.endpoint ?? endpointOf(api),
      policy: { ...DEFAULT_RETRY_POLICY, ...FAST_POLICY, requestTimeoutMs: extra.timeoutMs ?? 2000 },
      timing: ft.timing,
      redactor,
    });
    return { c, ft, redactor };
  }

  it('builds the children URL from the base URL and the LA code', () => {
    assert.equal(childrenUrl('https://h/x/1/', '845'), 'https://h/x/1/children_social_care_data/845/children');
  });

  it('gets one token, caches it until it expires, and sends the contract headers and a UTF-8 JSON array', async () => {
    const { c, ft } = client();
    const r1 = await c.postChildren(body(['A1', 'A2']), 2, []);
    const r2 = await c.postChildren(body(['A3']), 1, []);
    assert.equal(r1.kind, 'ok');
    assert.equal(r2.kind, 'ok');
    if (r1.kind === 'ok')
      assert.deepEqual(
        r1.tokens.map((t) => t.uuid),
        ['A1', 'A2'].map((id) => api.acks.get(id)!.uuid),
      );
    assert.equal(api.tokenRequests, 1);
    const h = api.requests[0]!.headers;
    assert.match(String(h.authorization), /^Bearer tok-/);
    assert.equal(h.supplierkey, SUPPLIER_KEY);
    assert.match(String(h['content-type']), /^application\/json/);
    assert.equal(api.requests[0]!.laCode, LA_CODE);
    assert.equal((api.requests[0]!.children[0]!.child_details as { first_name: string }).first_name, 'Zoë');
    // An hour later the token has expired: a new one.
    ft.advance(3600 * 1000);
    await c.postChildren(body(['A4']), 1, []);
    assert.equal(api.tokenRequests, 2);
  });

  it('429 with Retry-After: waits what the API asked, then sends', async () => {
    const { c, ft } = client();
    api.script.push({ kind: 'status', status: 429, headers: { 'Retry-After': '7' }, body: '{"message":"Rate limit exceeded"}' });
    const r = await c.postChildren(body(['B1']), 1, []);
    assert.equal(r.kind, 'ok');
    assert.equal(api.requests.length, 2);
    assert.equal(ft.sleeps.length, 1);
    assert.ok(ft.sleeps[0]! >= 7000 && ft.sleeps[0]! <= 8000, String(ft.sleeps));
    assert.equal(c.retries, 1);
  });

  it('503 twice then success: exponential backoff between attempts', async () => {
    const { c, ft } = client();
    api.script.push({ kind: 'status', status: 503, body: 'down' }, { kind: 'status', status: 502, body: '<html>bad gateway</html>' });
    const r = await c.postChildren(body(['C1']), 1, []);
    assert.equal(r.kind, 'ok');
    assert.equal(api.requests.length, 3);
    assert.deepEqual(ft.sleeps, [8, 15]); // random 0.5: 10*(0.75), 20*(0.75)
  });

  it('5xx every time: gives up after the attempts, with the status in the reason', async () => {
    const { c } = client();
    for (let i = 0; i < 10; i++) api.script.push({ kind: 'status', status: 500, body: '{"code":"Boom","message":"internal"}' });
    const r = await c.postChildren(body(['C2']), 1, []);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') assert.match(r.reason, /HTTP 500 Internal Server Error: Boom: internal; gave up after 4 attempts/);
    assert.equal(api.requests.length, 4);
  });

  it('a request with no answer times out and is retried', async () => {
    const { c } = client({ timeoutMs: 300 });
    api.script.push({ kind: 'hang' });
    const started = Date.now();
    const r = await c.postChildren(body(['D1']), 1, []);
    assert.equal(r.kind, 'ok');
    assert.equal(api.requests.length, 2);
    assert.ok(Date.now() - started >= 250);
  });

  it('a dropped connection is a network error, retried', async () => {
    const { c } = client();
    api.script.push({ kind: 'reset' });
    const r = await c.postChildren(body(['D2']), 1, []);
    assert.equal(r.kind, 'ok');
    assert.equal(api.requests.length, 2);
  });

  it('nothing listening: network errors, then failed', async () => {
    const closed = await startMockApi();
    await closed.close();
    const e = { ...endpointOf(api), baseUrl: closed.baseUrl };
    const { c } = client({ endpoint: e });
    const r = await c.postChildren(body(['D3']), 1, []);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') assert.match(r.reason, /network error \(ECONNREFUSED\); gave up after 4 attempts/);
  });

  it('401 once: refreshes the token and sends again; 401 with a fresh token too: fails as an auth problem', async () => {
    const { c } = client();
    await c.postChildren(body(['E0']), 1, []);
    api.script.push({ kind: 'revoke' });
    const r = await c.postChildren(body(['E1']), 1, []);
    assert.equal(r.kind, 'ok');
    assert.equal(api.tokenRequests, 2);
    assert.equal(api.requests.at(-2)!.status, 401);

    api.script.push({ kind: 'status', status: 401, body: '{"message":"nope"}' }, { kind: 'status', status: 401, body: '{"message":"nope"}' });
    const r2 = await c.postChildren(body(['E2']), 1, []);
    assert.equal(r2.kind, 'failed');
    if (r2.kind === 'failed') {
      assert.equal(r2.auth, true);
      assert.match(r2.reason, /HTTP 401/);
    }
  });

  it('403 backs off long, then succeeds', async () => {
    const { c, ft } = client();
    api.script.push({ kind: 'status', status: 403, body: 'Forbidden by WAF' });
    const r = await c.postChildren(body(['F1']), 1, []);
    assert.equal(r.kind, 'ok');
    assert.deepEqual(ft.sleeps, [750]); // forbiddenBaseDelayMs 1000 with jitter 0.5
  });

  it('400 / 413 / 422 are content refusals (no retry); 404 fails at once with a hint', async () => {
    const { c } = client();
    for (const s of [400, 413, 422]) {
      api.script.push({ kind: 'status', status: s, body: JSON.stringify({ code: 'Invalid', message: 'first_name Zoë is wrong' }) });
      const r = await c.postChildren(body(['G1']), 1, ['Zoë']);
      assert.equal(r.kind, 'rejected');
      // The API's code only: never its free text (it may quote a child's data).
      if (r.kind === 'rejected') {
        assert.equal(r.status, s);
        assert.ok(!r.reason.includes('Zoë') && !r.reason.includes('wrong'), r.reason);
        assert.match(r.reason, /^HTTP \d{3} [A-Za-z ]+: Invalid$/);
      }
    }
    const e = { ...endpointOf(api), baseUrl: api.baseUrl.replace('/api', '/wrong') };
    const { c: c2 } = client({ endpoint: e });
    const n = api.requests.length;
    const r = await c2.postChildren(body(['G2']), 1, []);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') assert.match(r.reason, /HTTP 404 Not Found.*check the base URL and the LA code/);
    assert.equal(api.requests.length, n); // /wrong is not the children route: the server did not count it
  });

  it('a 2xx whose tokens do not match the records is malformed, never ok', async () => {
    const { c } = client();
    api.script.push({ kind: 'short-body' });
    const r = await c.postChildren(body(['H1', 'H2']), 2, []);
    assert.equal(r.kind, 'malformed');
    if (r.kind === 'malformed') assert.match(r.reason, /HTTP 200 OK but the response holds 1 token\(s\) for 2 record\(s\)/);
    api.script.push({ kind: 'status', status: 204 });
    const r2 = await c.postChildren(body(['H3']), 1, []);
    assert.equal(r2.kind, 'malformed');
  });

  it('a wrong client secret: TokenError, and the secret echoed by the server is redacted', async () => {
    const { c } = client({ endpoint: { ...endpointOf(api), clientSecret: 'Wrong-Secret-999' } });
    await assert.rejects(c.getToken(), (e: Error) => {
      assert.ok(e instanceof TokenError);
      assert.match(e.message, /invalid_client/);
      assert.ok(!e.message.includes('Wrong-Secret-999'), e.message);
      return true;
    });
    assert.ok(!CLIENT_SECRET.includes('Wrong'));
  });

  it('token endpoint 503 (Retry-After) then success: retried; 400 invalid_scope: TokenError at once', async () => {
    const { c, ft } = client();
    api.tokenScript.push({ kind: 'status', status: 503, headers: { 'Retry-After': '2' }, body: 'busy' });
    const tok = await c.getToken();
    assert.match(tok, /^tok-/);
    assert.equal(api.tokenRequests, 2);
    assert.ok(ft.sleeps[0]! >= 2000 && ft.sleeps[0]! < 3000);
    const { c: c2 } = client({ endpoint: { ...endpointOf(api), scope: 'api://other/.default' } });
    await assert.rejects(c2.getToken(), /could not get an access token: token endpoint: HTTP 400 Bad Request: invalid_scope/);
    assert.equal(api.tokenRequests, 3);
  });

  it('API errors are explained briefly from JSON or text bodies (5xx: code and message)', async () => {
    const { c } = client();
    api.script.push({ kind: 'status', status: 404, body: '{"code":"X1","message":"bad thing","errors":[1,2]}' });
    const r = await c.postChildren(body(['J1']), 1, []);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') assert.match(r.reason, /^HTTP 404 Not Found: X1: bad thing \(check the base URL/);
  });
});
