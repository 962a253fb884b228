// Fault injection: `ssd send` against a DfE stand-in on 127.0.0.1 that misbehaves (500s, 429 with
// Retry-After, hangs, truncated bodies, short and duplicate acknowledgements, 400/422 quoting the
// children, 401/403 echoing the request headers, dropped connections), on every target. After each
// run: no row Sent without a distinct acknowledgement of its own; no piece (6 characters) of any
// secret and no child's name, date of birth or postcode in anything the run wrote (the report,
// --json, the text report, every log line at every level, the editor's report and notification,
// api_response); the run ended within a bound; the exit code is the documented one. And two
// senders at once: one sends, the other exits 2 naming the holder; nothing is sent twice.
// Small cohorts, short timeouts and injected sleeps keep it to seconds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachTarget } from '../../helpers/targets';
import { runCli } from '../../helpers/runCli';
import { openDb } from '../../../src/db/openDb';
import type { Db } from '../../../src/db/types';
import { streamLogger } from '../../../src/log';
import { stageChildren } from '../../../src/staging/stageChildren';
import { stageFromSsd } from '../../../src/staging/runStage';
import { runSend, type SendOptions, type SendReport } from '../../../src/send/runSend';
import { printSendReport, sendExitCode } from '../../../src/send/cli';
import { SECRET_PIECE } from '../../../src/send/redact';
import { acquireTableLock, lockKeys, TableLockedError } from '../../../src/send/tableLock';
import { sendReportData, sendSummary } from '../../../src/extension/core/sendWork';
import type { BuiltChild } from '../../../src/payload/types';
import { child, stream } from '../staging/fixtures';
import { CLIENT_ID, CLIENT_SECRET, endpointOf, FAST_POLICY, fakeTiming, LA_CODE, SCOPE, startMockApi, SUPPLIER_KEY, type Behaviour, type MockApi } from './mockApi';

/** A child whose data an API might echo: a name with an apostrophe and an accent, a date of birth, a postcode. */
function pii(id: string, n: number): BuiltChild {
  const c = child(id);
  const d = c.payload.child_details as Record<string, unknown>;
  d.first_name = ['Siobhán', 'Zoë', 'Ngozi', 'Aoife'][n % 4]!;
  d.surname = ["O'Hara", 'Featherstonehaugh', "D'Souza", 'Ní Bhriain'][n % 4]!;
  d.date_of_birth = `2018-03-${String(1 + (n % 27)).padStart(2, '0')}`;
  d.postcode = ['SW1A 1AA', 'B33 8TH', 'M1 1AE', 'CR2 6XH'][n % 4]!;
  return c;
}

/** The forms a child's data could take in text: names, dates in several formats, postcodes with and without the space. */
function piiForms(c: BuiltChild): string[] {
  const d = c.payload.child_details as Record<string, string>;
  const [y, m, dd] = d.date_of_birth!.split('-');
  return [d.first_name!, d.surname!, d.surname!.replace("'", '\\u0027'), d.date_of_birth!, `${dd}/${m}/${y}`, d.postcode!, d.postcode!.replace(' ', '')];
}

function pieces(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + SECRET_PIECE <= secret.length; i++) out.push(secret.slice(i, i + SECRET_PIECE));
  return out;
}

/** No piece of a secret and no child's data in any of the texts. */
function assertClean(texts: string[], secrets: string[], children: BuiltChild[]): void {
  const all = texts.join('\n');
  for (const s of secrets) for (const p of pieces(s)) assert.ok(!all.includes(p), `a piece of a secret ("${p}") in the output:\n${all.slice(Math.max(0, all.indexOf(p) - 200), all.indexOf(p) + 200)}`);
  for (const c of children) {
    for (const f of piiForms(c)) {
      const at = all.toLowerCase().indexOf(f.toLowerCase());
      assert.ok(at < 0, `a child's data ("${f}") in the output:\n${all.slice(Math.max(0, at - 200), at + 200)}`);
    }
  }
}

interface Row {
  person_id: string;
  submission_status: string;
  api_response: string | null;
}

forEachTarget('ssd send under faults', (fx) => {
  const table = 'ssd_api_data_staging';
  let api: MockApi;
  let kids: BuiltChild[] = [];
  let n = 0;

  beforeEach(async () => {
    api = await startMockApi();
    // A fresh small cohort each time: every child queued (New/Pending), the others left alone.
    n++;
    kids = Array.from({ length: 6 }, (_, i) => pii(`F${n}x${i}`, i));
    const { db, schema } = fx();
    await db.execute(`DELETE FROM ${fx().t(table)}`).catch(() => undefined);
    await stageChildren(db, stream(kids), { schema, allowEmptyCohort: true });
  });
  afterEach(async () => {
    await api.close();
  });

  async function rows(db: Db): Promise<Row[]> {
    return db.query<Row>(`SELECT person_id, submission_status, CAST(api_response AS ${db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : 'TEXT'}) AS api_response FROM ${fx().t(table)} ORDER BY id`);
  }

  /** Run a send with the given faults; return the report, everything written, and the time taken. */
  async function faulty(script: Behaviour[], o: Partial<SendOptions> = {}) {
    const { db, schema } = fx();
    api.script.push(...script);
    const logs: string[] = [];
    const timing = fakeTiming();
    const t0 = Date.now();
    const r = await runSend(db, {
      mode: 'test',
      schema,
      endpoint: endpointOf(api),
      batchSize: 3,
      policy: { ...FAST_POLICY, requestTimeoutMs: 400 },
      timing: timing.timing,
      logger: streamLogger((l) => logs.push(l), 'trace'),
      ...o,
    });
    const ms = Date.now() - t0;
    const text: string[] = [];
    printSendReport(r, (l) => text.push(l));
    const editor = sendReportData(r, [], { target: 't', schema, startedAt: new Date(), elapsedMs: 1 });
    const after = await rows(db);
    const outputs = [JSON.stringify(r), ...text, ...logs, JSON.stringify(editor), sendSummary(r), ...after.map((x) => x.api_response ?? '')];
    assertClean(outputs, [CLIENT_SECRET, SUPPLIER_KEY, ...api.issuedTokens], kids);
    // No row Sent without a distinct acknowledgement of its own.
    const sent = after.filter((x) => x.submission_status === 'Sent');
    assert.equal(new Set(sent.map((x) => x.api_response)).size, sent.length, 'two rows share an acknowledgement');
    for (const x of sent) assert.equal(x.api_response, api.acks.get(x.person_id)?.uuid, `${x.person_id} Sent without its acknowledgement`);
    assert.equal(r.sent, sent.length);
    return { r, ms, after, logs, text, code: sendExitCode(r) };
  }

  it('500 until the attempts are used up: that batch Error, the run stops, the rest not read (counted), exit 1', async () => {
    const { r, ms, after, code } = await faulty(Array.from({ length: 4 }, () => ({ kind: 'status', status: 500, body: '<html>Internal error</html>' }) as Behaviour));
    assert.deepEqual([r.sent, r.failed, r.notRead], [0, 3, 3]);
    assert.equal(r.stopped?.kind, 'endpoint');
    assert.equal(after.filter((x) => x.submission_status === 'Error').length, 3);
    assert.equal(code, 1);
    assert.ok(ms < 5000, `${ms} ms`);
  });

  it('429 with Retry-After, a hang, a dropped connection: retried, every child Sent once with its own token, exit 0', async () => {
    const { r, ms, code } = await faulty([{ kind: 'status', status: 429, headers: { 'Retry-After': '2' }, body: '' }, { kind: 'hang' }, { kind: 'reset' }]);
    assert.deepEqual([r.sent, r.failed, r.notSent, r.notRead], [6, 0, 0, 0]);
    assert.equal(r.retries, 3);
    assert.equal(code, 0);
    assert.ok(ms < 5000, `${ms} ms`);
  });

  for (const kind of ['short-body', 'dup-body', 'truncated'] as const) {
    it(`a 2xx with ${kind === 'short-body' ? 'one token too few' : kind === 'dup-body' ? 'the same token for every record' : 'a truncated body'}: nothing Sent from it, the run stops, exit 1`, async () => {
      const { r, after, code } = await faulty([{ kind }]);
      assert.deepEqual([r.sent, r.failed], [0, 3]);
      assert.equal(r.stopped?.kind, 'malformed');
      assert.equal(r.notRead, 3);
      assert.ok(after.every((x) => x.submission_status !== 'Sent'));
      assert.equal(code, 1);
    });
  }

  for (const status of [400, 422]) {
    it(`${status} quoting a child (nested, .NET-escaped, date and postcode reformatted): that child rejected with code, record and field only`, async () => {
      const { r, after, logs, code } = await faulty([
        { kind: 'echo-children', status, index: 1 },
        { kind: 'echo-children', status, index: 0 },
        { kind: 'echo-children', status, index: 0 },
      ]);
      assert.equal(r.rejected, 1);
      assert.equal(r.sent, 5);
      const bad = after.find((x) => x.submission_status === 'Error')!;
      assert.match(
        bad.api_response!,
        new RegExp(`^rejected by the API: HTTP ${status} [A-Za-z ]+: ValidationFailed; record \\[0\\]; la_child_id ${bad.person_id}; fields child_details\\.surname, child_details\\.date_of_birth$`),
      );
      // The API's free text reached the debug log only, redacted.
      assert.ok(
        logs.some((l) => l.startsWith('[debug] API said:') && l.includes('is not valid')),
        logs.join('\n'),
      );
      assert.equal(code, 1);
    });
  }

  for (const status of [401, 403]) {
    it(`${status} echoing the Authorization and SupplierKey headers: no piece of either in any output`, async () => {
      const script: Behaviour[] = Array.from({ length: 4 }, () => ({ kind: 'echo-headers', status }));
      const { r, code } = await faulty(script);
      assert.equal(r.sent, 0);
      assert.equal(code, status === 401 ? 2 : 1);
    });
  }

  it('Ctrl+C during a hanging request: the request is abandoned at once, no retry announced or counted, the rows as they were', async () => {
    const c = new AbortController();
    // Ctrl+C once the request hangs at the server.
    const poll = setInterval(() => {
      if (api.requests.length) {
        clearInterval(poll);
        setTimeout(() => c.abort(), 50);
      }
    }, 5);
    const { r, ms, after, logs } = await faulty([{ kind: 'hang' }], { signal: c.signal, policy: { ...FAST_POLICY, requestTimeoutMs: 10_000 } });
    clearInterval(poll);
    assert.ok(ms < 3000, `${ms} ms`); // the request's own timeout is 10 s
    assert.equal(r.stopped?.kind, 'cancelled');
    assert.deepEqual([r.sent, r.retries, r.notSent, r.notRead], [0, 0, 3, 3]);
    assert.ok(!logs.some((l) => /retry/i.test(l)), logs.join('\n'));
    assert.ok(after.every((x) => x.submission_status === 'Pending'));
  });

  it('two senders at once: one sends, the other exits 2 naming who holds the table and since when; nothing is sent twice', async () => {
    const { db, schema, target } = fx();
    // A second connection for the second sender where the target allows one (PGlite: the same process and database).
    const other = target.name === 'pglite' ? db : await openDb(target.url);
    try {
      api.script.push({ kind: 'slow', ms: 800 });
      const a = runSend(db, { mode: 'test', schema, endpoint: endpointOf(api), batchSize: 3, policy: FAST_POLICY, timing: fakeTiming().timing });
      // The first holds the lock once it asks for a token (its first request then hangs 800 ms).
      for (let i = 0; i < 200 && api.tokenRequests === 0; i++) await new Promise((r) => setTimeout(r, 10));
      let refused: unknown;
      try {
        await runSend(other, { mode: 'test', schema, endpoint: endpointOf(api), batchSize: 3, policy: FAST_POLICY, timing: fakeTiming().timing });
      } catch (e) {
        refused = e;
      }
      // Staging the table meanwhile is refused the same way.
      await assert.rejects(stageFromSsd(other, { schema, asOf: '2026-12-01', table, allowEmptyCohort: true }), (e: Error) => e instanceof TableLockedError);
      const r: SendReport = await a;
      assert.ok(refused instanceof TableLockedError, String(refused));
      const msg = (refused as Error).message;
      assert.match(msg, new RegExp(`${schema}\\.${table} is in use by another run: ssd send \\(pid ${process.pid}\\).*since \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC`));
      if (target.name === 'postgres') assert.match(msg, /server session \d+/);
      assert.equal(r.sent, 6);
      const children = api.requests.flatMap((q) => q.children.map((c) => String(c.la_child_id)));
      assert.equal(children.length, 6);
      assert.equal(new Set(children).size, 6);
      // The lock is gone when the run ends: the next run takes it (and finds nothing to send).
      const again = await runSend(other, { mode: 'test', schema, endpoint: endpointOf(api), policy: FAST_POLICY, timing: fakeTiming().timing });
      assert.equal(again.queued, 0);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it('while a run holds the table, `ssd send --mode test` and `ssd stage` on it exit 2 naming the holder (PostgreSQL, from another connection)', async function () {
    const { db, schema, target } = fx();
    if (target.name !== 'postgres') this.skip(); // PGlite: one process per directory (the CLI cannot open it meanwhile)
    const lock = await acquireTableLock(db, { schema, table, purpose: 'ssd send' });
    const saved = { s: process.env.SSD_API_CLIENT_SECRET, k: process.env.SSD_API_SUPPLIER_KEY };
    process.env.SSD_API_CLIENT_SECRET = CLIENT_SECRET;
    process.env.SSD_API_SUPPLIER_KEY = SUPPLIER_KEY;
    try {
      const send = await runCli([
        'send',
        '--db',
        target.url,
        '--schema',
        schema,
        '--mode',
        'test',
        '--la-code',
        LA_CODE,
        '--base-url',
        api.baseUrl,
        '--token-url',
        api.tokenUrl,
        '--scope',
        SCOPE,
        '--client-id',
        CLIENT_ID,
      ]);
      assert.equal(send.code, 2, send.stderr);
      assert.match(send.stderr, new RegExp(`${schema}\\.${table} is in use by another run: ssd send \\(pid ${process.pid}\\), .*server session \\d+.*since .* UTC`));
      const stage = await runCli(['stage', '--db', target.url, '--schema', schema, '--as-of', '2026-12-01', '--allow-empty-cohort']);
      assert.equal(stage.code, 2, stage.stderr);
      assert.match(stage.stderr, /is in use by another run: ssd send/);
      assert.equal(api.requests.length + api.tokenRequests, 0);
    } finally {
      await lock.release();
      if (saved.s === undefined) delete process.env.SSD_API_CLIENT_SECRET;
      else process.env.SSD_API_CLIENT_SECRET = saved.s;
      if (saved.k === undefined) delete process.env.SSD_API_SUPPLIER_KEY;
      else process.env.SSD_API_SUPPLIER_KEY = saved.k;
    }
  });

  // The pg driver's 'error' event on the client holding the lock is handled (postgresDriver.ts):
  // the run stops with 'lock-lost' before the next batch instead of the process dying.
  it('the session holding the lock is lost (PostgreSQL: backend terminated): the run stops before the next batch, exit 2', async function () {
    const { db, schema, target } = fx();
    if (target.name !== 'postgres') this.skip(); // PGlite: in-process, no session to lose
    const { k1, k2 } = lockKeys(schema, table);
    api.script.push({ kind: 'slow', ms: 300 });
    const run = runSend(db, { mode: 'test', schema, endpoint: endpointOf(api), batchSize: 3, policy: FAST_POLICY, timing: fakeTiming().timing });
    for (let i = 0; i < 200 && api.tokenRequests === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const killed = await db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::int::oid AND objid = $2::int::oid AND objsubid = 2`,
      [k1, k2],
    );
    assert.equal(killed.length, 1);
    const r = await run;
    assert.equal(r.stopped?.kind, 'lock-lost');
    assert.equal(r.sent, 3); // the batch in flight is recorded; the next one is not sent
    assert.equal(r.notRead, 3);
    assert.equal(sendExitCode(r), 2);
  });

  it('safety stop: more than max(25, 2%) deletion payloads are refused in test mode without allowMassDeletion (nothing sent), sent with it', async () => {
    const { db, schema } = fx();
    const many = Array.from({ length: 30 }, (_, i) => child(`M${n}x${i}`));
    await stageChildren(db, stream([...kids, ...many]), { schema, allowEmptyCohort: true });
    const first = await runSend(db, { mode: 'test', schema, endpoint: endpointOf(api), policy: FAST_POLICY, timing: fakeTiming().timing });
    assert.equal(first.sent, 36);
    // All 30 leave the cohort: 30 deletion payloads queued (> 25).
    await stageChildren(db, stream(kids), { schema, allowEmptyCohort: true });
    const before = await rows(db);
    const requests = api.requests.length;
    const r = await runSend(db, { mode: 'test', schema, endpoint: endpointOf(api), policy: FAST_POLICY, timing: fakeTiming().timing });
    assert.equal(r.stopped?.kind, 'mass-deletion');
    assert.deepEqual([r.deletionsQueued, r.deletionLimit, r.sent, r.notRead], [30, 25, 0, 30]);
    assert.match(r.stopped!.reason, /^30 deletion payloads are queued.*more than the 25 a run sends without --allow-mass-deletion \(max\(25, 2% of the 36 acknowledged children\)\)/);
    assert.equal(sendExitCode(r), 1);
    assert.equal(api.requests.length, requests);
    assert.deepEqual(await rows(db), before);
    const dry = await runSend(db, { mode: 'dry-run', schema });
    assert.equal(dry.deletionsQueued, 30);
    const ok = await runSend(db, { mode: 'test', schema, endpoint: endpointOf(api), policy: FAST_POLICY, timing: fakeTiming().timing, allowMassDeletion: true });
    assert.deepEqual([ok.sent, ok.deletions, ok.stopped], [30, 30, null]);
  });
});

describe('ssd send CLI under faults [pglite directory]', function () {
  let dir = '';
  let api: MockApi;
  const kids = Array.from({ length: 4 }, (_, i) => pii(`C${i}`, i));
  const ENV = ['SSD_API_CLIENT_SECRET', 'SSD_API_SUPPLIER_KEY', 'SSD_LOG_LEVEL'];
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    for (const k of ENV) saved[k] = process.env[k];
    dir = mkdtempSync(join(tmpdir(), 'ssd-send-faults-'));
    const db = await openDb(`pglite:${dir}`);
    await stageChildren(db, stream(kids), {});
    await db.close();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  beforeEach(async () => {
    api = await startMockApi();
  });
  afterEach(async () => {
    await api.close();
  });

  const args = (extra: string[] = []) => [
    'send',
    '--db',
    `pglite:${dir}`,
    '--mode',
    'test',
    '--batch-size',
    '2',
    '--la-code',
    LA_CODE,
    '--base-url',
    api.baseUrl,
    '--token-url',
    api.tokenUrl,
    '--scope',
    SCOPE,
    '--client-id',
    CLIENT_ID,
    '--timeout',
    '2',
    ...extra,
  ];

  it('401 echoing the headers, then 422 quoting a child: stdout, stderr and --json hold no secret piece and no child data; exit codes 2 and 1', async () => {
    process.env.SSD_API_CLIENT_SECRET = CLIENT_SECRET;
    process.env.SSD_API_SUPPLIER_KEY = SUPPLIER_KEY;
    process.env.SSD_LOG_LEVEL = 'trace';
    api.script.push({ kind: 'echo-headers', status: 401 }, { kind: 'echo-headers', status: 401 });
    const a = await runCli(args());
    assert.equal(a.code, 2, a.stderr);
    api.script.push({ kind: 'echo-children', status: 422, index: 1 }, { kind: 'echo-children', status: 422, index: 0 });
    const b = await runCli(args(['--json']));
    assert.equal(b.code, 1, b.stderr);
    const report = JSON.parse(b.stdout) as SendReport;
    assert.equal(report.rejected, 1);
    const db = await openDb(`pglite:${dir}`);
    const responses = await db.query<{ r: string | null }>('SELECT api_response AS r FROM ssd_api_data_staging');
    await db.close();
    assertClean([a.stdout, a.stderr, b.stdout, b.stderr, ...responses.map((x) => x.r ?? '')], [CLIENT_SECRET, SUPPLIER_KEY, ...api.issuedTokens], kids);
  });
});
