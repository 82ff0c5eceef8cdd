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
import { nestingError, syntaxErrors } from './syntaxErrors';

/** The outcome of parsing a lab config: the config when valid, every error otherwise, and where each field is written. */
export interface LabConfigParse {
  /** Present only when `errors` is empty. */
  config?: LabConfig;
  /**
   * Syntax and validation errors together, in text order: the first MAX_LISTED_ERRORS of them and, when there are more,
   * one last entry (at the first one left out) saying how many more there are.
   */
  errors: ConfigError[];
  /** How many errors the config has, those only counted in the last entry of `errors` included. */
  errorCount: number;
  ranges: ConfigRanges;
}

/** The most errors listed one by one; a garbage file has tens of thousands, and no one reads past the first. */
export const MAX_LISTED_ERRORS = 100;

/** The rule of `epochs`, for the config field and for anything that overrides it (the CLI's --epochs). */
export const EPOCHS = positiveInteger(MAX_EPOCHS);

/** Parses and validates a `*.dnn.json` text (JSON with comments and trailing commas), reporting every error at once. */
export function parseLabConfig(source: string): LabConfigParse {
  const noRanges = collectConfigRanges(undefined);
  const unreadable = encodingError(source) ?? nestingError(source);
  if (unreadable) return { errors: [unreadable], errorCount: 1, ranges: noRanges };
  // A byte order mark is no error (Notepad writes one); a space in its place keeps every offset where it was.
  const text = source.startsWith('\uFEFF') ? ` ${source.slice(1)}` : source;
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true });
  const ranges = collectConfigRanges(root);
  if (root === undefined && parseErrors.every((error) => printParseErrorCode(error.error) === 'ValueExpected')) {
    // Nothing but spaces and comments: one clear message beats "expected a value".
    const message =
      'the config is empty: write a JSON object such as { "layers": [{ "units": 10, "activation": "softmax" }] }';
    return { errors: [{ path: '', message, range: { offset: 0, length: 0 } }], errorCount: 1, ranges };
  }
  // The tree recovers from syntax errors, so the parts that parsed are validated too and all errors show at once.
  const checker = new ConfigChecker(text);
  const config = root && readConfig(checker, root);
  // Syntax errors come in text order, so the ones past the first MAX_LISTED_ERRORS + 1 cannot be listed: they are only counted.
  const syntax = syntaxErrors(text, parseErrors, MAX_LISTED_ERRORS + 1);
  const errors = [...syntax.errors, ...checker.errors];
  errors.sort((a, b) => a.range.offset - b.range.offset);
  const errorCount = syntax.count + checker.errors.length;
  if (config !== undefined && errorCount === 0) return { config, errors, errorCount, ranges };
  return { errors: listed(errors, errorCount), errorCount, ranges };
}

/** The first MAX_LISTED_ERRORS of `errors` (sorted, the first of `count`), then one entry for the rest, at the first of them. */
function listed(errors: ConfigError[], count: number): ConfigError[] {
  if (count <= MAX_LISTED_ERRORS) return errors;
  const rest = count - MAX_LISTED_ERRORS;
  const message = `${rest} more error${rest === 1 ? '' : 's'} from here on ${rest === 1 ? 'is' : 'are'} not listed (${count} in all); fix the ones above first`;
  return [...errors.slice(0, MAX_LISTED_ERRORS), { path: '', message, range: errors[MAX_LISTED_ERRORS].range }];
}

/**
 * The error for a text that is not UTF-8 but was read as if it were: UTF-16 (or UTF-32) shows as a NUL beside nearly
 * every character, and its byte order mark as two U+FFFD (or as ÿþ/þÿ). Reported once, instead of an error per line.
 */
function encodingError(text: string): ConfigError | undefined {
  const head = text.slice(0, 2);
  const bom16 = head === '\uFFFD\uFFFD' || head === '\u00FF\u00FE' || head === '\u00FE\u00FF';
  let nuls = 0;
  for (let i = text.indexOf('\0'); i !== -1; i = text.indexOf('\0', i + 1)) nuls++;
  if (nuls === 0 || (!bom16 && nuls < text.length / 4)) return undefined;
  const message =
    'the file is UTF-16, not UTF-8: save it as UTF-8 (in VS Code, click the encoding in the status bar, then "Save with Encoding" and "UTF-8")';
  return { path: '', message, range: { offset: 0, length: 0 } };
}

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
