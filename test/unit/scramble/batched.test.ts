import assert from 'node:assert/strict';
import { FormatPreservingPermutation } from '../../../src/scramble/fpe';
import { Scrambler, shiftDateText } from '../../../src/scramble/values';

describe('scramble: batched pseudonyms and date shifts', () => {
  const key = Buffer.alloc(32, 5);

  it('decryptMany undoes encryptMany and equals decrypt one at a time', () => {
    const fpe = new FormatPreservingPermutation(key);
    const radices = [9, 10, 10, 26, 10, 10];
    const values = Array.from({ length: 300 }, (_, i) => radices.map((r, j) => (i * 7 + j * 13) % r));
    const enc = fpe.encryptMany(values, radices, 'id');
    assert.deepEqual(
      enc,
      values.map((v) => fpe.encrypt(v, radices, 'id')),
    );
    const dec = fpe.decryptMany(enc, radices, 'id');
    assert.deepEqual(dec, values);
    assert.deepEqual(
      dec,
      enc.map((v) => fpe.decrypt(v, radices, 'id')),
    );
  });

  it('idMany and unIdMany give what id and unId give, for every shape', () => {
    const values = ['1234567', '0012345', 'AB12cd-9', 'x', '---', '7', 'Z', '12345678901234567890123', 'P-00123/a', 'Zoë42'];
    for (let i = 0; i < 500; i++) values.push(String(100000 + i * 31), `CH${i}`);
    const a = new Scrambler(key);
    const b = new Scrambler(key);
    const many = a.idMany(values);
    for (const v of values) assert.equal(many.get(v), b.id(v), v);
    const back = a.unIdMany([...many.values()]);
    for (const v of values) assert.equal(back.get(many.get(v)!), v, v);
    for (const v of values) assert.equal(b.unId(many.get(v)!), v, v);
  });

  it('shifts dates as Date would, and refuses what it refused', () => {
    assert.equal(shiftDateText('2024-02-28', 1), '2024-02-29');
    assert.equal(shiftDateText('2023-02-28T10:00:00', 1), '2023-03-01T10:00:00');
    assert.equal(shiftDateText('2000-03-01', -1), '2000-02-29');
    assert.equal(shiftDateText('1900-03-01', -1), '1900-02-28');
    assert.equal(shiftDateText('31/12/2024 09:00', 1), '01/01/2025 09:00');
    assert.equal(shiftDateText('2023-02-29', 1), null);
    assert.equal(shiftDateText('0050-01-01', 1), null);
    assert.equal(shiftDateText('2024-13-01', 1), null);
    assert.equal(shiftDateText('9999-12-31', 1), new Date(Date.UTC(9999, 11, 31) + 86_400_000).toISOString().slice(0, 10));
    for (let d = Date.UTC(1890, 0, 1); d < Date.UTC(2110, 0, 1); d += 86_400_000 * 3) {
      const iso = new Date(d).toISOString().slice(0, 10);
      for (const off of [-45, -1, 1, 45]) assert.equal(shiftDateText(iso, off), new Date(d + off * 86_400_000).toISOString().slice(0, 10));
    }
  });
});
