import { resolve } from 'node:path';
import { explicitDataFolder } from '../engine/data';
import { compareEpochs, DEFAULT_TOLERANCE, kernelsNote, type VerifyTolerance } from '../engine/grading/verifyRun';
import type { BackendPreference } from '../engine/kernels/backend';
import { readRunRecordFile } from '../engine/record/runHistory';
import type { RunRecord } from '../engine/record/runRecord';
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

/**
 * The run record at `file` (named as the user wrote it, resolved from `cwd`), through the run history's own reader
 * and guard, with at least one finished epoch: a bad file is one Error naming the file and what is wrong with it.
 */
export async function readRunRecord(cwd: string, file: string): Promise<RunRecord> {
  return usableRecord(await readRunRecordFile(resolve(cwd, file)), file);
}

/** What the run history's reader found in `file`, as a record with finished epochs to compare or export; throws naming the file otherwise. */
export function usableRecord(read: { record: RunRecord } | { problem: string }, file: string): RunRecord {
  if ('problem' in read) throw new Error(`${file}: ${read.problem}: name a run record from .dnnlab/runs/<id>.json`);
  if (read.record.epochs.length === 0)
    throw new Error(`${file}: epochs must list the run's finished epochs, got none: train at least one epoch first`);
  return read.record;
}

/**
 * `dnn-lab verify <run.json> [--data DIR] [--backend B] [--threads N] [--accuracy-tolerance X] [--loss-tolerance X] [--json]`:
 * retrains the record's config with its seed on its backend for as many epochs as it recorded, and compares every
 * epoch's losses and accuracies. Resolves to 0 when they match within the tolerance, 1 otherwise.
 */
export async function verifyCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  if (!file || args.positionals.length > 1)
    throw new UsageError('verify needs one run record, e.g. dnn-lab verify .dnnlab/runs/<id>.json');
  const json = args.options.has('json');
  const tolerance: VerifyTolerance = {
    accuracy: toleranceOption(args, 'accuracy-tolerance', DEFAULT_TOLERANCE.accuracy),
    loss: toleranceOption(args, 'loss-tolerance', DEFAULT_TOLERANCE.loss),
  };
  let record: RunRecord;
  try {
    record = await readRunRecord(io.cwd, file);
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n`);
    return 1;
  }
  const recordedOn = record.environment.backend;
  const backend = args.options.has('backend') ? backendOption(args) : (recordedBackend(recordedOn) ?? 'auto');
  // The record's own thread count by default ("DNN Lab wasm (SIMD, 2 threads)"), so the products split the same way.
  const threadsFlag = optionValue(args, 'threads');
  const threads =
    threadsFlag === undefined
      ? Number(/(\d+) threads?\)/.exec(recordedOn ?? '')?.[1] ?? 1)
      : integerOption('threads', threadsFlag, 'a number of threads from 0 (one per core)', 1);
  const dataFlag = explicitDataFolder({ flag: args.options.get('data') as string | undefined });
  const config = { ...record.config, epochs: record.epochs.length };
  if (!json)
    io.stdout(
      `Retraining ${config.name} (seed ${config.seed}, ${config.epochs} epochs) on ${backend}${recordedOn ? `; recorded on ${recordedOn}` : ''}...\n`,
    );
  const outcome = await trainOutcome(config, {
    backend,
    threads,
    dataFolder: dataFlag && resolve(io.cwd, dataFlag),
    onEpoch: (m) =>
      !json &&
      io.stdout(
        `  epoch ${m.epoch}: train ${(100 * m.trainAccuracy).toFixed(2)}% (recorded ${(100 * (record.epochs[m.epoch - 1]?.trainAccuracy ?? NaN)).toFixed(2)}%)\n`,
      ),
  });
  if (outcome.kind === 'failed') {
    io.stderr(`Error: the retraining failed: ${outcome.message}\n`);
    if (json)
      io.stdout(
        `${JSON.stringify({ event: 'verify', verified: false, summary: `the retraining failed: ${outcome.message}`, mismatches: [] })}\n`,
      );
    return 1;
  }
  const result = compareEpochs(record.epochs, outcome.result.epochs, tolerance);
  const note = kernelsNote(recordedOn, outcome.result.backend);
  if (json)
    io.stdout(
      `${JSON.stringify({ event: 'verify', ...result, backend: outcome.result.backend, tolerance, ...(note && { note }) })}\n`,
    );
  else
    io.stdout(
      `${result.verified ? 'Verified' : 'Not verified'}: ${result.summary}\n${result.mismatches.map((m) => `  ${m}\n`).join('')}${note ? `${note}\n` : ''}`,
    );
  return result.verified ? 0 : 1;
}

function toleranceOption(args: ParsedArgs, name: string, fallback: number): number {
  const value = args.options.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`--${name} must be a number from 0 to 1, got ${String(value)}`);
  return n;
}
