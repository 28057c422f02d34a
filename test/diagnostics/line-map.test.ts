import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineMap } from '../../diagnostics/line-map.js';

describe('LineMap', () => {
  const text = 'model A {\n  input x: [3]\r\n\r\n}\rlast';

  it('maps offsets to 1-based line:column and 0-based positions', () => {
    const lines = new LineMap(text);
    expect(lines.lineCount).toBe(5);
    expect(lines.lineColumn(0)).toEqual({ line: 1, column: 1 });
    expect(lines.lineColumn(text.indexOf('input'))).toEqual({ line: 2, column: 3 });
    expect(lines.position(text.indexOf('input'))).toEqual({ line: 1, character: 2 });
    expect(lines.lineColumn(text.indexOf('}'))).toEqual({ line: 4, column: 1 });
    expect(lines.lineColumn(text.indexOf('last'))).toEqual({ line: 5, column: 1 });
    expect(lines.lineColumn(text.length)).toEqual({ line: 5, column: 5 });
  });

  it('knows each line without its line break (\\n, \\r\\n or \\r)', () => {
    const lines = new LineMap(text);
    expect([0, 1, 2, 3, 4].map((i) => lines.lineText(i))).toEqual(['model A {', '  input x: [3]', '', '}', 'last']);
  });

  it('clamps offsets and positions outside the document', () => {
    const lines = new LineMap(text);
    expect(lines.position(-5)).toEqual({ line: 0, character: 0 });
    expect(lines.position(text.length + 10)).toEqual(lines.position(text.length));
    expect(lines.offsetAt({ line: 0, character: 99 })).toBe('model A {'.length);
    expect(lines.offsetAt({ line: 99, character: 0 })).toBe(text.length);
  });

  it('handles an empty document', () => {
    const lines = new LineMap('');
    expect(lines.lineCount).toBe(1);
    expect(lines.lineColumn(0)).toEqual({ line: 1, column: 1 });
    expect(lines.lineText(0)).toBe('');
  });

  it('round-trips every offset that is not inside a line break', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '\r', '\t', 'é', '😀'), { maxLength: 60 }), (parts) => {
        const source = parts.join('');
        const lines = new LineMap(source);
        for (let offset = 0; offset <= source.length; offset++) {
          const insideCrLf = source[offset - 1] === '\r' && source[offset] === '\n';
          if (insideCrLf) continue;
          expect(lines.offsetAt(lines.position(offset))).toBe(offset);
        }
      }),
      { numRuns: 200 },
    );
  });
});
