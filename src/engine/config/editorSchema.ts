/**
 * The lab config schema as the editor gets it (`schemas/dnn-lab.editor.schema.json`, made from
 * `schemas/dnn-lab.schema.json` by this function): everything that completes and documents (properties,
 * descriptions, defaults, snippets, the allowed values as suggestions), nothing that validates. DNN Lab checks every
 * lab file itself as the student types, in its own words with a "did you mean" and a quick fix; a schema that
 * validated too would put a second, vaguer message ("Value is not accepted") on the same mistake.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = { [key: string]: Json };

/** Keywords that only reject values: dropped. */
const VALIDATING = new Set([
  'type',
  'required',
  'additionalProperties',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'dependencies',
  'errorMessage',
  'patternErrorMessage',
]);

/** Keywords whose value is a map of name to schema. */
const SCHEMA_MAPS = new Set(['properties', 'definitions', 'patternProperties']);
/** Keywords whose value is a schema or a list of schemas. */
const SCHEMA_LISTS = new Set(['items', 'allOf', 'anyOf', 'oneOf']);

/** The editor's schema of `schema`: see the module comment. */
export function editorSchema(schema: SchemaNode): SchemaNode {
  return node(schema);
}

function node(schema: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALIDATING.has(key) || key === 'enum' || key === 'const' || key.endsWith('numDescriptions')) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? node(v) : v]));
    } else if (SCHEMA_LISTS.has(key)) {
      // Once nothing validates every alternative matches, which oneOf forbids; anyOf still completes from each.
      const target = key === 'oneOf' ? 'anyOf' : key;
      out[target] = Array.isArray(value)
        ? value.map((v) => (isObject(v) ? node(v) : v))
        : isObject(value)
          ? node(value)
          : value;
    } else {
      out[key] = value;
    }
  }
  const suggestions = suggestionsOf(schema);
  if (suggestions !== undefined) {
    const own = Array.isArray(schema.defaultSnippets) ? schema.defaultSnippets : [];
    out.defaultSnippets = [...own, ...suggestions];
  } else if (schema.type === 'boolean' && out.defaultSnippets === undefined) {
    out.examples = [true, false];
  }
  return out;
}

/** The allowed values of an `enum` or `const`, as completions with their descriptions. */
function suggestionsOf(schema: SchemaNode): Json[] | undefined {
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
  if (values === undefined) return undefined;
  const markdown = Array.isArray(schema.markdownEnumDescriptions) ? schema.markdownEnumDescriptions : undefined;
  const plain = Array.isArray(schema.enumDescriptions) ? schema.enumDescriptions : undefined;
  return values.map((value, i) => {
    const snippet: SchemaNode = { label: JSON.stringify(value), body: value };
    if (typeof markdown?.[i] === 'string') snippet.markdownDescription = markdown[i];
    else if (typeof plain?.[i] === 'string') snippet.description = plain[i];
    return snippet;
  });
}

function isObject(value: Json | undefined): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
