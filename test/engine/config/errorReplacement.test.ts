import { describe, expect, it } from 'vitest';
import { errorReplacement } from '../../../src/engine/config/configChecker';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';

/** Applies the fix of every error that has one, as the quick fix does. */
function fixAll(text: string): { fixed: string; fixes: string[] } {
  const { errors } = parseLabConfig(text);
  let fixed = text;
  const fixes: string[] = [];
  for (const error of [...errors].reverse()) {
    const replacement = errorReplacement(error, text);
    if (replacement === undefined) continue;
    fixes.unshift(replacement);
    fixed = fixed.slice(0, error.range.offset) + replacement + fixed.slice(error.range.offset + error.range.length);
  }
  return { fixed, fixes };
}

const OUTPUT = '{ "units": 10, "activation": "softmax" }';

describe('errorReplacement: the quick fix of a config error', () => {
  it.each([
    ['a misspelled activation', `{ "layers": [{ "units": 32, "activation": "relux" }, ${OUTPUT}] }`, ['"relu"']],
    ['a misspelled key', `{ "layers": [{ "unit": 32, "activation": "relu" }, ${OUTPUT}] }`, ['"units"']],
    ['a misspelled initializer', `{ "layers": [${OUTPUT}], "kernelInitializer": "he_normal" }`, ['"heNormal"']],
    ['a quoted number', `{ "layers": [${OUTPUT}], "epochs": "3" }`, ['3']],
    [
      'a quoted boolean',
      `{ "layers": [${OUTPUT}], "optimizer": { "type": "momentum", "nesterov": "true" } }`,
      ['true'],
    ],
  ])('%s', (_, text, fixes) => {
    const result = fixAll(text);
    expect(result.fixes).toEqual(fixes);
    if (fixes.length > 0) expect(parseLabConfig(result.fixed).errors).toEqual([]);
  });

  it('offers nothing for an error without a hint, such as a negative units', () => {
    const text = `{ "layers": [{ "units": -3, "activation": "relu" }, ${OUTPUT}] }`;
    const { errors } = parseLabConfig(text);
    expect(errors).toHaveLength(1);
    expect(errorReplacement(errors[0], text)).toBeUndefined();
  });
});
