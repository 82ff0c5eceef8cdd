import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { ConfigChecker } from './configChecker';
import type { ConfigError } from './configError';
import { collectConfigRanges, type ConfigRanges } from './configRanges';
import { readDataset } from './datasetConfig';
import { initializerWithDefaults, readInitializer } from './initializerConfig';
import { LOSSES, type LabConfig } from './labConfig';
import { CONFIG_DEFAULTS, CONFIG_KEYS, MAX_EPOCHS } from './labConfigFormat';
import { readLayers } from './layersConfig';
import { checkLimits } from './limitsConfig';
import { NON_NEGATIVE_INTEGER, POSITIVE_INTEGER, positiveInteger, type NumberRule } from './numberRules';
import { optimizerParameterHome, optimizerWithDefaults, readOptimizer } from './optimizerConfig';
import { readSweep } from './sweepConfig';
import { syntaxErrors } from './syntaxErrors';

/** The outcome of parsing a lab config: the config when valid, every error otherwise, and where each field is written. */
export interface LabConfigParse {
  /** Present only when `errors` is empty. */
  config?: LabConfig;
  /** Syntax and validation errors together, in text order. */
  errors: ConfigError[];
  ranges: ConfigRanges;
}

/** Parses and validates a `*.dnn.json` text (JSON with comments and trailing commas), reporting every error at once. */
export function parseLabConfig(text: string): LabConfigParse {
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true });
  const ranges = collectConfigRanges(root);
  if (root === undefined && parseErrors.every((error) => printParseErrorCode(error.error) === 'ValueExpected')) {
    // Nothing but spaces and comments: one clear message beats "expected a value".
    const message =
      'the config is empty: write a JSON object such as { "layers": [{ "units": 10, "activation": "softmax" }] }';
    return { errors: [{ path: '', message, range: { offset: 0, length: 0 } }], ranges };
  }
  // The tree recovers from syntax errors, so the parts that parsed are validated too and all errors show at once.
  const checker = new ConfigChecker(text);
  const config = root && readConfig(checker, root);
  const errors = [...syntaxErrors(text, parseErrors), ...checker.errors];
  errors.sort((a, b) => a.range.offset - b.range.offset);
  return config !== undefined && errors.length === 0 ? { config, errors, ranges } : { errors, ranges };
}

const EPOCHS = positiveInteger(MAX_EPOCHS);

function readConfig(checker: ConfigChecker, root: JsonNode): LabConfig | undefined {
  if (root.type !== 'object') {
    checker.report('', root, `the config must be a JSON object such as { "layers": [...] }, got ${checker.got(root)}`);
    return undefined;
  }
  const fields = checker.object(root, '', CONFIG_KEYS, optimizerParameterHome);
  const string = (node: JsonNode, path: string) => checker.string(node, path);
  const number = (rule: NumberRule) => (node: JsonNode, path: string) => checker.number(node, path, rule);
  const dataset = checker.optional(fields, 'dataset', (n, p) => readDataset(checker, n, p), {
    kind: CONFIG_DEFAULTS.dataset,
  });
  const loss = checker.optional(fields, 'loss', (n, p) => checker.oneOf(n, p, LOSSES), CONFIG_DEFAULTS.loss);
  const defaultInitializer = checker.optional(
    fields,
    'kernelInitializer',
    (n, p) => readInitializer(checker, n, p),
    initializerWithDefaults(CONFIG_DEFAULTS.kernelInitializer),
  );
  const layers = checker.required(
    fields,
    'layers',
    'the Dense layers in order, the last one being the output layer, e.g. "layers": [{ "units": 10, "activation": "softmax" }]',
    (n, p) => readLayers(checker, n, p, { defaultInitializer, dataset, loss }),
  );
  const parts = {
    name: checker.optional(fields, 'name', string, CONFIG_DEFAULTS.name),
    dataset,
    layers,
    loss,
    optimizer: checker.optional(
      fields,
      'optimizer',
      (n, p) => readOptimizer(checker, n, p),
      optimizerWithDefaults(CONFIG_DEFAULTS.optimizer),
    ),
    batchSize: checker.optional(fields, 'batchSize', number(POSITIVE_INTEGER), CONFIG_DEFAULTS.batchSize),
    epochs: checker.optional(fields, 'epochs', number(EPOCHS), CONFIG_DEFAULTS.epochs),
    seed: checker.optional(fields, 'seed', number(NON_NEGATIVE_INTEGER), CONFIG_DEFAULTS.seed),
    trainSamples: checker.optional(fields, 'trainSamples', number(NON_NEGATIVE_INTEGER), CONFIG_DEFAULTS.trainSamples),
    testSamples: checker.optional(fields, 'testSamples', number(NON_NEGATIVE_INTEGER), CONFIG_DEFAULTS.testSamples),
  };
  const problem = checker.optional<string | undefined>(fields, 'problem', string, undefined);
  const sweepNode = fields.value('sweep');
  const sweep = sweepNode && readSweep(checker, sweepNode, 'sweep', layers && layers.length - 1);
  checkLimits(checker, fields, { ...parts, sweep });
  if (!allDefined(parts) || (sweepNode !== undefined && sweep === undefined)) return undefined;
  return { ...parts, ...(problem !== undefined && { problem }), ...(sweep !== undefined && { sweep }) };
}

/** Whether every part was read; a part is undefined only after its error was reported. */
function allDefined<T extends object>(parts: T): parts is { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.values(parts).every((part) => part !== undefined);
}
