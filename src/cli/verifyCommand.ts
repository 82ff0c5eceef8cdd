import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LabConfig } from '../engine/config/labConfig';
import { explicitDataFolder } from '../engine/data';
import { compareEpochs, DEFAULT_TOLERANCE, kernelsNote, type VerifyTolerance } from '../engine/grading/verifyRun';
import type { BackendPreference } from '../engine/kernels/backend';
import type { EpochMetrics } from '../engine/train/metrics';
import { RUN_RECORD_FORMAT, type RunStatus } from '../training/runRecord';
import { integerOption, optionValue, UsageError, type ParsedArgs } from './args';
import { trainOutcome } from './gradedTraining';
import type { CliIo } from './io';
import { backendOption } from './trainCommand';

/** The backend a record's kernel name says it trained on ("DNN Lab wasm (...)", "tfjs wasm (...)", ...). */
export function recordedBackend(name: string | undefined): BackendPreference | undefined {
  if (!name) return undefined;
  if (name.startsWith('DNN Lab wasm')) return 'dnn-wasm';
  if (name.startsWith('tfjs-node')) return 'tfjs-node';
  if (name.startsWith('tfjs wasm')) return 'wasm';
  if (name.startsWith('tfjs cpu')) return 'cpu';
  if (name.startsWith('JavaScript')) return 'js';
  return undefined;
}

/** What `dnn-lab verify` reads of a run record. */
interface RecordToVerify {
  config: LabConfig;
  epochs: EpochMetrics[];
  backend?: string;
  status?: RunStatus;
}

/** The record in `text`, checked; throws a UsageError-free Error naming what is wrong. */
export function readRunRecord(text: string, file: string): RecordToVerify {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON (${(err as Error).message}): name a run record from .dnnlab/runs/<id>.json`);
  }
  const record = value as { format?: unknown; config?: LabConfig; epochs?: unknown; status?: RunStatus; environment?: { backend?: string } };
  if (typeof record !== 'object' || record === null) throw new Error(`${file} is not a run record: name one from .dnnlab/runs/<id>.json`);
  if (record.format !== RUN_RECORD_FORMAT) throw new Error(`${file}: format must be ${RUN_RECORD_FORMAT} (a run record of this DNN Lab), got ${JSON.stringify(record.format)}`);
  if (typeof record.config !== 'object' || record.config === null || !Array.isArray(record.config.layers)) throw new Error(`${file}: config must be the run's lab config, got ${JSON.stringify(record.config)?.slice(0, 80)}`);
  if (!Array.isArray(record.epochs) || record.epochs.length === 0) throw new Error(`${file}: epochs must list the run's finished epochs, got ${JSON.stringify(record.epochs)?.slice(0, 80)}: train at least one epoch first`);
  return { config: record.config, epochs: record.epochs as EpochMetrics[], backend: record.environment?.backend, status: record.status };
}

/**
 * `dnn-lab verify <run.json> [--data DIR] [--backend B] [--threads N] [--accuracy-tolerance X] [--loss-tolerance X] [--json]`:
 * retrains the record's config with its seed on its backend for as many epochs as it recorded, and compares every
 * epoch's losses and accuracies. Resolves to 0 when they match within the tolerance, 1 otherwise.
 */
export async function verifyCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  if (!file || args.positionals.length > 1) throw new UsageError('verify needs one run record, e.g. dnn-lab verify .dnnlab/runs/<id>.json');
  const json = args.options.has('json');
  const tolerance: VerifyTolerance = {
    accuracy: toleranceOption(args, 'accuracy-tolerance', DEFAULT_TOLERANCE.accuracy),
    loss: toleranceOption(args, 'loss-tolerance', DEFAULT_TOLERANCE.loss),
  };
  let record: RecordToVerify;
  try {
    record = readRunRecord(await readFile(resolve(io.cwd, file), 'utf8'), file);
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message.replace(/^ENOENT: /, `cannot read ${file}: `)}\n`);
    return 1;
  }
  const backend = args.options.has('backend') ? backendOption(args) : (recordedBackend(record.backend) ?? 'auto');
  // The record's own thread count by default ("DNN Lab wasm (SIMD, 2 threads)"), so the products split the same way.
  const threadsFlag = optionValue(args, 'threads');
  const threads =
    threadsFlag === undefined ? Number(/(\d+) threads?\)/.exec(record.backend ?? '')?.[1] ?? 1) : integerOption('threads', threadsFlag, 'a number of threads from 0 (one per core)', 1);
  const dataFlag = explicitDataFolder({ flag: args.options.get('data') as string | undefined });
  const config = { ...record.config, epochs: record.epochs.length };
  if (!json) io.stdout(`Retraining ${config.name} (seed ${config.seed}, ${config.epochs} epochs) on ${backend}${record.backend ? `; recorded on ${record.backend}` : ''}...\n`);
  const outcome = await trainOutcome(config, {
    backend,
    threads,
    dataFolder: dataFlag && resolve(io.cwd, dataFlag),
    onEpoch: (m) => !json && io.stdout(`  epoch ${m.epoch}: train ${(100 * m.trainAccuracy).toFixed(2)}% (recorded ${(100 * (record.epochs[m.epoch - 1]?.trainAccuracy ?? NaN)).toFixed(2)}%)\n`),
  });
  if (outcome.kind === 'failed') {
    io.stderr(`Error: the retraining failed: ${outcome.message}\n`);
    if (json) io.stdout(`${JSON.stringify({ event: 'verify', verified: false, summary: `the retraining failed: ${outcome.message}`, mismatches: [] })}\n`);
    return 1;
  }
  const result = compareEpochs(record.epochs, outcome.result.epochs, tolerance);
  const note = kernelsNote(record.backend, outcome.result.backend);
  if (json) io.stdout(`${JSON.stringify({ event: 'verify', ...result, backend: outcome.result.backend, tolerance, ...(note && { note }) })}\n`);
  else io.stdout(`${result.verified ? 'Verified' : 'Not verified'}: ${result.summary}\n${result.mismatches.map((m) => `  ${m}\n`).join('')}${note ? `${note}\n` : ''}`);
  return result.verified ? 0 : 1;
}

function toleranceOption(args: ParsedArgs, name: string, fallback: number): number {
  const value = args.options.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${name} must be a number from 0 to 1, got ${String(value)}`);
  return n;
}
