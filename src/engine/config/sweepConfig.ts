import type { Node as JsonNode } from 'jsonc-parser';
import type { ConfigChecker, ValueReader } from './configChecker';
import { childPath } from './configPath';
import { readInitializer } from './initializerConfig';
import { ACTIVATIONS, type ElementwiseActivation, type SweepKey, type SweepSpec } from './labConfig';
import { MAX_EPOCHS, MAX_SWEEP_RUNS, SWEEP_KEYS } from './labConfigFormat';
import { NON_NEGATIVE_INTEGER, POSITIVE_INTEGER, POSITIVE_NUMBER, positiveInteger } from './numberRules';

/** The activations a hidden layer may take: all but softmax, which mixes the units of its layer. */
const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a): a is ElementwiseActivation => a !== 'softmax');

/** How one value of each sweep key is read: by the same rule as the config field it stands for. */
function elementReader(checker: ConfigChecker, key: SweepKey): ValueReader<unknown> {
  switch (key) {
    case 'batchSize':
      return (n, p) => checker.number(n, p, POSITIVE_INTEGER);
    case 'learningRate':
      return (n, p) => checker.number(n, p, POSITIVE_NUMBER);
    case 'epochs':
      return (n, p) => checker.number(n, p, positiveInteger(MAX_EPOCHS));
    case 'seed':
      return (n, p) => checker.number(n, p, NON_NEGATIVE_INTEGER);
    case 'kernelInitializer':
      return (n, p) => readInitializer(checker, n, p);
    case 'activation':
      return (n, p) =>
        checker.oneOf(
          n,
          p,
          HIDDEN_ACTIVATIONS,
          `one of ${HIDDEN_ACTIVATIONS.join(', ')} (softmax belongs on the output layer only)`,
        );
  }
}

/**
 * Reads `sweep`: for each config field to compare, a non-empty array of distinct values, each checked as that field
 * is. `hiddenLayers` (undefined when `layers` was invalid) lets a sweep of `activation` be refused on a net without any.
 */
export function readSweep(
  checker: ConfigChecker,
  node: JsonNode,
  path: string,
  hiddenLayers: number | undefined,
): SweepSpec | undefined {
  if (node.type !== 'object') {
    return checker.wrongValue(node, path, 'an object naming the fields to compare, such as { "batchSize": [32, 300] }');
  }
  const fields = checker.object(node, path, SWEEP_KEYS);
  // Runs are listed in the order the student wrote the keys, so the table reads like the config.
  const written = SWEEP_KEYS.filter((key) => fields.value(key) !== undefined).sort(
    (a, b) => fields.keyNode(a)!.offset - fields.keyNode(b)!.offset,
  );
  if (written.length === 0 && !fields.node.children?.length) {
    return checker.wrongValue(
      node,
      path,
      `an object with at least one field to compare (${SWEEP_KEYS.join(', ')}), such as { "batchSize": [32, 300] }; or remove sweep`,
    );
  }
  const sweep: Record<string, unknown[]> = {};
  let valid = true;
  for (const key of written) {
    const keyPath = fields.pathOf(key);
    if (key === 'activation' && hiddenLayers === 0) {
      checker.misplaced(
        fields,
        key,
        'changes the activation of the hidden layers, but this network has none: add a hidden layer to layers, or remove sweep.activation',
      );
      valid = false;
      continue;
    }
    const values = readValues(checker, fields.value(key)!, keyPath, elementReader(checker, key));
    if (values === undefined) valid = false;
    else sweep[key] = values;
  }
  if (!valid) return undefined;
  const runs = Object.values(sweep).reduce((product, values) => product * values.length, 1);
  if (runs > MAX_SWEEP_RUNS) {
    const factors = Object.values(sweep)
      .map((values) => values.length)
      .join(' × ');
    checker.report(
      path,
      node,
      `${path} makes ${runs} runs (${factors}), more than the ${MAX_SWEEP_RUNS} allowed: remove some values`,
    );
    return undefined;
  }
  return sweep as SweepSpec;
}

/** A non-empty array of values read by `read`, with repeats reported at the repeat. */
function readValues<T>(checker: ConfigChecker, node: JsonNode, path: string, read: ValueReader<T>): T[] | undefined {
  if (node.type !== 'array' || !node.children?.length) {
    return checker.wrongValue(node, path, 'a non-empty array of the values to compare, such as [32, 300]');
  }
  const values: T[] = [];
  const seen = new Set<string>();
  let valid = true;
  node.children.forEach((element, index) => {
    const elementPath = childPath(path, index);
    const value = read(element, elementPath);
    if (value === undefined) {
      valid = false;
      return;
    }
    const identity = JSON.stringify(value);
    if (seen.has(identity)) {
      checker.report(
        elementPath,
        element,
        `${elementPath} repeats ${checker.got(element)}; each value runs once, so remove the repeat`,
      );
      valid = false;
      return;
    }
    seen.add(identity);
    values.push(value);
  });
  return valid ? values : undefined;
}
