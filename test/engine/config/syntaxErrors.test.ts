import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { marked, textAt } from './markedText';

const LAYERS = '"layers": [{ "units": 10, "activation": "softmax" }]';

describe('parseLabConfig syntax errors', () => {
  it.each([
    ['a missing comma', `{ "epochs": 2 «"seed"»: 1, ${LAYERS} }`, "syntax error: expected ',' between entries"],
    ['a doubled comma', `{ "epochs": 2,«,» ${LAYERS} }`, 'syntax error: expected a property name in double quotes'],
    ['a missing colon', `{ "epochs" «2», ${LAYERS} }`, "syntax error: expected ':' after the property name"],
    ['a missing value', `{ "layers": [{ "units": «,» "activation": "softmax" }] }`, 'syntax error: expected a value'],
    [
      'an unquoted value',
      `{ "layers": [{ "units": 10, "activation": «softmax» }] }`,
      'syntax error: unexpected softmax; names and text need double quotes: "softmax"',
    ],
    [
      'an unquoted key',
      `{ «epochs»: 2, ${LAYERS} }`,
      'syntax error: unexpected epochs; names and text need double quotes: "epochs"',
    ],
    [
      'single quotes',
      `{ "name": «'lab'», ${LAYERS} }`,
      `syntax error: 'lab' uses single quotes; JSON needs double quotes: "lab"`,
    ],
    [
      "Python's True",
      `{ "optimizer": { "type": "momentum", "nesterov": «True» }, ${LAYERS} }`,
      'syntax error: unexpected True; JSON writes it in lower case: true',
    ],
    [
      'a number without a leading 0',
      `{ "optimizer": { "type": "sgd", "learningRate": «.5» }, ${LAYERS} }`,
      'syntax error: unexpected .5; JSON numbers need a digit before the point, e.g. 0.5',
    ],
    ['NaN', `{ "seed": «NaN», ${LAYERS} }`, 'syntax error: NaN is not a JSON number; write a finite number'],
    ['a stray character', `{ "seed": 1«;» ${LAYERS} }`, 'syntax error: unexpected ";"'],
    ['an unclosed string', `{ "name": «"lab»\n, ${LAYERS} }`, 'syntax error: text is not closed: add the closing "'],
    [
      'a backslash path',
      `{ "dataset": { "path": «"C:\\data"» }, ${LAYERS} }`,
      'syntax error: invalid escape in text: write \\\\ for a backslash, or use / in paths',
    ],
    [
      'a tab inside text',
      `{ "name": «"my\tlab"», ${LAYERS} }`,
      'syntax error: text contains a control character: write it escaped, e.g. \\n',
    ],
    ['an unclosed comment', `{ ${LAYERS} } «/* note»`, 'syntax error: comment is not closed: add */'],
    ['a second object', `{ ${LAYERS} } «{»}`, "syntax error: unexpected text after the config's closing '}'"],
    ['a missing closing brace', `{ ${LAYERS}«»`, "syntax error: expected '}' to close the object"],
    [
      'a missing closing bracket',
      `{ "layers": [{ "units": 10, "activation": "softmax" } «}»`,
      "syntax error: this '}' does not close the open array: add ']' before it",
    ],
    [
      'a missing closing brace inside',
      `{ "layers": [{ "units": 10, "activation": "softmax" «]» }`,
      "syntax error: this ']' does not close the open object: add '}' before it",
    ],
    [
      'a missing closing bracket at the end',
      `{ "layers": [{ "units": 10, "activation": "softmax" }«»`,
      "syntax error: expected ']' to close the array",
    ],
  ])('%s: %s', (_, source, message) => {
    const { text, range } = marked(source);
    const { config, errors } = parseLabConfig(text);
    expect(errors).toEqual([{ path: '', message, range }]);
    expect(config).toBeUndefined();
  });

  it.each([
    ['an empty file', ''],
    ['only spaces', '  \n\t '],
    ['only comments', '// a lab\n/* nothing yet */\n'],
  ])('says the config is empty for %s', (_, text) => {
    expect(parseLabConfig(text).errors).toEqual([
      {
        path: '',
        message:
          'the config is empty: write a JSON object such as { "layers": [{ "units": 10, "activation": "softmax" }] }',
        range: { offset: 0, length: 0 },
      },
    ]);
  });

  it('reports syntax errors together with the validation errors of what parsed, in text order', () => {
    const text = `{
      "epochs": 0
      "layers": [{ "units": 10, "activation": "Softmax" }],
      "seed": 'one'
    }`;
    const { config, errors } = parseLabConfig(text);
    expect(config).toBeUndefined();
    expect(errors.map((error) => [error.path, textAt(text, error.range), error.message])).toEqual([
      ['epochs', '0', 'epochs must be a positive integer, got 0'],
      ['', '"layers"', "syntax error: expected ',' between entries"],
      [
        'layers[0].activation',
        '"Softmax"',
        'layers[0].activation must be one of sigmoid, tanh, relu, leakyRelu, linear, softmax, got "Softmax" (did you mean "softmax"?)',
      ],
      ['', "'one'", `syntax error: 'one' uses single quotes; JSON needs double quotes: "one"`],
    ]);
  });

  it('accepts comments anywhere and trailing commas in objects and arrays', () => {
    const text = `// DNN Lab
    {
      /* layers */ "layers": [
        { "units": 10, /* ten digits */ "activation": "softmax", }, // output
      ],
      "epochs": 3, // short run
    }
    // end`;
    const { config, errors } = parseLabConfig(text);
    expect(errors).toEqual([]);
    expect(config?.epochs).toBe(3);
    expect(config?.layers).toHaveLength(1);
  });
});
