import { describe, expect, it } from 'vitest';
import { formatConfigErrors, LineIndex, positionAt } from '../../../src/engine/config/configError';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';

describe('positionAt', () => {
  it.each([
    ['abc', 0, 1, 1],
    ['abc', 2, 1, 3],
    ['abc', 3, 1, 4],
    ['ab\ncd', 3, 2, 1],
    ['ab\ncd', 4, 2, 2],
    ['ab\r\ncd', 4, 2, 1],
    ['ab\r\ncd', 2, 1, 3],
    ['ab\rcd', 3, 2, 1],
    ['\n\n\nx', 3, 4, 1],
    ['ab\ncd', 99, 2, 3],
    ['ab\ncd', -5, 1, 1],
  ])('in %j, offset %d is line %d, column %d', (text, offset, line, column) => {
    expect(positionAt(text, offset)).toEqual({ line, column });
  });
});

describe('LineIndex', () => {
  /** The scan from the start that positionAt was, one per error: the reference the index must agree with. */
  function scanned(text: string, offset: number): { line: number; column: number } {
    const end = Math.min(Math.max(offset, 0), text.length);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < end; i++) {
      if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: end - lineStart + 1 };
  }

  it.each(['a\nbb\r\nccc\rdddd\n\n\r\ne', '\r\n', '\r\r\n\n', 'no break', ''])(
    'agrees with a scan from the start at every offset of %j',
    (text) => {
      const index = new LineIndex(text);
      for (let offset = -1; offset <= text.length + 1; offset++)
        expect(index.positionAt(offset), `offset ${offset}`).toEqual(scanned(text, offset));
    },
  );

  it('answers positionAt for each text asked about, whichever was asked last', () => {
    expect([positionAt('a\nb', 2), positionAt('ab', 1), positionAt('a\nb', 2)]).toEqual([
      { line: 2, column: 1 },
      { line: 1, column: 2 },
      { line: 2, column: 1 },
    ]);
  });
});

describe('formatConfigErrors', () => {
  it('writes one file:line:column line per error, as compilers do', () => {
    const text = [
      '{',
      '  "name": "Corelab 1",',
      '  "layers": [',
      '    { "units": 256, "activation": "relu" },',
      '    { "units": 10.9, "activation": "softmax" }',
      '  ],',
      '  "epochs": 0',
      '}',
    ].join('\n');
    expect(formatConfigErrors('corelab1.dnn.json', text, parseLabConfig(text).errors)).toBe(
      [
        'corelab1.dnn.json:5:16: error: layers[1].units must be a positive integer, got 10.9',
        'corelab1.dnn.json:7:13: error: epochs must be a positive integer, got 0',
      ].join('\n'),
    );
  });

  it('gives an empty string when there are no errors', () => {
    expect(formatConfigErrors('a.dnn.json', '{}', [])).toBe('');
  });
});
