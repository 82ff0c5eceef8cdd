import * as path from 'node:path';
import type { ConfigError } from '../engine/config/configError';
import type { RunEvent, RunRequest } from '../engine/run';
import type { RunInfo } from './trainingRuns';

// What the output channel says of a run, one line per step: what was asked, what the worker chose, each epoch.
// No VS Code: the lines are tested as plain strings.

/** The run as it starts. */
export function describeRun(info: RunInfo, request: RunRequest): string {
  const { config } = info;
  const data = request.dataFolder ?? (request.cacheDir ? `cache ${request.cacheDir}` : 'packaged with DNN Lab');
  return (
    `Run ${info.id}: ${info.documentUri.fsPath}, ${config.layers.map((l) => l.units).join('-')} net, ${config.epochs} epoch(s), batch ${config.batchSize}, ` +
    `${config.optimizer.type} ${config.optimizer.learningRate}, backend ${request.backend}, data ${data}`
  );
}

/** One worker event worth a line, or undefined for those that are not (batches, predictions, progress, the end). */
export function describeEvent(info: RunInfo, event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run/backendChosen':
      return `Run ${info.id}: backend ${event.name}${event.skipped.length ? ` (skipped: ${event.skipped.join('; ')})` : ''}`;
    case 'data/loaded':
      return `Run ${info.id}: MNIST from ${event.source} ${event.dir} (${event.trainCount} train, ${event.testCount} test)`;
    case 'run/epochEnded': {
      const m = event.metrics;
      return (
        `Run ${info.id}: epoch ${m.epoch}/${info.config.epochs} train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(4)}, ` +
        `test loss ${m.testLoss.toFixed(4)} acc ${m.testAccuracy.toFixed(4)}, ${m.seconds.toFixed(1)} s`
      );
    }
    default:
      return undefined;
  }
}

/** A config that did not validate: how many errors, then each at its line and column, as a compiler says them. */
export function describeConfigErrors(
  file: string,
  errorCount: number,
  located: readonly (Pick<ConfigError, 'message'> & { line: number; column: number })[],
): string[] {
  const name = path.basename(file);
  return [
    `Not running ${file}: ${errorCount} config error(s)`,
    ...located.map((e) => `  ${name}:${e.line}:${e.column}: ${e.message}`),
  ];
}
