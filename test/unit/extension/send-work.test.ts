// The pure decisions of "SSD: Send Staged Payloads": modes, missing and wrong settings, refusals,
// the confirmation text, the secrets' scope, progress, the notification and the report.
import assert from 'node:assert/strict';
import {
  apiSettingsProblem,
  endpointHost,
  missingApiSettings,
  packSecret,
  secretScope,
  SEND_MODE_ITEMS,
  sendConfirmation,
  sendPercent,
  sendRefusal,
  sendRefusedUpFront,
  sendReportData,
  sendSummary,
  statusBars,
  unpackSecret,
  type ApiSettings,
} from '../../../src/extension/core/sendWork';
import type { SendReport } from '../../../src/send/runSend';

const API: ApiSettings = {
  baseUrl: 'https://api.example.gov.uk/children-in-social-care-data-receiver-test/1',
  tokenUrl: 'https://login.example.com/tenant/oauth2/v2.0/token',
  scope: 'api://csc/.default',
  clientId: 'client-1',
  laCode: '845',
};

function report(over: Partial<SendReport> = {}): SendReport {
  return {
    mode: 'test',
    schema: 'public',
    table: 'ssd_api_data_staging',
    partial: false,
    url: 'https://api.example.gov.uk/children-in-social-care-data-receiver-test/1/children_social_care_data/845/children',
    batchSize: 100,
    queued: 120,
    full: 110,
    partialPayloads: 0,
    deletions: 10,
    batches: 2,
    batchSizes: [100, 20],
    largestRequestBytes: 204_800,
    requests: 3,
    retries: 1,
    tokenRequests: 1,
    sent: 117,
    rejected: 1,
    failed: 0,
    invalid: 2,
    notSent: 0,
    notRead: 0,
    deletionsQueued: 10,
    deletionLimit: 25,
    supersededWhileSending: 0,
    issues: [
      { personId: 'P1', outcome: 'rejected', reason: 'HTTP 400 Bad Request: ValidationFailed: Malformed payload at [0]' },
      { personId: 'P2', outcome: 'invalid', reason: 'required /child_details: must have unique_pupil_number' },
      { personId: 'P3', outcome: 'invalid', reason: 'type /x: must be string' },
    ],
    stopped: null,
    seconds: 4.2,
    ...over,
  };
}

const ctx = { target: 'LA server: mssql://sql01/ssd', schema: 'public', startedAt: new Date('2026-11-25T09:00:00Z'), elapsedMs: 4300 };

describe('send command (pure parts)', () => {
  it('offers the dry run first, then the test and live endpoints', () => {
    assert.deepEqual(
      SEND_MODE_ITEMS.map((i) => i.mode),
      ['dry-run', 'test', 'live'],
    );
    assert.equal(SEND_MODE_ITEMS[0]!.label, 'Dry run (nothing leaves this machine)');
    assert.equal(SEND_MODE_ITEMS[1]!.label, 'DfE test endpoint');
    assert.equal(SEND_MODE_ITEMS[2]!.label, 'DfE live endpoint');
  });

  it('names the settings test and live need; a dry run needs none', () => {
    const none: ApiSettings = { baseUrl: '', tokenUrl: '', scope: '', clientId: '', laCode: undefined };
    assert.deepEqual(missingApiSettings('dry-run', none), []);
    assert.deepEqual(missingApiSettings('test', none), ['ssd.api.baseUrl', 'ssd.api.tokenUrl', 'ssd.api.scope', 'ssd.api.clientId', 'ssd.laCode']);
    assert.deepEqual(missingApiSettings('live', { ...API, scope: '  ' }), ['ssd.api.scope']);
    assert.deepEqual(missingApiSettings('live', { ...API, laCode: undefined }), ['ssd.laCode']);
    assert.deepEqual(missingApiSettings('test', API), []);
  });

  it("checks the URLs and LA code with the core's rules, naming the setting", () => {
    assert.equal(apiSettingsProblem('test', API), undefined);
    assert.equal(apiSettingsProblem('test', { ...API, baseUrl: 'http://127.0.0.1:8080/api', tokenUrl: 'http://localhost:8080/token' }), undefined, 'plain http to this machine is allowed');
    assert.match(apiSettingsProblem('live', { ...API, baseUrl: 'http://api.example.gov.uk/x' })!, /^ssd\.api\.baseUrl must be https:\/\//);
    assert.match(apiSettingsProblem('live', { ...API, tokenUrl: 'https://user:pw@login.example.com/t' })!, /^ssd\.api\.tokenUrl must not carry a user name or password/);
    assert.match(apiSettingsProblem('test', { ...API, baseUrl: 'not a url' })!, /ssd\.api\.baseUrl is not a URL/);
    assert.match(apiSettingsProblem('test', { ...API, laCode: '84' })!, /3-digit code \(the ssd\.laCode setting/);
    assert.equal(apiSettingsProblem('dry-run', { ...API, baseUrl: 'http://x.example' }), undefined, 'a dry run sends nothing');
  });

  it('refuses the demo database for test and live, and the _anon table for live', () => {
    assert.equal(sendRefusal('dry-run', { isDemo: true, table: 'ssd_api_data_staging_anon' }), undefined);
    assert.match(sendRefusal('test', { isDemo: true, table: 'ssd_api_data_staging_anon' })!, /demo database .* never sent/);
    assert.match(sendRefusal('live', { isDemo: true, table: 'ssd_api_data_staging' })!, /demo database/);
    assert.match(sendRefusal('live', { isDemo: false, table: 'ssd_api_data_staging_anon' })!, /live endpoint takes only ssd_api_data_staging/);
    assert.equal(sendRefusal('test', { isDemo: false, table: 'ssd_api_data_staging_anon' }), undefined);
    assert.equal(sendRefusal('live', { isDemo: false, table: 'ssd_api_data_staging' }), undefined);
    // A connection whose schema holds fake data (ssd fake): the core's rule, the same words as the CLI.
    const fake = { schema: 'dev', runs: 1, latest: { runNo: 1, status: 'complete', children: 10, asOf: '2026-08-10', startedAt: null, stagedFrom: null } };
    assert.match(
      sendRefusal('test', { isDemo: false, table: 'ssd_api_data_staging', fake })!,
      /^Refusing to send to the DfE test endpoint: schema dev holds fake data .* Use a dry run to see the requests/,
    );
    assert.equal(sendRefusal('dry-run', { isDemo: false, table: 'ssd_api_data_staging', fake }), undefined);
  });

  it('refuses the demo and fake data up front (before any endpoint is offered), not a table only live refuses', () => {
    assert.match(sendRefusedUpFront({ isDemo: true, table: 'ssd_api_data_staging_anon' })!, /^The demo database holds fake children made on this machine: it is never sent to a DfE endpoint/);
    const fake = { schema: 'dev', runs: 1, latest: { runNo: 1, status: 'complete', children: 10, asOf: '2026-08-10', startedAt: null, stagedFrom: null } };
    assert.match(sendRefusedUpFront({ isDemo: false, table: 'ssd_api_data_staging', fake })!, /^Refusing to send to a DfE endpoint: schema dev holds fake data/);
    assert.equal(sendRefusedUpFront({ isDemo: false, table: 'ssd_api_data_staging_anon' }), undefined, 'test may take the _anon table');
    assert.equal(sendRefusedUpFront({ isDemo: false, table: 'ssd_api_data_staging' }), undefined);
  });

  it('asks before sending, naming the endpoint host, LA code, table and records', () => {
    const c = sendConfirmation({
      mode: 'live',
      baseUrl: API.baseUrl,
      laCode: '845',
      connection: 'LA server (mssql://sql01/ssd)',
      schema: 'dbo',
      table: 'ssd_api_data_staging',
      queued: 1204,
      invalid: 4,
      partial: true,
    });
    assert.equal(c.message, 'Send 1,200 records from dbo.ssd_api_data_staging to the LIVE DfE endpoint api.example.gov.uk as LA 845?');
    assert.equal(c.button, 'Send to Live');
    assert.match(c.detail, /POST https:\/\/api\.example\.gov\.uk\/children-in-social-care-data-receiver-test\/1\/children_social_care_data\/845\/children/);
    assert.match(c.detail, /LA server \(mssql:\/\/sql01\/ssd\), table dbo\.ssd_api_data_staging/);
    assert.match(c.detail, /1,204 records queued; 4 fail the DfE schema/);
    assert.match(c.detail, /Partial payloads/);
    assert.match(c.detail, /^Purges: 0 deletion payloads \(children deleted at the DfE\)\.$/m);
    assert.equal(c.allowMassDeletion, false);
    // More purges than the safety stop: said in the question, on its own line, and only an explicit button sends them.
    const m = sendConfirmation({
      mode: 'live',
      baseUrl: API.baseUrl,
      laCode: '845',
      connection: 'x',
      schema: 'dbo',
      table: 'ssd_api_data_staging',
      queued: 1204,
      invalid: 0,
      partial: false,
      deletions: 300,
      deletionLimit: 25,
    });
    assert.match(m.message, /300 of them ask the DfE to purge a child: more than the 25 a run sends without asking\./);
    assert.match(m.detail, /^Purges: 300 deletion payloads \(children deleted at the DfE\) — more than the safety stop's 25/m);
    assert.equal(m.button, 'Send to Live, Including 300 Purges');
    assert.equal(m.allowMassDeletion, true);
    const few = sendConfirmation({
      mode: 'test',
      baseUrl: API.baseUrl,
      laCode: '845',
      connection: 'x',
      schema: 'dbo',
      table: 'ssd_api_data_staging',
      queued: 10,
      invalid: 0,
      partial: false,
      deletions: 1,
      deletionLimit: 25,
    });
    assert.match(few.detail, /^Purges: 1 deletion payload \(children deleted at the DfE\)\.$/m);
    assert.equal(few.button, 'Send to Test');
    const t = sendConfirmation({
      mode: 'test',
      baseUrl: 'http://127.0.0.1:5000/api',
      laCode: '201',
      connection: 'x',
      schema: 'public',
      table: 'ssd_api_data_staging_anon',
      queued: 1,
      invalid: 0,
      partial: false,
    });
    assert.equal(t.message, 'Send 1 record from public.ssd_api_data_staging_anon to the DfE test endpoint 127.0.0.1:5000 as LA 201?');
    assert.equal(t.button, 'Send to Test');
    assert.equal(endpointHost('https://h.example:8443/a'), 'h.example:8443');
  });

  it('uses a stored secret only for the client id and hosts it was stored for', () => {
    const cs = secretScope('clientSecret', API);
    const sk = secretScope('supplierKey', API);
    assert.equal(unpackSecret(packSecret(cs, 'the-secret'), cs), 'the-secret');
    assert.equal(unpackSecret(packSecret(sk, 'the-key'), sk), 'the-key');
    assert.equal(unpackSecret(packSecret(cs, 'the-secret'), secretScope('clientSecret', { ...API, clientId: 'other' })), undefined);
    assert.equal(unpackSecret(packSecret(cs, 'the-secret'), secretScope('clientSecret', { ...API, tokenUrl: 'https://evil.example/token' })), undefined);
    assert.equal(unpackSecret(packSecret(sk, 'the-key'), secretScope('supplierKey', { ...API, baseUrl: 'https://evil.example/api' })), undefined);
    assert.equal(secretScope('supplierKey', { ...API, baseUrl: `${API.baseUrl}/` }), sk, 'the same host and port: the same key');
    assert.equal(unpackSecret(undefined, cs), undefined);
    assert.equal(unpackSecret('plain text', cs), undefined);
    assert.equal(unpackSecret(packSecret(cs, ''), cs), undefined);
  });

  it('reports progress as records read of those queued, below 100 until the end', () => {
    assert.equal(sendPercent(0, 0), undefined);
    assert.equal(sendPercent(50, 200), 25);
    assert.equal(sendPercent(200, 200), 99);
    assert.equal(sendPercent(300, 200), 99);
  });

  it('sums up a send and a dry run in one line', () => {
    assert.equal(sendSummary(report()), 'Sent public.ssd_api_data_staging to the test endpoint: 120 records queued, 117 sent, 1 rejected, 2 invalid.');
    assert.equal(sendSummary(report({ mode: 'dry-run', queued: 1, batches: 1, invalid: 0 })), 'Dry run of public.ssd_api_data_staging: 1 record queued in 1 request. Nothing was sent.');
    assert.equal(sendSummary(report({ mode: 'dry-run', invalid: 2 })), 'Dry run of public.ssd_api_data_staging: 120 records queued in 2 requests, 2 invalid (would not be sent). Nothing was sent.');
    assert.match(sendSummary(report({ mode: 'live', stopped: { kind: 'endpoint', reason: 'HTTP 404 Not Found' }, notSent: 20 })), /to the live endpoint: .*20 not sent\. Stopped: HTTP 404 Not Found$/);
    assert.match(sendSummary(report({ stopped: { kind: 'cancelled', reason: 'cancelled' } })), / Cancelled\.$/);
  });

  it('maps the send report to the report view: counts, chart, records not sent, outcome', () => {
    const d = sendReportData(
      report(),
      statusBars([
        { submissionStatus: 'Sent', count: 100 },
        { submissionStatus: 'Error', count: 3 },
        { submissionStatus: 'Sent', count: 17 },
        { submissionStatus: null, count: 1 },
      ]),
      ctx,
    );
    assert.equal(d.title, 'Send to the test endpoint: ssd_api_data_staging');
    assert.equal(d.outcome, 'problems');
    const count = (label: string) => d.counts.find((c) => c.label === label)?.value;
    assert.equal(count('Sent'), 117);
    assert.equal(count('Rejected by the API'), 1);
    assert.equal(count('Invalid (not sent)'), 2);
    assert.equal(count('Batches'), 2);
    assert.equal(count('HTTP requests'), 3);
    assert.equal(count('Retries'), 1);
    assert.deepEqual(
      d.charts![0]!.bars.map((b) => [b.label, b.value]),
      [
        ['sent', 117],
        ['rejected', 1],
        ['failed', 0],
        ['invalid', 2],
        ['not sent', 0],
      ],
    );
    assert.deepEqual(d.charts![1], {
      title: 'ssd_api_data_staging by submission_status',
      bars: [
        { label: 'Sent', value: 117 },
        { label: 'Error', value: 3 },
        { label: '(none)', value: 1 },
      ],
    });
    assert.deepEqual(d.findings![0], { severity: 'error', where: 'child P1', rule: 'rejected', message: 'HTTP 400 Bad Request: ValidationFailed: Malformed payload at [0]' });
    assert.equal(d.timings![0]!.value, 4200);
    assert.ok(d.notes!.some((n) => n === `Endpoint: POST ${report().url}`));

    assert.equal(sendReportData(report({ rejected: 0, invalid: 0, issues: [] }), [], ctx).outcome, 'done');
    assert.equal(sendReportData(report({ stopped: { kind: 'cancelled', reason: 'cancelled' } }), [], ctx).outcome, 'cancelled');
    assert.equal(sendReportData(report({ sent: 0, stopped: { kind: 'auth', reason: 'invalid_client' } }), [], ctx).outcome, 'failed');
    assert.equal(sendReportData(report({ stopped: { kind: 'endpoint', reason: 'HTTP 404' } }), [], ctx).outcome, 'problems');
    const many = sendReportData(report({ issues: Array.from({ length: 250 }, (_, i) => ({ personId: `P${i}`, outcome: 'failed' as const, reason: 'HTTP 503' })) }), [], ctx);
    assert.equal(many.findings!.length, 200);
    assert.equal(many.moreFindings, 50);
    assert.equal(many.findings![0]!.severity, 'warning');
    assert.equal(many.charts!.length, 1, 'no table chart without counts');

    const dry = sendReportData(report({ mode: 'dry-run', requests: 0, sent: 0, rejected: 0, issues: [] }), [], ctx);
    assert.equal(dry.title, 'Send (dry run): ssd_api_data_staging');
    assert.equal(dry.counts.find((c) => c.label === 'Requests (would be made)')?.value, 2);
    assert.equal(dry.counts.find((c) => c.label === 'Largest request (KiB)')?.value, 200);
    assert.deepEqual(dry.charts![0]!.bars, [
      { label: 'would be sent', value: 118 },
      { label: 'invalid', value: 2 },
    ]);
    assert.match(dry.notes![0]!, /nothing left this machine/);
  });
});
