import type { Node as JsonNode } from 'jsonc-parser';
import type { ConfigChecker, Fields } from './configChecker';
import { childPath } from './configPath';
import { readInitializer } from './initializerConfig';
import {
  ACTIVATIONS,
  type Activation,
  type DatasetSpec,
  type InitializerSpec,
  type LayerSpec,
  type LossName,
} from './labConfig';
import { DEFAULT_ALPHA, LAYER_KEYS, MAX_UNITS, MNIST_CLASSES } from './labConfigFormat';
import { POSITIVE_NUMBER, positiveInteger } from './numberRules';

/** What the rest of the config asks of the layers; undefined parts were invalid and are not checked against. */
export interface LayersContext {
  /** The top-level `kernelInitializer`, used by layers without their own. */
  defaultInitializer: InitializerSpec | undefined;
  dataset: DatasetSpec | undefined;
  loss: LossName | undefined;
}

const UNITS = positiveInteger(MAX_UNITS);

/** Reads `layers`: each Dense layer with its defaults, softmax only on the output layer, which must fit the dataset and loss. */
export function readLayers(
  checker: ConfigChecker,
  node: JsonNode,
  path: string,
  context: LayersContext,
): LayerSpec[] | undefined {
  if (node.type !== 'array') {
    return checker.wrongValue(node, path, 'an array of layers such as [{ "units": 10, "activation": "softmax" }]');
  }
  const elements = node.children ?? [];
  if (elements.length === 0) {
    return checker.wrongValue(node, path, 'an array of at least one layer, the last being the output layer');
  }
  const layers = elements.map((element, index) =>
    readLayer(checker, element, childPath(path, index), index === elements.length - 1, context),
  );
  return layers.every((layer) => layer !== undefined) ? layers : undefined;
}

function readLayer(
  checker: ConfigChecker,
  node: JsonNode,
  path: string,
  isOutput: boolean,
  context: LayersContext,
): LayerSpec | undefined {
  if (node.type !== 'object') {
    return checker.wrongValue(node, path, 'an object such as { "units": 128, "activation": "relu" }');
  }
  const fields = checker.object(node, path, LAYER_KEYS);
  const units = checker.required(fields, 'units', 'the number of neurons, e.g. "units": 128', (n, p) =>
    checker.number(n, p, UNITS),
  );
  const activation = checker.required(fields, 'activation', `one of ${ACTIVATIONS.join(', ')}`, (n, p) =>
    checker.oneOf(n, p, ACTIVATIONS),
  );
  const kernelInitializer = checker.optional(
    fields,
    'kernelInitializer',
    (n, p) => readInitializer(checker, n, p),
    context.defaultInitializer,
  );
  const alpha = readAlpha(checker, fields, activation);
  if (activation === 'softmax' && !isOutput) {
    checker.report(
      fields.pathOf('activation'),
      fields.value('activation') ?? node,
      `${fields.pathOf('activation')} must not be "softmax" on a hidden layer: backprop's ` +
        `delta^l = sigma'(z^l) ⊙ (W^(l+1))^T delta^(l+1) needs a sigma applied to each unit on its own, ` +
        `and softmax mixes all units of its layer; softmax is allowed only on the last (output) layer. Use "relu" here`,
    );
  }
  if (isOutput) checkOutputLayer(checker, fields, units, activation, context);
  if (units === undefined || activation === undefined || kernelInitializer === undefined || alpha === undefined) {
    return undefined;
  }
  return { units, activation, kernelInitializer, alpha };
}

/** leakyRelu's slope for z < 0; written on any other activation it is reported, since nothing would use it. */
function readAlpha(checker: ConfigChecker, fields: Fields, activation: Activation | undefined): number | undefined {
  // With an unknown activation alpha cannot be judged misplaced; its value is still checked.
  if (fields.has('alpha') && activation !== undefined && activation !== 'leakyRelu') {
    checker.misplaced(
      fields,
      'alpha',
      `only applies to leakyRelu (it is the slope for z < 0), but this layer's activation is ${activation}: ` +
        `remove alpha, or use "activation": "leakyRelu"`,
    );
    return undefined;
  }
  return checker.optional(fields, 'alpha', (n, p) => checker.number(n, p, POSITIVE_NUMBER), DEFAULT_ALPHA);
}

/** The output layer must have one unit per class, and cross-entropy must be able to take ln of its outputs. */
function checkOutputLayer(
  checker: ConfigChecker,
  fields: Fields,
  units: number | undefined,
  activation: Activation | undefined,
  context: LayersContext,
): void {
  const unitsNode = fields.value('units');
  if (context.dataset?.kind === 'mnist' && units !== undefined && units !== MNIST_CLASSES && unitsNode) {
    const path = fields.pathOf('units');
    checker.report(
      path,
      unitsNode,
      `${path} must be ${MNIST_CLASSES} on the output layer, one per class, ` +
        `because MNIST has ${MNIST_CLASSES} classes (the digits 0-9); got ${units}`,
    );
  }
  const activationNode = fields.value('activation');
  const outputsInZeroOne = activation === 'softmax' || activation === 'sigmoid';
  if (context.loss === 'categoricalCrossentropy' && activation !== undefined && !outputsInZeroOne && activationNode) {
    const path = fields.pathOf('activation');
    checker.report(
      path,
      activationNode,
      `${path} must be "softmax" or "sigmoid" on the output layer with the loss categoricalCrossentropy, ` +
        `got "${activation}": ` +
        `the loss takes ln of every output, which needs outputs between 0 and 1. ` +
        `Use "activation": "softmax", or "loss": "meanSquaredError"`,
    );
  }
}
