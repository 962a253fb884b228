// The text report of `ssd send`: records not sent grouped by reason, rows not read, the safety stop.
import assert from 'node:assert/strict';
import { printSendReport, sendExitCode } from '../../../src/send/cli';
import { massDeletionLimit, type SendReport } from '../../../src/send/runSend';

function report(over: Partial<SendReport> = {}): SendReport {
  return {
    mode: 'test',
    schema: 'public',
    table: 'ssd_api_data_staging',
    partial: false,
    url: 'https://h/1/children_social_care_data/845/children',
    batchSize: 100,
    queued: 0,
    full: 0,
    partialPayloads: 0,
    deletions: 0,
    batches: 0,
    batchSizes: [],
    largestRequestBytes: 0,
    requests: 0,
    retries: 0,
    tokenRequests: 0,
    sent: 0,
    rejected: 0,
    failed: 0,
    invalid: 0,
    notSent: 0,
    notRead: 0,
    deletionsQueued: 0,
    deletionLimit: 25,
    supersededWhileSending: 0,
    issues: [],
    stopped: null,
    seconds: 1,
    ...over,
  };
}

describe('send: text report', () => {
  it('one line per reason, not one per record; rejections naming their own id group together', () => {
    const failed = Array.from({ length: 100 }, (_, i) => ({ personId: `P${i}`, outcome: 'failed' as const, reason: 'HTTP 503 Service Unavailable; gave up after 5 attempts' }));
    const rejected = ['R1', 'R2'].map((id) => ({
      personId: id,
      outcome: 'rejected' as const,
      reason: `HTTP 400 Bad Request: ValidationFailed; record [0]; la_child_id ${id}; field child_details.upn`,
    }));
    const lines: string[] = [];
    printSendReport(report({ queued: 300, failed: 100, rejected: 2, issues: [...failed, ...rejected], notRead: 198, stopped: { kind: 'endpoint', reason: 'HTTP 503' } }), (l) => lines.push(l));
    const text = lines.join('\n');
    assert.equal(lines.filter((l) => l.includes('HTTP 503 Service Unavailable; gave up')).length, 1, text);
    assert.match(text, /^ {4}100 records: P0, P1, P2, P3, P4, P5, P6, P7, P8, P9 … and 90 more \(--json lists them all\)$/m);
    assert.match(text, /^ {2}rejected {2}HTTP 400 Bad Request: ValidationFailed; record \[0\]; field child_details\.upn$/m);
    assert.match(text, /^ {4}2 records: R1, R2$/m);
    assert.match(text, /^ {2}not read {8}198 {2}\(still queued: the run stopped before reading them\)$/m);
  });

  it('the safety stop: max(25, 2%) of the acknowledged children; exit 1; a lost lock exits 2', () => {
    assert.deepEqual([0, 1000, 1250, 1300, 9509].map(massDeletionLimit), [25, 25, 25, 26, 190]);
    assert.equal(sendExitCode(report({ stopped: { kind: 'mass-deletion', reason: 'x' } })), 1);
    assert.equal(sendExitCode(report({ stopped: { kind: 'lock-lost', reason: 'x' } })), 2);
    const lines: string[] = [];
    printSendReport(report({ mode: 'dry-run', deletionsQueued: 30, deletionLimit: 25 }), (l) => lines.push(l));
    assert.ok(
      lines.some((l) => l.startsWith('Safety stop: 30 deletion payloads (purges at the DfE) are queued, more than the 25')),
      lines.join('\n'),
    );
  });
});
