// What a run (or several) exports to, in one place for `dnn-lab export` and the training panel's Export menu: the
// run's epochs, its per-layer statistics and a comparison of runs as CSV, Markdown or LaTeX tables, and the config
// as a PyTorch or Keras script. Both callers only read the inputs and write the text where the user asked.
import type { LabConfig } from '../config/labConfig';
import type { RunRecord } from '../record/runRecord';
import { comparisonRows, comparisonTable } from '../sweep/comparison';
import { kerasScript } from './keras';
import { pytorchScript } from './pytorch';
import { epochCells, formatTable, layerCells, TABLE_FORMATS, type Cells, type TableFormat } from './tables';

/** The tables a run exports. */
export const RUN_TABLES = ['epochs', 'layers', 'comparison'] as const;
export type RunTable = (typeof RUN_TABLES)[number];

/** The scripts a config exports. */
export const SCRIPT_FORMATS = ['pytorch', 'keras'] as const;
export type ScriptFormat = (typeof SCRIPT_FORMATS)[number];

/** Every export format, as `dnn-lab export --format` names them. */
export const EXPORT_FORMATS = [...SCRIPT_FORMATS, ...TABLE_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file extension of each format, without the dot. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  csv: 'csv',
  markdown: 'md',
  latex: 'tex',
  pytorch: 'py',
  keras: 'py',
};

/** A config to export, and the record of its run when there is one. */
export interface ExportInput {
  config: LabConfig;
  record?: Pick<RunRecord, 'epochs' | 'status'>;
}

/** Why an export cannot be made from these inputs; the message says what to name instead. */
export class ExportError extends Error {}

/** `config` as a script that trains the same network the same way; a sweep trains several and is refused. */
export function configScript(config: LabConfig, format: ScriptFormat, file = 'the config'): string {
  if (config.sweep)
    throw new ExportError(
      `${file} is a sweep; a script trains one network: export one of its runs' records, or remove "sweep".`,
    );
  return format === 'pytorch' ? pytorchScript(config) : kerasScript(config);
}

/** The cells of `table` for `inputs`: the first input's epochs or layers, or one row per input for a comparison. */
export function runTableCells(table: RunTable, inputs: readonly ExportInput[]): Cells {
  if (table !== 'comparison' && inputs.length !== 1)
    throw new ExportError(`the ${table} table is of one run; got ${inputs.length}: name one record, or compare them`);
  const epochs = inputs[0]?.record?.epochs ?? [];
  if (table === 'epochs') return epochCells(epochs);
  if (table === 'layers') return layerCells(epochs);
  const rows = comparisonRows(
    inputs.map(({ config, record }, index) => ({
      run: { index, label: config.name, settings: [] },
      status: record?.status ?? 'completed',
      epochs: record?.epochs ?? [],
    })),
  );
  return comparisonTable(rows, {
    run: 'run',
    status: 'status',
    train: 'train accuracy',
    test: 'test accuracy',
    time: 's per epoch',
  });
}

/** `table` of `inputs` as `format`, captioned "corelab-1: epochs", "corelab-1: layers" or "Comparison of 3 runs". */
export function runTableText(table: RunTable, format: TableFormat, inputs: readonly ExportInput[]): string {
  const caption =
    table === 'comparison' ? `Comparison of ${inputs.length} runs` : `${inputs[0]?.config.name ?? ''}: ${table}`;
  return formatTable(runTableCells(table, inputs), format, caption);
}

/** A file name for an export of `name`: letters, digits and dashes, e.g. "corelab-1-epochs.csv". */
export function exportFileName(name: string, what: string, format: ExportFormat | 'png'): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60);
  const stem = [slug(name) || 'run', slug(what)].filter(Boolean).join('-');
  return `${stem}${format === 'keras' ? '.keras' : ''}.${format === 'png' ? 'png' : EXPORT_EXTENSIONS[format]}`;
}
