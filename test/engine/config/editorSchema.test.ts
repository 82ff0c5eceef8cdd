import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS } from '../../../src/engine/config/labConfig';
import { editorSchema } from '../../../src/engine/config/editorSchema';

type Node = { [key: string]: unknown };
const source = JSON.parse(readFileSync(join(__dirname, '../../../schemas/dnn-lab.schema.json'), 'utf8')) as Node;
const editor = editorSchema(source as never) as Node;

/** Every schema node in a schema, with its path: the walk goes through the keywords that hold schemas only. */
function* objects(value: unknown, path = '#'): Generator<[string, Node]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const node = value as Node;
  yield [path, node];
  for (const [k, v] of Object.entries(node)) {
    if (['properties', 'definitions', 'patternProperties'].includes(k) && typeof v === 'object' && v !== null)
      for (const [name, child] of Object.entries(v)) yield* objects(child, `${path}/${k}/${name}`);
    else if (['items', 'allOf', 'anyOf', 'oneOf', 'additionalProperties', 'not'].includes(k))
      for (const [i, child] of (Array.isArray(v) ? v : [v]).entries()) yield* objects(child, `${path}/${k}/${i}`);
  }
}

/** The completions a schema node offers as values: its snippets' bodies and examples. */
function suggested(node: Node): unknown[] {
  const snippets = (node.defaultSnippets as { body: unknown }[] | undefined) ?? [];
  return [...snippets.map((s) => s.body), ...((node.examples as unknown[] | undefined) ?? [])];
}

describe('the editor schema', () => {
  it('is the file the extension contributes (regenerate: npx vitest run -u test/engine/config/editorSchema.test.ts)', async () => {
    await expect(`${JSON.stringify(editor, null, 2)}\n`).toMatchFileSnapshot(
      '../../../schemas/dnn-lab.editor.schema.json',
    );
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[] };
    };
    expect(pkg.contributes.jsonValidation).toEqual([
      { fileMatch: '*.dnn.json', url: './schemas/dnn-lab.editor.schema.json' },
    ]);
  });

  it('rejects nothing: no keyword that validates is left anywhere, and oneOf became anyOf', () => {
    const validating = [
      'type',
      'enum',
      'const',
      'required',
      'additionalProperties',
      'minimum',
      'maximum',
      'exclusiveMinimum',
      'exclusiveMaximum',
      'minItems',
      'uniqueItems',
      'pattern',
      'minLength',
      'minProperties',
      'oneOf',
    ];
    const left = [...objects(editor)].flatMap(([path, node]) =>
      validating.filter((k) => k in node).map((k) => `${path}/${k}`),
    );
    expect(left).toEqual([]);
    // The source does validate, so the check above is not vacuous.
    expect([...objects(source)].filter(([, n]) => 'enum' in n || 'minimum' in n).length).toBeGreaterThan(5);
  });

  it.each([
    ['activation', ACTIVATIONS],
    ['initializerName', INITIALIZERS],
    ['optimizerName', OPTIMIZERS],
  ])('still suggests every %s, with its description', (name, values) => {
    const node = (editor.definitions as Record<string, Node>)[name];
    expect(suggested(node)).toEqual([...values]);
    if (name === 'activation')
      expect((node.defaultSnippets as { description?: string }[]).every((s) => (s.description ?? '').length > 0)).toBe(
        true,
      );
  });

  it('still suggests every loss, and keeps the properties, descriptions and defaults', () => {
    const properties = editor.properties as Record<string, Node>;
    expect(suggested(properties.loss)).toEqual([...LOSSES]);
    expect(Object.keys(properties)).toEqual(Object.keys(source.properties as object));
    for (const [key, value] of Object.entries(source.properties as Record<string, Node>)) {
      expect(properties[key].description, key).toBe(value.description);
      expect(properties[key].default, key).toEqual(value.default);
    }
  });
});
