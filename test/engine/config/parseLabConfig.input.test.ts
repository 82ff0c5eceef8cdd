import { describe, expect, it } from 'vitest';
import { formatConfigErrors } from '../../../src/engine/config/configError';
import { MAX_LISTED_ERRORS, parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { MAX_NESTING } from '../../../src/engine/config/syntaxErrors';

// Input no student means to write, which the reader must still answer with a few clear errors, fast: it runs in the
// extension host on every edit, and in the CLI.

const VALID = `{
  "layers": [{ "units": 16, "activation": "relu" }, { "units": 10, "activation": "softmax" }],
  "epochs": 2
}
`;

/** Deterministic garbage: letters, digits, quotes and punctuation, a line break every ~8 characters, after a `{`. */
function garbage(bytes: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz:,"\' 0123456789.-;!@#';
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const out: string[] = ['{'];
  for (let i = 1; i < bytes; i++) out.push(random() < 1 / 8 ? '\n' : chars[Math.floor(random() * chars.length)]);
  return out.join('');
}

/** `text` as the bytes of `encoding`, read back as UTF-8 the way the CLI and TextDecoder do. */
function readAsUtf8(text: string, encoding: 'utf16le' | 'utf16be', bom: boolean): string {
  let bytes = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  if (encoding === 'utf16be') bytes = Buffer.from(bytes).swap16();
  return new TextDecoder().decode(bytes);
}

const UTF16 =
  'the file is UTF-16, not UTF-8: save it as UTF-8 (in VS Code, click the encoding in the status bar, then "Save with Encoding" and "UTF-8")';

describe('parseLabConfig on text in another encoding', () => {
  it('accepts a UTF-8 byte order mark, with every offset unchanged', () => {
    expect(parseLabConfig(`\uFEFF${VALID}`).config?.epochs).toBe(2);
    const text = `\uFEFF{ "epochs": 0, "layers": [{ "units": 10, "activation": "softmax" }] }`;
    const { errors } = parseLabConfig(text);
    expect(errors).toEqual([
      {
        path: 'epochs',
        message: 'epochs must be a positive integer, got 0',
        range: { offset: text.indexOf('0'), length: 1 },
      },
    ]);
  });

  it.each([
    ['utf16le', true],
    ['utf16le', false],
    ['utf16be', true],
    ['utf16be', false],
  ] as const)('gives one error for a %s file (byte order mark: %s) instead of one per line', (encoding, bom) => {
    const { config, errors, errorCount } = parseLabConfig(readAsUtf8(VALID, encoding, bom));
    expect(config).toBeUndefined();
    expect(errors).toEqual([{ path: '', message: UTF16, range: { offset: 0, length: 0 } }]);
    expect(errorCount).toBe(1);
  });

  it('still reports a stray NUL in an otherwise UTF-8 file as the character it is', () => {
    const { errors } = parseLabConfig(`{ "name": "a\u0000b", ${VALID.slice(1)}`);
    expect(errors.map((e) => e.message)).toEqual([
      'syntax error: text contains a control character: write it escaped, e.g. \\n',
    ]);
  });
});

describe('parseLabConfig on deep nesting', () => {
  it.each([
    ['arrays', '['.repeat(1800) + ']'.repeat(1800), '[', MAX_NESTING],
    ['objects', '{"a":'.repeat(1800) + '1' + '}'.repeat(1800), '{', MAX_NESTING * 5],
    ['a layer', `{ "layers": [${'['.repeat(1800)}] }`, '[', MAX_NESTING - 1],
  ])(
    'refuses 1800 levels of %s with one error at the first bracket too deep, not a stack overflow',
    (_, text, bracket, offset) => {
      const { config, errors, errorCount } = parseLabConfig(text);
      expect(config).toBeUndefined();
      expect(errorCount).toBe(1);
      expect(errors).toEqual([
        {
          path: '',
          message: `syntax error: nesting deeper than ${MAX_NESTING} levels of { and [ here; a lab config needs 4 at most, so remove the extra brackets`,
          range: { offset: offset + (text.startsWith('{ "layers"') ? '{ "layers": '.length : 0), length: 1 },
        },
      ]);
      expect(text[errors[0].range.offset]).toBe(bracket);
    },
  );

  it(`reads ${MAX_NESTING} levels, and brackets in text and comments count for nothing`, () => {
    const nested = `{ "layers": [{ "units": 10, "activation": "softmax", "units2": ${'['.repeat(MAX_NESTING - 3)}${']'.repeat(MAX_NESTING - 3)} }] }`;
    expect(parseLabConfig(nested).errors.map((e) => e.path)).toEqual(['layers[0].units2']);
    const quoted = `{ "name": "${'['.repeat(5000)}", /* ${'{'.repeat(5000)} */ ${VALID.slice(1)}`;
    expect(parseLabConfig(quoted).config?.name).toBe('['.repeat(5000));
  });
});

describe('parseLabConfig on a large garbage file', () => {
  it(`lists the first ${MAX_LISTED_ERRORS} errors in text order, then one entry counting the rest, in well under a second or two`, () => {
    const text = garbage(1024 * 1024);
    const started = performance.now();
    const { errors, errorCount } = parseLabConfig(text);
    const formatted = formatConfigErrors('g.dnn.json', text, errors);
    // Before, a scan from the start of the text per error made this minutes (128 KB took 4 s, 256 KB 17 s).
    expect(performance.now() - started).toBeLessThan(5000);
    expect(errorCount).toBeGreaterThan(50_000);
    expect(errors).toHaveLength(MAX_LISTED_ERRORS + 1);
    const offsets = errors.map((e) => e.range.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(errors.at(-1)?.message).toBe(
      `${errorCount - MAX_LISTED_ERRORS} more errors from here on are not listed (${errorCount} in all); fix the ones above first`,
    );
    expect(formatted.split('\n')).toHaveLength(MAX_LISTED_ERRORS + 1);
  });

  it('lists every error of a config with no more than the limit, and counts them', () => {
    const layers = Array.from(
      { length: MAX_LISTED_ERRORS - 1 },
      (_, i) => `{ "units": ${i + 0.5}, "activation": "relu" }`,
    );
    const { errors, errorCount } = parseLabConfig(
      `{ "layers": [${[...layers, '{ "units": 10, "activation": "softmax" }'].join(',\n')}], "epochs": 0 }`,
    );
    expect(errorCount).toBe(MAX_LISTED_ERRORS);
    expect(errors.map((e) => e.path)).toEqual([...layers.map((_, i) => `layers[${i}].units`), 'epochs']);
  });
});
