import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, type LabConfig } from '../../../src/engine/config/labConfig';
import {
  CONFIG_KEYS,
  DATASET_KEYS,
  INITIALIZER_KEYS,
  LAYER_KEYS,
  OPTIMIZER_KEYS,
  SWEEP_KEYS,
} from '../../../src/engine/config/labConfigFormat';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';

/** The parts of a JSON Schema these tests read. */
interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
  additionalProperties?: boolean;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  maximum?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  type?: string;
  oneOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
  $ref?: string;
}

const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/dnn-lab.schema.json'), 'utf8')) as Schema;
const definitions = schema.definitions!;

/** The schema a `$ref` names, or the schema itself. */
function resolve(node: Schema): Schema {
  return node.$ref ? definitions[node.$ref.replace('#/definitions/', '')] : node;
}

/** The object forms among `oneOf`, e.g. the `{ "type": ... }` forms of kernelInitializer. */
function objectForms(definition: Schema): Schema[] {
  return definition.oneOf!.map(resolve).filter((form) => form.properties !== undefined);
}

/** The `type` values an object form accepts. */
function typesOf(form: Schema): unknown[] {
  const type = form.properties!.type;
  return type.enum ?? [type.const];
}

/** Every subschema, for checks that apply everywhere. */
function allSchemas(node: Schema): Schema[] {
  const children = [
    ...Object.values(node.properties ?? {}),
    ...Object.values(node.definitions ?? {}),
    ...(node.oneOf ?? []),
    ...(node.allOf ?? []),
    ...(node.items ? [node.items] : []),
  ];
  return [node, ...children.flatMap(allSchemas)];
}

/** Parses a config that must be valid. */
function valid(text: string): LabConfig {
  const { config, errors } = parseLabConfig(text);
  expect(errors).toEqual([]);
  return config!;
}

const OUTPUT_LAYER = '{ "units": 10, "activation": "softmax" }';

describe('the JSON Schema matches the parser', () => {
  it.each([
    ['activation', definitions.activation.enum, ACTIVATIONS],
    ['initializerName', definitions.initializerName.enum, INITIALIZERS],
    ['loss', schema.properties!.loss.enum, LOSSES],
    ['optimizerName', definitions.optimizerName.enum, OPTIMIZERS],
  ])('enum %s lists exactly %j', (_, schemaEnum, expected) => {
    expect(schemaEnum).toEqual([...expected]);
  });

  it('lets the object forms of kernelInitializer and optimizer name every type exactly once', () => {
    expect(objectForms(definitions.initializer).flatMap(typesOf).sort()).toEqual([...INITIALIZERS].sort());
    expect(objectForms(definitions.optimizer).flatMap(typesOf)).toEqual([...OPTIMIZERS]);
  });

  it.each([
    ['the config', Object.keys(schema.properties!), CONFIG_KEYS],
    ['a layer', Object.keys(definitions.layer.properties!), LAYER_KEYS],
    ['sweep', Object.keys(schema.properties!.sweep.properties!), SWEEP_KEYS],
    ['dataset', objectForms(schema.properties!.dataset).flatMap((form) => Object.keys(form.properties!)), DATASET_KEYS],
    [
      'kernelInitializer',
      [...new Set(objectForms(definitions.initializer).flatMap((form) => Object.keys(form.properties!)))],
      INITIALIZER_KEYS,
    ],
    [
      'optimizer',
      [...new Set(objectForms(definitions.optimizer).flatMap((form) => Object.keys(form.properties!)))],
      OPTIMIZER_KEYS,
    ],
  ])('gives %s the properties %j the parser accepts', (_, schemaKeys, parserKeys) => {
    expect([...schemaKeys].sort()).toEqual([...parserKeys].sort());
  });

  const initializerCases = objectForms(definitions.initializer).flatMap((form) =>
    typesOf(form).flatMap((type) =>
      ['stddev', 'limit'].map((parameter) => [type, parameter, parameter in form.properties!] as const),
    ),
  );
  it.each(initializerCases)(
    'kernelInitializer %s with %s: schema allows it = %s, and so does the parser',
    (type, parameter, allowed) => {
      const text = `{ "layers": [${OUTPUT_LAYER}], "kernelInitializer": { "type": "${type}", "${parameter}": 0.5 } }`;
      expect(parseLabConfig(text).errors).toHaveLength(allowed ? 0 : 1);
    },
  );

  const optimizerCases = objectForms(definitions.optimizer).flatMap((form) =>
    OPTIMIZER_KEYS.filter((key) => key !== 'type').map(
      (parameter) => [typesOf(form)[0], parameter, parameter in form.properties!] as const,
    ),
  );
  it.each(optimizerCases)(
    'optimizer %s with %s: schema allows it = %s, and so does the parser',
    (type, parameter, allowed) => {
      const value = parameter === 'nesterov' ? 'true' : '0.5';
      const text = `{ "layers": [${OUTPUT_LAYER}], "optimizer": { "type": "${type}", "${parameter}": ${value} } }`;
      expect(parseLabConfig(text).errors).toHaveLength(allowed ? 0 : 1);
    },
  );
});

describe('the JSON Schema documents the defaults the parser applies', () => {
  const defaults = valid(`{ "layers": [${OUTPUT_LAYER}] }`);
  const root = schema.properties!;

  it.each(['name', 'loss', 'batchSize', 'epochs', 'seed', 'trainSamples', 'testSamples'] as const)('%s', (key) => {
    expect(root[key].default).toBe(defaults[key]);
  });

  it('dataset, kernelInitializer and optimizer', () => {
    expect(root.dataset.default).toBe(defaults.dataset.kind);
    expect(root.kernelInitializer.default).toBe(defaults.layers[0].kernelInitializer.type);
    expect(root.optimizer.default).toBe(defaults.optimizer.type);
  });

  it('the keys with a default are exactly the optional ones (problem and sweep have none, layers is required)', () => {
    expect(Object.keys(root).filter((key) => root[key].default === undefined)).toEqual(['problem', 'layers', 'sweep']);
  });

  it("leakyRelu's alpha", () => {
    const config = valid(`{ "layers": [{ "units": 4, "activation": "leakyRelu" }, ${OUTPUT_LAYER}] }`);
    expect(definitions.layer.properties!.alpha.default).toBe(config.layers[0].alpha);
  });

  it.each(objectForms(definitions.initializer).filter((form) => Object.keys(form.properties!).length > 1))(
    'the parameter of initializer $properties.type.const',
    (form) => {
      const [type] = typesOf(form);
      const [parameter] = Object.keys(form.properties!).filter((key) => key !== 'type') as ('stddev' | 'limit')[];
      const config = valid(`{ "layers": [${OUTPUT_LAYER}], "kernelInitializer": "${type}" }`);
      expect(form.properties![parameter].default).toBe(config.layers[0].kernelInitializer[parameter]);
    },
  );

  it.each(objectForms(definitions.optimizer))('every parameter of optimizer $properties.type.const', (form) => {
    const [type] = typesOf(form);
    const optimizer: Record<string, unknown> = valid(
      `{ "layers": [${OUTPUT_LAYER}], "optimizer": "${type}" }`,
    ).optimizer;
    const documented = Object.fromEntries(
      Object.entries(form.properties!).map(([key, property]) => [key, property.default ?? property.const]),
    );
    expect(documented).toEqual(optimizer);
  });

  // units' maximum is checked below with the other bounds: 100000 units pass their rule but not the memory budget.
  it.each([
    ['epochs', root.epochs.maximum!, (epochs: number) => `{ "layers": [${OUTPUT_LAYER}], "epochs": ${epochs} }`],
  ])('the maximum of %s (%d) is the last value the parser accepts', (_, maximum, text) => {
    expect(parseLabConfig(text(maximum)).errors).toEqual([]);
    expect(parseLabConfig(text(maximum + 1)).errors).toHaveLength(1);
  });
});

describe('the JSON Schema helps students', () => {
  const schemas = allSchemas(schema);

  it('describes every property, for hover docs', () => {
    const undocumented = schemas.flatMap((node) =>
      Object.entries(node.properties ?? {})
        .filter(([, property]) => !property.description)
        .map(([key]) => key),
    );
    expect(undocumented).toEqual([]);
  });

  it('rejects unknown properties in every object', () => {
    const open = schemas.filter((node) => node.properties !== undefined && node.additionalProperties !== false);
    expect(open).toEqual([]);
  });
});

describe('the JSON Schema and the checker agree on every bound', () => {
  // A folder dataset, so MNIST's own limits (60000 training images) stay out of the way of the bounds of the rules.
  const config = (fields: string, layers = OUTPUT_LAYER) =>
    `{ "dataset": { "path": "d" }, "layers": [${layers}], ${fields} }`;
  const optimizerForm = (type: string) => (key: string) => (v: string) =>
    config(`"optimizer": { "type": "${type}", "${key}": ${v} }`);
  /** Where each numeric property of the schema is, and a config that writes `v` there. */
  const numericProperties: [string, Schema, (v: string) => string][] = [
    ...(['batchSize', 'epochs', 'seed', 'trainSamples', 'testSamples'] as const).map(
      (key) =>
        [key, schema.properties![key], (v: string) => config(`"${key}": ${v}`)] as [
          string,
          Schema,
          (v: string) => string,
        ],
    ),
    [
      'layers[].units',
      definitions.layer.properties!.units,
      (v) => config('"epochs": 1', `{ "units": ${v}, "activation": "relu" }, ${OUTPUT_LAYER}`),
    ],
    [
      'layers[].alpha',
      definitions.layer.properties!.alpha,
      (v) => config('"epochs": 1', `{ "units": 4, "activation": "leakyRelu", "alpha": ${v} }, ${OUTPUT_LAYER}`),
    ],
    ...objectForms(definitions.initializer).flatMap((form) =>
      Object.entries(form.properties!)
        .filter(([key]) => key !== 'type')
        .map(
          ([key, property]) =>
            [
              `kernelInitializer ${typesOf(form)[0]}.${key}`,
              property,
              (v: string) => config(`"kernelInitializer": { "type": "${typesOf(form)[0]}", "${key}": ${v} }`),
            ] as [string, Schema, (v: string) => string],
        ),
    ),
    ...objectForms(definitions.optimizer).flatMap((form) =>
      Object.entries(form.properties!)
        .filter(([, property]) => property.type === 'number')
        .map(
          ([key, property]) =>
            [`optimizer ${typesOf(form)[0]}.${key}`, property, optimizerForm(String(typesOf(form)[0]))(key)] as [
              string,
              Schema,
              (v: string) => string,
            ],
        ),
    ),
    ...Object.entries(schema.properties!.sweep.properties!)
      .filter(([, property]) => property.items?.type !== undefined)
      .map(
        ([key, property]) =>
          [`sweep.${key}[]`, property.items!, (v: string) => config(`"sweep": { "${key}": [${v}] }`)] as [
            string,
            Schema,
            (v: string) => string,
          ],
      ),
  ];

  /** The errors of the number rules only ("... must be ..."); a config refused for its memory or its data is another matter. */
  const ruleErrors = (text: string) =>
    parseLabConfig(text)
      .errors.filter((e) => / must be /.test(e.message))
      .map((e) => e.message);

  it('covers every number of the schema', () => {
    const numeric = allSchemas(schema).flatMap((node) => [
      ...Object.values(node.properties ?? {}).filter((p) => p.type === 'number' || p.type === 'integer'),
      ...(node.items && (node.items.type === 'number' || node.items.type === 'integer') ? [node.items] : []),
    ]);
    expect(new Set(numericProperties.map(([, property]) => property))).toEqual(new Set(numeric));
  });

  it('gives every number a maximum: integers a double holds exactly, other numbers float32 holds (the kernels compute in it)', () => {
    const unbounded = numericProperties.filter(([, p]) => p.maximum === undefined && p.exclusiveMaximum === undefined);
    expect(unbounded.map(([name]) => name)).toEqual([]);
    const maxima = new Set(numericProperties.map(([, p]) => p.maximum).filter((m) => m !== undefined));
    expect([...maxima].sort()).toEqual([10000, 100000, Number.MAX_SAFE_INTEGER, 3.4028234663852886e38].sort());
  });

  it.each(numericProperties)(
    '%s: the checker accepts exactly what the schema allows at each bound',
    (_, property, write) => {
      const integer = property.type === 'integer';
      const accepted: number[] = [];
      const refused: number[] = [];
      if (property.minimum !== undefined) {
        accepted.push(property.minimum);
        refused.push(integer ? property.minimum - 1 : property.minimum - 1e-9);
      }
      if (property.exclusiveMinimum !== undefined) {
        refused.push(property.exclusiveMinimum);
        accepted.push(property.exclusiveMinimum + 1e-9);
      }
      if (property.maximum !== undefined) {
        accepted.push(property.maximum);
        refused.push(integer ? property.maximum + 1 : property.maximum * (1 + 1e-15));
      }
      if (property.exclusiveMaximum !== undefined) {
        refused.push(property.exclusiveMaximum);
        accepted.push(property.exclusiveMaximum - 1e-9);
      }
      if (integer) refused.push((property.minimum ?? 0) + 1.5);
      const bounds = Object.fromEntries([
        ...accepted.map((v) => [`${v}`, ruleErrors(write(String(v)))] as const),
        ...refused.map((v) => [`${v}`, ruleErrors(write(String(v))).length === 1] as const),
      ]);
      expect(bounds).toEqual(
        Object.fromEntries([...accepted.map((v) => [`${v}`, []]), ...refused.map((v) => [`${v}`, true])]),
      );
    },
  );
});
