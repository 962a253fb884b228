import assert from 'node:assert/strict';
import { oneLine, payloadValues, redactValues, Redactor } from '../../../src/send/redact';

describe('send: redaction', () => {
  it('collects every value of a payload', () => {
    const v = payloadValues({ la_child_id: 'C1x', child_details: { first_name: "Zoë O'Brien", date_of_birth: '2015-06-01', sex: 'F', sdq: [{ score: 123 }] } });
    assert.ok(v.has('C1x') && v.has("Zoë O'Brien") && v.has('2015-06-01') && v.has('123'));
    assert.ok(!v.has('F')); // one-character codes are not worth hiding
  });

  it('replaces payload values (also JSON-escaped, any case) and secrets in text', () => {
    const text = 'failed: first_name "Zo\\u00eb" / ZOË / 2015-06-01 with key Supplier-Key-1 and Bearer eyJhbGciOiJIUzI1NiJ9.abc.def';
    const r = new Redactor(['Supplier-Key-1']);
    const out = r.textAndValues(text, ['Zoë', '2015-06-01']);
    assert.ok(!/zo/i.test(out.replace('Bearer', '')), out);
    assert.ok(!out.includes('2015-06-01') && !out.includes('Supplier-Key-1') && !out.includes('eyJ'), out);
    assert.match(out, /Bearer \*\*\*/);
    assert.equal(redactValues('abc', []), 'abc');
  });

  it('redacts a secret added later, and its URL-encoded form', () => {
    const r = new Redactor();
    r.add('a+b/c=d');
    assert.equal(r.text('x a+b/c=d y a%2Bb%2Fc%3Dd'), 'x *** y ***');
  });

  it('one line, at most n characters, tags removed', () => {
    assert.equal(oneLine('<html><body>Bad\n  gateway</body></html>', 100), 'Bad gateway');
    assert.equal(oneLine('x'.repeat(20), 10).length, 10);
  });
});
