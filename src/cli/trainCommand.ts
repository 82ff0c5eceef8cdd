import { dirname, isAbsolute, join, resolve } from 'node:path';
import { formatConfigErrors, locateErrors, positionAt } from '../engine/config/configError';
import type { LabConfig } from '../engine/config/labConfig';
import { EPOCHS, parseLabConfig, type LabConfigParse } from '../engine/config/parseLabConfig';
import { defaultCacheDir, explicitDataFolder } from '../engine/data';
import { BACKENDS, type BackendPreference } from '../engine/kernels/backend';
import type { RunEvent } from '../engine/run';
import { expandSweep, type SweepRun } from '../engine/sweep/expandSweep';
import type { EpochMetrics } from '../engine/train/metrics';
import { RunFailedError, startTraining } from '../worker/trainingClient';
import { atMostPositionals, integerOption, optionValue, UsageError, type ParsedArgs } from './args';
import { readConfigText, type CliIo } from './io';
import { progressLine } from './progressLine';
import { RemainingTime } from '../engine/eta';
import { stepOf } from '../engine/record/runReducer';

/** `dnn-lab train <config> [--data DIR] [--epochs N] [--backend B] [--threads N] [--json]`; resolves to the exit code. */
export async function trainCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  if (!file) throw new UsageError('train needs a config file, e.g. dnn-lab train corelab-1.dnn.json');
  atMostPositionals(args, 1, `train takes one config file, ${file}`);
  // Every option is checked before the config is read, so a mistyped flag is a usage error whatever the file holds.
  const epochs = epochsOption(args);
  const backend = backendOption(args);
  const threads = threadsOption(args);
  const dataFolder = explicitDataFolder({ flag: optionValue(args, 'data') });
  const json = args.options.has('json');
  const report = json ? jsonReporter(io) : textReporter(io);
  const configPath = resolve(io.cwd, file);

  let text: string;
  try {
    text = await readConfigText(configPath);
  } catch (err) {
    report.failed(`cannot read the config ${file}: ${(err as Error).message}`);
    return 1;
  }
  const parsed = parseLabConfig(text);
  if (!parsed.config) {
    report.configErrors(file, text, parsed);
    return 1;
  }
  const config = withOverrides(parsed.config, epochs, configPath);
  // A run's error about a config field (a dataset.path that cannot be read) points at that field, as config errors do.
  const locate = (field: string): string | undefined => {
    const range = parsed.ranges.fields.get(field);
    if (!range) return undefined;
    const { line, column } = positionAt(text, range.offset);
    return `${file}:${line}:${column}`;
  };
  // A sweep trains one run per combination, in turn; every line of output names its run.
  const runs = expandSweep(config);
  let failed = false;
  for (const run of runs) {
    if (runs.length > 1) report.runStarted(run, runs.length);
    const code = await trainOne(run.config, {
      backend,
      threads,
      dataFolder: dataFolder && resolve(io.cwd, dataFolder),
      report,
      io,
      locate,
    });
    if (code === 130) return code;
    // A diverged run is a result worth comparing too; the sweep goes on and the exit code reports it.
    failed ||= code !== 0;
  }
  return failed ? 1 : 0;
}

/** Trains one config in the worker; resolves to 0, 1 (failed) or 130 (stopped with Ctrl-C). */
async function trainOne(
  config: LabConfig,
  {
    backend,
    threads,
    dataFolder,
    report,
    io,
    locate,
  }: {
    backend: BackendPreference;
    threads: number;
    dataFolder: string | undefined;
    report: Reporter;
    io: CliIo;
    locate: (field: string) => string | undefined;
  },
): Promise<number> {
  const handle = startTraining(
    join(__dirname, 'worker.js'),
    { config, backend, threads, dataFolder, cacheDir: defaultCacheDir() },
    (event) => report.event(event, config),
  );
  // The first Ctrl-C stops after the current batch and keeps what was trained; a second one quits at once.
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr('\nStopping after this batch (Ctrl-C again to quit now)...\n');
    handle.cancel();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result = await handle.done;
    return result.status === 'cancelled' ? 130 : 0;
  } catch (err) {
    const where = err instanceof RunFailedError && err.event.field ? locate(err.event.field) : undefined;
    const message = err instanceof RunFailedError ? err.message : `Internal error: ${(err as Error).message}`;
    report.failed(where ? `${where}: ${message}` : message);
    return 1;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function withOverrides(config: LabConfig, epochs: number | undefined, configPath: string): LabConfig {
  const overridden = { ...config };
  if (epochs !== undefined && config.sweep?.epochs !== undefined) {
    // Each run of the sweep would set its own epochs, and the flag would be silently ignored.
    throw new UsageError(
      `--epochs ${epochs} cannot apply: the config's sweep compares epochs [${config.sweep.epochs.join(', ')}]; remove --epochs or sweep.epochs`,
    );
  }
  if (epochs !== undefined) overridden.epochs = epochs;
  // A dataset folder written in the config is relative to the config file, as a student would expect.
  if (config.dataset.kind === 'path' && !isAbsolute(config.dataset.path)) {
    overridden.dataset = { kind: 'path', path: resolve(dirname(configPath), config.dataset.path) };
  }
  return overridden;
}

/** The `--epochs` option, checked by the rule the config's "epochs" is: decimal digits, from 1 to the maximum. */
function epochsOption(args: ParsedArgs): number | undefined {
  const value = optionValue(args, 'epochs');
  if (value === undefined) return undefined;
  const n = integerOption('epochs', value, EPOCHS.what, 5);
  const broken = EPOCHS.check(n);
  if (broken !== undefined) throw new UsageError(`--epochs must be ${broken} (as "epochs" in a config), got ${value}`);
  return n;
}

/** The `--backend` option, checked. */
export function backendOption(args: ParsedArgs): BackendPreference {
  const value = args.options.get('backend') ?? 'auto';
  if (!(BACKENDS as readonly unknown[]).includes(value)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got ${String(value)}`);
  }
  return value as BackendPreference;
}

/** The `--threads` option, checked: threads for DNN Lab's wasm kernels; 0 (the default) is one per core, up to 4. */
function threadsOption(args: ParsedArgs): number {
  const value = optionValue(args, 'threads') ?? '0';
  const what = 'an integer from 0 (one per core, up to 4) to 64';
  const n = integerOption('threads', value, what, 2);
  if (n > 64) throw new UsageError(`--threads must be ${what}, got ${value}`);
  return n;
}

interface Reporter {
  event(event: RunEvent, config: LabConfig): void;
  runStarted(run: SweepRun, runs: number): void;
  configErrors(file: string, text: string, parse: LabConfigParse): void;
  failed(message: string): void;
}

/** One JSON object per line on stdout, for scripts and CI. */
function jsonReporter(io: CliIo): Reporter {
  let line = (value: object) => io.stdout(`${JSON.stringify(value)}\n`);
  return {
    runStarted(run) {
      // Every line of a sweep's run carries its label, right after "event".
      line = ({ event, ...rest }: { event?: unknown }) =>
        io.stdout(`${JSON.stringify({ event, run: run.label, ...rest })}\n`);
    },
    event(event) {
      switch (event.type) {
        case 'run/backendChosen':
          return line({ event: 'backend', name: event.name, skipped: event.skipped });
        case 'data/loaded':
          return line({
            event: 'data',
            source: event.source,
            dir: event.dir,
            trainCount: event.trainCount,
            testCount: event.testCount,
          });
        case 'run/epochEnded':
          return line({ event: 'epoch', ...event.metrics });
        case 'run/finished': {
          const { epochs, ...rest } = event.result;
          const last = epochs.at(-1);
          return line({
            event: 'done',
            ...rest,
            epochs: epochs.length,
            trainAccuracy: last?.trainAccuracy,
            testAccuracy: last?.testAccuracy,
          });
        }
      }
    },
    configErrors(file, text, { errors, errorCount }) {
      line({ event: 'error', message: errorsFound(file, errorCount), errorCount, errors: locateErrors(text, errors) });
    },
    failed: (message) => line({ event: 'error', message }),
  };
}

/** Human-readable lines on stdout, and a live progress bar on stderr when it is a terminal. */
function textReporter(io: CliIo): Reporter {
  let remaining: RemainingTime | undefined;
  let lastDraw = 0;
  const clearBar = () => io.interactive && io.stderr('\r\x1b[K');
  return {
    runStarted(run, runs) {
      io.stdout(`${run.index > 0 ? '\n' : ''}Run ${run.index + 1}/${runs}: ${run.label}\n`);
    },
    event(event, config) {
      switch (event.type) {
        case 'run/backendChosen':
          io.stderr(`Backend: ${event.name}\n`);
          return;
        case 'data/progress':
          if (io.interactive)
            io.stderr(
              `\r\x1b[KDownloading ${event.file}: ${Math.round((100 * event.receivedBytes) / event.totalBytes)}%`,
            );
          return;
        case 'data/loaded':
          clearBar();
          io.stderr(
            `Data: ${event.trainCount} training and ${event.testCount} test images from ${event.dir} (${event.source})\n`,
          );
          remaining = undefined;
          return;
        case 'run/batchEnded': {
          const now = performance.now();
          const { epoch, batch, batches, loss } = event.metrics;
          remaining ??= new RemainingTime(config.epochs * batches);
          const left = remaining.update(stepOf(event.metrics), now / 1000);
          if (!io.interactive || (now - lastDraw < 100 && batch !== batches)) return;
          lastDraw = now;
          io.stderr(
            `\r\x1b[K${progressLine({ epoch, epochs: config.epochs, batch, batches, loss, remaining: left }, io.columns)}`,
          );
          return;
        }
        case 'run/epochEnded':
          clearBar();
          io.stdout(`${epochLine(event.metrics, config.epochs)}\n`);
          return;
        case 'run/finished': {
          const { status, epochs, seconds } = event.result;
          io.stdout(
            `${status === 'completed' ? 'Done' : 'Stopped'}: ${epochs.length} epoch${epochs.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s\n`,
          );
          return;
        }
      }
    },
    configErrors(file, text, { errors, errorCount }) {
      io.stderr(`${formatConfigErrors(file, text, errors)}\n${errorsFound(file, errorCount)}; nothing was trained.\n`);
    },
    failed(message) {
      clearBar();
      io.stderr(`Error: ${message}\n`);
    },
  };
}

/** "a.dnn.json has 3 errors" */
function errorsFound(file: string, count: number): string {
  return `${file} has ${count} error${count === 1 ? '' : 's'}`;
}

/** "epoch  3/20  train loss 0.1234 acc 96.50%  test loss 0.1100 acc 96.80%  8.1 s  delta rms 2.1e-3 4.0e-3 1.2e-2" */
export function epochLine(m: EpochMetrics, epochs: number): string {
  const width = String(epochs).length;
  const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
  return [
    `epoch ${String(m.epoch).padStart(width)}/${epochs}`,
    `train loss ${m.trainLoss.toFixed(4)} acc ${percent(m.trainAccuracy)}`,
    `test loss ${m.testLoss.toFixed(4)} acc ${percent(m.testAccuracy)}`,
    `${m.seconds.toFixed(1)} s`,
    `delta rms ${m.layers.map((l) => l.deltaRms.toExponential(1)).join(' ')}`,
  ].join('  ');
}
