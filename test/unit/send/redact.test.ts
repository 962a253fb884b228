import assert from 'node:assert/strict';
import { describeApiError, parseDeep } from '../../../src/send/apiErrors';
import { ChildValues, oneLine, payloadValues, redactValues, Redactor, SECRET_PIECE, unescapeText } from '../../../src/send/redact';

/** Every piece of SECRET_PIECE characters of a secret. */
function pieces(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + SECRET_PIECE <= secret.length; i++) out.push(secret.slice(i, i + SECRET_PIECE));
  return out;
}
function assertNoPiece(text: string, secret: string): void {
  for (const p of pieces(secret)) assert.ok(!text.includes(p), `"${p}" of a secret in: ${text}`);
}

const KEY = 'Kq7Zr2Wx9Tm4Pv8Ls3Hn6Jy1Gd5Bc0Fw';
const SECRET = 'Xq8~Tz3.vR7_pLm2Kw9-Hd5Nb0YcJf4sGe';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJlLXZhbHVl';

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

  it('secrets first: a payload value overlapping the key cannot punch a hole that lets the rest through', () => {
    // The case: codes and numbers a payload holds ("AUT", "1B", "845") appear inside the key.
    const key = 'Q9AUT1Bx845zLmN0pRsT7uVwXyZa2bCd';
    const r = new Redactor([key]);
    const values = ['AUT', '1B', '845', 'Zoë', '2015-06-01'];
    const body = JSON.stringify({ statusCode: 403, message: 'Forbidden', headers: { SupplierKey: key, Authorization: `Bearer ${TOKEN}` } });
    const out = r.textAndValues(body, values);
    assertNoPiece(out, key);
    assertNoPiece(out, TOKEN);
    assert.match(out, /Forbidden/);
  });

  it('no 6-character piece of a secret survives: whole, cut by the gateway, URL-, form- or JSON-escaped (.NET style)', () => {
    const r = new Redactor([KEY, SECRET, "Sp+ce'Key<&>more-than-six"]);
    r.add(TOKEN);
    const echoes = [
      `SupplierKey: ${KEY}`,
      `key=${KEY.slice(3, 20)}…`,
      `client_secret=${encodeURIComponent(SECRET)}`,
      new URLSearchParams({ s: SECRET }).toString(),
      JSON.stringify({ k: "Sp+ce'Key<&>more-than-six" }).replace(/[+'<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
      `token ${TOKEN}`,
      `x-api-key: someone-elses-key-123`,
      'Authorization: Basic dXNlcjpwYXNzd29yZA==',
    ];
    for (const e of echoes) {
      const out = r.textAndValues(e, []);
      for (const s of [KEY, SECRET, TOKEN, "Sp+ce'Key<&>more-than-six"]) assertNoPiece(unescapeText(out), s);
      assert.ok(!out.includes('someone-elses') && !out.includes('dXNlcjpw'), out);
    }
  });

  it("children's values on token boundaries only: the API's own words stay readable", () => {
    const cv = new ChildValues(['AUT', 'LA', '1B', 'Zoë', '2015-06-01', '123']);
    assert.equal(cv.redact('Unauthorized: NotFound LA code 1B2 at 1234, AUT'), 'Unauthorized: NotFound *** code 1B2 at 1234, ***');
  });

  it('names with any JSON escaping, in a nested error body; dates by their digits; postcodes without the space', () => {
    const cv = new ChildValues(["O'Hara", 'Zoë Anne', '2018-03-04', 'SW1A 1AA', 'B33 8TH']);
    const r = new Redactor();
    const nested = JSON.stringify({ error: { code: 'Bad', message: JSON.stringify({ detail: "Surname O'Hara invalid" }) } }).replace("O'Hara", 'O\\\\u0027Hara');
    for (const text of [
      'surname O\\u0027Hara',
      'surname O\\\\u0027Hara',
      'O&#39;Hara',
      'O&apos;HARA',
      'o’hara',
      nested,
      'first name ZOË and Anne',
      'dob 04/03/2018 00:00:00',
      'dob 2018-03-04T00:00:00Z',
      'dob 4 March 2018',
      'dob March 4, 2018',
      'dob 20180304',
      'dob 04.03.2018',
      'dob 03/04/2018 12:00 AM',
      'postcode SW1A1AA',
      'postcode sw1a 1aa',
      'B338TH',
    ]) {
      const out = r.textAndValues(text, cv);
      assert.ok(!/hara|zo[eë]|anne|2018|sw1a|b33|8th|1aa/i.test(out), `${text} → ${out}`);
    }
    // Another date, another postcode: left alone.
    assert.equal(r.textAndValues('on 05/03/2018 at SW1A 2AA', cv), 'on 05/03/2018 at SW1A 2AA');
  });

  it('decodes JSON held in JSON strings, at every level', () => {
    assert.deepEqual(parseDeep(JSON.stringify({ a: JSON.stringify({ b: JSON.stringify([1]) }) })), { a: { b: [1] } });
    assert.equal(parseDeep('not json'), undefined);
  });

  it('a 4xx content error keeps status code, error code, record index/id and field paths, never its free text', () => {
    const r = new Redactor([KEY]);
    const cv = new ChildValues(payloadValues([{ la_child_id: 'P004', child_details: { first_name: 'Siobhán', surname: "O'Hara", date_of_birth: '2018-03-04' } }]));
    const problem = {
      type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: { '[3].child_details.first_name': ['Siobh\u00e1n is not allowed'], '[3].child_details.date_of_birth': ['04/03/2018 00:00:00 is in the future'] },
    };
    const d = describeApiError(JSON.stringify(problem), { redactor: r, values: cv, ids: ['P001', 'P004'], content: true });
    assert.equal(d.summary, 'no error code given; record [3]; fields child_details.first_name, child_details.date_of_birth');
    assert.ok(!/siobh|hara|2018/i.test(d.debug), d.debug);
    assert.match(d.debug, /is not allowed/);
    const azure = {
      error: { code: 'ValidationFailed', message: `Malformed payload at [1]: la_child_id P004 (O\\u0027Hara) failed`, details: [{ code: 'Required', target: 'children[1].child_details.upn' }] },
    };
    const d2 = describeApiError(JSON.stringify(azure), { redactor: r, values: cv, ids: ['P001', 'P004'], content: true });
    assert.equal(d2.summary, 'ValidationFailed, Required; record [1]; la_child_id P004; field child_details.upn');
    const text = describeApiError(`Bad request for O'Hara, key ${KEY}`, { redactor: r, values: cv, content: true });
    assert.equal(text.summary, 'no error code given');
    assert.ok(!text.debug.includes("O'Hara") && !text.debug.includes(KEY.slice(0, 6)), text.debug);
  });

  it('other errors keep a short message; secrets first, then values, then the cut (a secret across the cut never leaks a prefix)', () => {
    const cv = new ChildValues([]);
    for (let at = 180; at <= 210; at++) {
      const r = new Redactor([KEY]);
      const body = `${'x'.repeat(at)}${KEY} tail`;
      const d = describeApiError(body, { redactor: r, values: cv, content: false });
      assertNoPiece(d.summary, KEY);
      assertNoPiece(d.debug, KEY);
      assert.ok(d.summary.length <= 200);
      const surname = describeApiError(`${'y '.repeat(at / 2)}Featherstonehaugh`, { redactor: r, values: new ChildValues(['Featherstonehaugh']), content: false });
      assert.ok(!/Feath/.test(surname.summary), surname.summary);
    }
    const j = describeApiError('{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}', { redactor: new Redactor(), values: cv, content: false });
    assert.equal(j.summary, 'invalid_client: AADSTS7000215: Invalid client secret provided.');
    assert.equal(describeApiError('plain\ntext', { redactor: new Redactor(), values: cv, content: false }).summary, 'plain text');
    assert.equal(describeApiError('', { redactor: new Redactor(), values: cv, content: false }).summary, '');
  });

  it('one line, at most n characters, tags removed', () => {
    assert.equal(oneLine('<html><body>Bad\n  gateway</body></html>', 100), 'Bad gateway');
    assert.equal(oneLine('x'.repeat(20), 10).length, 10);
  });
});
