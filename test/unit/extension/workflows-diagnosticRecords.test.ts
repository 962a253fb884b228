// Positions → ranges for the Problems panel (pure): words, quoted names, blank lines, past the end.
import assert from 'node:assert/strict';
import { lineOffsets, positionOf, rangeAtLineColumn, rangeFromOffsets, rangeOfLine, type Range0 } from '../../../src/extension/core/diagnosticRecords';

function slice(text: string, r: Range0): string {
  const starts = lineOffsets(text);
  assert.equal(r.start.line, r.end.line, 'single-line range');
  return text.slice(starts[r.start.line]! + r.start.character, starts[r.end.line]! + r.end.character);
}

describe('extension diagnostics: ranges from line and column', () => {
  const text = 'SELECT id,\n       no_such_col FROM t;\n\n  INSERT INTO [dbo].[ssd person] VALUES (1);\r\nEND';

  it('underlines the word at a 1-based line and column', () => {
    assert.equal(slice(text, rangeAtLineColumn(text, 2, 8)), 'no_such_col');
    assert.equal(slice(text, rangeAtLineColumn(text, 1, 1)), 'SELECT');
  });

  it('underlines a bracketed name whole, and ignores a CR line end', () => {
    const col = text.split('\n')[3]!.indexOf('[ssd person]') + 1;
    assert.equal(slice(text, rangeAtLineColumn(text, 4, col)), '[ssd person]');
    const r = rangeAtLineColumn(text, 4, 200);
    assert.equal(slice(text, r), ';', 'a column past the end is clamped to the last character');
  });

  it("punctuation: the rest of the line; blanks only after the column: the line's code", () => {
    assert.equal(slice(text, rangeAtLineColumn(text, 1, 10)), ',');
    const t2 = 'abc   \nx';
    assert.equal(slice(t2, rangeAtLineColumn(t2, 1, 5)), 'abc');
  });

  it('an empty line and a line past the end still give a visible range', () => {
    assert.deepEqual(rangeAtLineColumn(text, 3, 1), { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
    assert.deepEqual(rangeAtLineColumn(text, 99, 1), { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } });
    assert.deepEqual(rangeAtLineColumn(undefined, 5, 8), { start: { line: 4, character: 7 }, end: { line: 4, character: 8 } });
    assert.deepEqual(rangeAtLineColumn(text, 0, 0), rangeAtLineColumn(text, 1, 1), 'line/column 0 clamp to the start');
  });

  it("offsets ↔ positions, and a line's code without its indent", () => {
    const starts = lineOffsets(text);
    for (const off of [0, 5, 10, 11, 30, text.length]) {
      const p = positionOf(starts, off);
      assert.equal(starts[p.line]! + p.character, off);
    }
    assert.equal(slice(text, rangeFromOffsets(starts, text.indexOf('FROM'), text.indexOf('FROM') + 4)), 'FROM');
    assert.equal(slice(text, rangeOfLine(text, 3)), 'INSERT INTO [dbo].[ssd person] VALUES (1);');
  });
});
