import assert from 'node:assert/strict';
import { decideChild, decideGone, invalidRecord, isBuildRecord, LEFT_COHORT_RECORD, prepareChild, withheldReason, type ExistingRow, type GoneRow } from '../../../src/staging/lifecycle';
import type { PayloadProblem } from '../../../src/payload/types';

const err: PayloadProblem = { path: '/la_child_id', rule: 'pattern', message: 'must match ^[A-Za-z0-9_-]+$; has 1 other character', severity: 'error' };
const warn: PayloadProblem = { path: '', rule: 'no-social-care-episodes', message: 'no episode', severity: 'warning' };
const payload = { la_child_id: 'C1', mis_child_id: 'M1', purge: false, child_details: { surname: "O'Brien", purge: false } };
const valid = prepareChild({ personId: 'C1', legacyId: 'M1', payload, problems: [warn] });
const invalid = prepareChild({ personId: 'C1', legacyId: 'M1', payload, problems: [warn, err] });

function row(over: Partial<ExistingRow> = {}): ExistingRow {
  return { id: 7, personId: 'C1', currentHash: valid.hashHex, rowState: 'unchanged', submissionStatus: 'sent', apiResponse: 'uuid-1', acknowledged: true, ...over };
}

describe('staging lifecycle decisions', () => {
  it('prepares the compact text, the hash and validity (warnings do not make a child invalid)', () => {
    assert.equal(valid.jsonText, JSON.stringify(payload));
    assert.match(valid.hashHex, /^[0-9a-f]{64}$/);
    assert.equal(valid.valid, true);
    assert.equal(invalid.valid, false);
  });

  it('reads states and hashes case-insensitively', () => {
    assert.deepEqual(decideChild(valid, row({ currentHash: valid.hashHex.toUpperCase(), rowState: 'UNCHANGED', submissionStatus: 'SENT' }), { partial: false }), { outcome: 'unchanged', write: null });
    assert.equal(decideChild(valid, row({ rowState: 'deleted' }), { partial: false }).outcome, 'updated');
  });

  it("keeps a sender's response on Updated, replaces a build record", () => {
    const d1 = decideChild(valid, row({ currentHash: 'ff' }), { partial: false });
    assert.equal(d1.write?.kind === 'full' && d1.write.apiResponse, 'uuid-1');
    const d2 = decideChild(valid, row({ currentHash: 'ff', submissionStatus: 'Error', apiResponse: invalidRecord([err]) }), { partial: false });
    assert.ok(d2.write?.kind === 'full' && d2.write.apiResponse === null && d2.write.submissionStatus === 'Pending');
  });

  it('an invalid child records only its errors, as path/rule/message (no values)', () => {
    const d = decideChild(invalid, undefined, { partial: true });
    assert.ok(d.write?.kind === 'insert');
    assert.equal(d.write.submissionStatus, 'Withheld', 'never Error: the community senders send Error rows');
    assert.equal(d.write.partialPayload, null, 'nothing to send, so no partial');
    assert.deepEqual(JSON.parse(d.write.apiResponse!), { stage: 'invalid', problems: [{ path: '/la_child_id', rule: 'pattern', message: err.message }] });
    assert.ok(isBuildRecord(d.write.apiResponse));
    assert.ok(!isBuildRecord('{"error":"x"}') && !isBuildRecord(null));
  });

  it('an unchanged invalid child already recorded is untouched; a sender error on a valid unchanged child is left for the sender', () => {
    assert.equal(decideChild(invalid, row({ submissionStatus: 'WITHHELD', apiResponse: invalidRecord([err]) }), { partial: false }).write, null);
    assert.equal(decideChild(valid, row({ submissionStatus: 'Error', apiResponse: 'API error (500)' }), { partial: false }).write, null);
  });

  it('an invalid child held back as Error by an earlier version is moved to Withheld; a Withheld child now valid is queued', () => {
    const old = decideChild(invalid, row({ submissionStatus: 'error', apiResponse: invalidRecord([err]) }), { partial: false });
    assert.ok(old.write?.kind === 'meta' && old.write.submissionStatus === 'Withheld' && old.write.apiResponse === invalidRecord([err]));
    const back = decideChild(valid, row({ submissionStatus: 'Withheld', apiResponse: invalidRecord([err]) }), { partial: false });
    assert.ok(back.write?.kind === 'meta' && back.write.submissionStatus === 'Pending' && back.write.apiResponse === null);
  });

  it("withheldReason: one line from the build's record (rule and path only), nothing for a sender's response", () => {
    assert.equal(withheldReason(invalidRecord([err])), 'invalid: pattern at /la_child_id');
    assert.equal(withheldReason(invalidRecord([err, { ...err, path: '/x' }])), 'invalid: pattern at /la_child_id (and 1 more)');
    assert.equal(withheldReason(LEFT_COHORT_RECORD), 'left the cohort before any acknowledgement: nothing to send');
    assert.equal(withheldReason('send failed: HTTP 503'), undefined);
    assert.equal(withheldReason(null), undefined);
    assert.equal(withheldReason('{"stage":'), undefined);
  });

  function gone(over: Partial<GoneRow> = {}): GoneRow {
    return {
      id: 7,
      personId: 'C1',
      legacyId: ' M1 ',
      currentHash: valid.hashHex,
      rowState: 'Unchanged',
      submissionStatus: 'Sent',
      apiResponse: 'uuid-1',
      acknowledged: true,
      previousJson: JSON.stringify(payload),
      ...over,
    };
  }

  it('deletion payload uses the acknowledged ids; the legacy id (trimmed) only when the acknowledged payload is unknown', () => {
    const a = decideGone(gone({ previousJson: JSON.stringify({ ...payload, la_child_id: 'OLD1', mis_child_id: 'OLDM' }) }), { partial: false });
    assert.ok(a.write?.kind === 'full');
    assert.equal(a.write.jsonPayload, '{"la_child_id":"OLD1","mis_child_id":"OLDM","purge":true}');
    const b = decideGone(gone({ previousJson: null }), { partial: false });
    assert.ok(b.write?.kind === 'full');
    assert.equal(b.write.jsonPayload, '{"la_child_id":"C1","mis_child_id":"M1","purge":true}');
  });

  it('a deletion payload already in place (sent and marked Unchanged) is not queued again; never-acknowledged rows are held back', () => {
    const first = decideGone(gone(), { partial: false });
    assert.ok(first.write?.kind === 'full');
    assert.deepEqual(decideGone(gone({ currentHash: first.write.currentHash, rowState: 'unchanged' }), { partial: false }), { outcome: 'already-deleted', write: null });
    const never = decideGone(gone({ acknowledged: false, previousJson: null, submissionStatus: 'Pending' }), { partial: false });
    assert.equal(never.outcome, 'deleted');
    assert.ok(never.write?.kind === 'meta' && never.write.submissionStatus === 'Withheld' && never.write.apiResponse === LEFT_COHORT_RECORD && never.write.rowState === 'Deleted');
  });
});
