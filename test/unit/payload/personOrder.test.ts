import assert from 'node:assert/strict';
import { compareCodePoints } from '../../../src/payload/buildPayload';

describe('payload person-id order', () => {
  it('is code-point order (PostgreSQL COLLATE "C" on UTF-8, SQL Server BIN2 for the BMP)', () => {
    const ids = ['b', 'B', '_', '-', '10', '9', 'a', 'aa', 'a-', 'Z', 'é', 'z', ''];
    assert.deepEqual([...ids].sort(compareCodePoints), ['', '-', '10', '9', 'B', 'Z', '_', 'a', 'a-', 'aa', 'b', 'z', 'é']);
  });

  it('puts characters above U+FFFF after U+E000–U+FFFF, as UTF-8 byte order does', () => {
    const astral = '\u{1F600}',
      high = '\uFF21';
    assert.equal(compareCodePoints(astral, high) > 0, true);
    assert.equal(compareCodePoints(high, astral) < 0, true);
    assert.equal(Buffer.compare(Buffer.from(astral), Buffer.from(high)) > 0, true);
    assert.equal(compareCodePoints('x', 'x'), 0);
  });
});
