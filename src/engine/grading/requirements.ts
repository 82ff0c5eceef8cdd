import { parseTree } from 'jsonc-parser';
import type { ConfigError, SourceRange } from '../config/configError';
import type { ConfigRanges } from '../config/configRanges';
import type { LabConfig } from '../config/labConfig';
import type { CorelabProblem } from './problems';

/** What a problem fixes, one autograder test each: the layers, the data, epochs, batch size, optimizer and learning rate(s). */
export const REQUIREMENTS = ['layers', 'data', 'epochs', 'batchSize', 'optimizer', 'learningRate'] as const;
export type RequirementName = (typeof REQUIREMENTS)[number];

/** A requirement the config does not meet, at the place to fix, with the requirement it breaks. */
export interface RequirementIssue extends ConfigError {
  requirement: RequirementName;
}

/**
 * What a config does not do that the problem asks, each at the place to fix: the field when it is written, else the
 * object it belongs in. Empty when the config may be trained and judged. `text` is the config's source.
 */
export function checkRequirements(
  problem: CorelabProblem,
  config: LabConfig,
  text: string,
  ranges: ConfigRanges,
): ConfigError[] {
  return requirementIssues(problem, config, text, ranges).map(({ path, message, range }) => ({ path, message, range }));
}

/** checkRequirements' issues, each with the requirement it breaks: the autograder gives each requirement a test. */
export function requirementIssues(
  problem: CorelabProblem,
  config: LabConfig,
  text: string,
  ranges: ConfigRanges,
): RequirementIssue[] {
  const issues: RequirementIssue[] = [];
  const name = problem.title.split(':')[0];
  const root = rootRange(text);
  // The written field, else the closest written parent, else the config's opening brace.
  const at = (...paths: string[]): { path: string; range: SourceRange } => {
    for (const path of paths) {
      const range = ranges.fields.get(path);
      if (range) return { path, range };
    }
    return { path: paths[0], range: root };
  };
  const issue = (requirement: RequirementName, where: { path: string; range: SourceRange }, message: string) =>
    issues.push({ ...where, message, requirement });
  const written = (path: string) => ranges.fields.has(path);
  const asWritten = (path: string, value: unknown) =>
    written(path) ? `${path} is ${value}` : `${path} is ${value} (the default, as it is not written)`;

  if (config.layers.length !== problem.layers) {
    issue(
      'layers',
      at('layers'),
      `layers has ${config.layers.length} layer${config.layers.length === 1 ? '' : 's'}; ${name} asks for ${problem.layers} Dense layers ` +
        `(${problem.layers - 1} hidden layers and the output layer), e.g. units 256, 128, 64, 32 and 10`,
    );
  }
  if (config.dataset.kind !== 'mnist')
    issue('data', at('dataset'), `dataset must be "mnist" for ${name}, which trains on MNIST`);
  if (config.trainSamples !== 0) {
    issue(
      'data',
      at('trainSamples'),
      `trainSamples is ${config.trainSamples}; ${name} trains on all 60000 MNIST training images: remove trainSamples`,
    );
  }
  if (problem.epochs !== undefined && config.epochs !== problem.epochs) {
    issue(
      'epochs',
      at('epochs'),
      `${asWritten('epochs', config.epochs)}; ${name} asks for EPOCH=${problem.epochs}: write "epochs": ${problem.epochs}`,
    );
  }
  if (problem.batchSize !== undefined && config.batchSize !== problem.batchSize) {
    issue(
      'batchSize',
      at('batchSize'),
      `${asWritten('batchSize', config.batchSize)}; ${name} asks for batch size ${problem.batchSize}: write "batchSize": ${problem.batchSize}`,
    );
  }
  if (config.optimizer.type !== problem.optimizer) {
    issue(
      'optimizer',
      at('optimizer.type', 'optimizer'),
      `${asWritten('optimizer', `"${config.optimizer.type}"`)}; ${name} asks for ${problem.optimizer}: write "type": "${problem.optimizer}"`,
    );
  }
  if (problem.learningRate !== undefined && config.optimizer.learningRate !== problem.learningRate) {
    issue(
      'learningRate',
      at('optimizer.learningRate', 'optimizer'),
      `${asWritten('optimizer.learningRate', config.optimizer.learningRate)}; ${name} asks for learning_rate=${problem.learningRate}: ` +
        `write "optimizer": { "type": "${problem.optimizer}", "learningRate": ${problem.learningRate} }`,
    );
  }
  checkSweep(problem, name, config, at, issue);
  return issues.sort((a, b) => a.range.offset - b.range.offset);
}

/** Problems 1 and 2 are single runs; problem 3 compares exactly its learning rates with a sweep. */
function checkSweep(
  problem: CorelabProblem,
  name: string,
  config: LabConfig,
  at: (...paths: string[]) => { path: string; range: SourceRange },
  issue: (requirement: RequirementName, where: { path: string; range: SourceRange }, message: string) => void,
): void {
  const wanted = problem.learningRates;
  const sweepHint = wanted && `"sweep": { "learningRate": [${wanted.join(', ')}] }`;
  if (wanted === undefined) {
    if (config.sweep)
      issue(
        'learningRate',
        at('sweep'),
        `${name} is a single run: remove sweep (Lab02 and Lab03 are where to compare settings)`,
      );
    return;
  }
  if (!config.sweep) {
    issue('learningRate', at('sweep'), `${name} trains both learning rates ${wanted.join(' and ')}: add ${sweepHint}`);
    return;
  }
  for (const key of Object.keys(config.sweep)) {
    if (key !== 'learningRate')
      issue(
        'learningRate',
        at(`sweep.${key}`),
        `sweep.${key}: ${name} compares learning rates only; remove sweep.${key}`,
      );
  }
  const rates = config.sweep.learningRate;
  const same = rates !== undefined && rates.length === wanted.length && wanted.every((rate) => rates.includes(rate));
  if (rates !== undefined && !same) {
    issue(
      'learningRate',
      at('sweep.learningRate'),
      `sweep.learningRate is [${rates.join(', ')}]; ${name} compares exactly ${wanted.join(' and ')}: write ${sweepHint}`,
    );
  } else if (rates === undefined) {
    issue(
      'learningRate',
      at('sweep'),
      `${name} trains both learning rates ${wanted.join(' and ')}: add "learningRate": [${wanted.join(', ')}] to sweep`,
    );
  }
}

/** The config's opening brace, where advice about fields it lacks is shown. */
function rootRange(text: string): SourceRange {
  const root = parseTree(text, [], { allowTrailingComma: true });
  return { offset: root?.offset ?? 0, length: root ? 1 : 0 };
}
