import type { Node as JsonNode } from 'jsonc-parser';
import type { ConfigChecker, Fields } from './configChecker';
import { INITIALIZERS, type InitializerName, type InitializerSpec } from './labConfig';
import { INITIALIZER_DEFAULTS, INITIALIZER_KEYS } from './labConfigFormat';
import { POSITIVE_NUMBER } from './numberRules';

/** An initializer with its parameter's Keras default filled in (randomNormal's stddev, randomUniform's limit). */
export function initializerWithDefaults(
  type: InitializerName,
  given: { stddev?: number; limit?: number } = {},
): InitializerSpec {
  if (type === 'randomNormal') return { type, stddev: given.stddev ?? INITIALIZER_DEFAULTS.stddev };
  if (type === 'randomUniform') return { type, limit: given.limit ?? INITIALIZER_DEFAULTS.limit };
  return { type };
}

/** Reads a `kernelInitializer`: a name such as "heNormal", or `{ "type": "randomNormal", "stddev": 0.1 }`. */
export function readInitializer(checker: ConfigChecker, node: JsonNode, path: string): InitializerSpec | undefined {
  const read = checker.namedOrTyped(
    node,
    path,
    INITIALIZERS,
    INITIALIZER_KEYS,
    `an initializer name (one of ${INITIALIZERS.join(', ')}) or an object such as { "type": "randomNormal", "stddev": 0.05 }`,
  );
  if (!read?.fields) return read?.type && initializerWithDefaults(read.type);
  const { type, fields } = read;
  const stddev = readParameter(checker, fields, 'stddev', 'randomNormal', type);
  const limit = readParameter(checker, fields, 'limit', 'randomUniform', type);
  return type && initializerWithDefaults(type, { stddev, limit });
}

/** Reads `key` when `type` is its `owner`; on any other initializer it is reported, since only `owner` uses it. */
function readParameter(
  checker: ConfigChecker,
  fields: Fields,
  key: 'stddev' | 'limit',
  owner: InitializerName,
  type: InitializerName | undefined,
): number | undefined {
  const value = fields.value(key);
  if (value === undefined) return undefined;
  // With an unknown type the parameter cannot be judged misplaced; its value is still checked.
  if (type !== undefined && type !== owner) {
    checker.misplaced(fields, key, `only applies to ${owner}, not ${type}: remove it, or use "type": "${owner}"`);
    return undefined;
  }
  return checker.number(value, fields.pathOf(key), POSITIVE_NUMBER);
}
