import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatConfigErrors } from '../engine/config/configError';
import { describeFileError } from '../engine/data/errors';
import type { LabConfig } from '../engine/config/labConfig';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import {
  configScript,
  EXPORT_EXTENSIONS,
  EXPORT_FORMATS,
  ExportError,
  RUN_TABLES,
  runTableText,
  SCRIPT_FORMATS,
  type ScriptFormat,
} from '../engine/export/runExports';
import type { TableFormat } from '../engine/export/tables';
import { UsageError, type ParsedArgs } from './args';
import { MAX_RECORD_BYTES, runRecordOfText } from '../engine/record/runHistory';
import type { RunRecord } from '../engine/record/runRecord';
import { MAX_CONFIG_BYTES, readBoundedFile, shownPath, writeOutputFile, type CliIo } from './io';
import { usableRecord } from './verifyCommand';

const FORMATS = EXPORT_FORMATS;
const TABLES = RUN_TABLES;

/**
 * `dnn-lab export <config or run record>... --format pytorch|keras|csv|markdown|latex [--table epochs|layers|comparison] [--out FILE]`:
 * a config (or a record's config) as a PyTorch or Keras script, or a run's epochs, its per-layer statistics or the
 * comparison of several runs (a sweep's records) as a table. Writes to --out, else to stdout.
 */
export async function exportCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const format = args.options.get('format');
  if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `export needs --format, one of ${FORMATS.join(', ')}${typeof format === 'string' ? `; got ${format}` : ''}`,
    );
  }
  const files = args.positionals;
  if (files.length === 0)
    throw new UsageError(
      `export needs a config or a run record, e.g. dnn-lab export corelab-1.dnn.json --format ${format}`,
    );
  const table = args.options.get('table') as string | undefined;
  if (table !== undefined && !(TABLES as readonly string[]).includes(table))
    throw new UsageError(`--table must be one of ${TABLES.join(', ')}, got ${table}`);

  const inputs: { file: string; config: LabConfig; record?: RunRecord }[] = [];
  for (const file of files) {
    let text: string;
    try {
      // The same bounded reader as train's and the run history's: never a FIFO or device, never gigabytes.
      const bytes = await readBoundedFile(resolve(io.cwd, file), Math.max(MAX_CONFIG_BYTES, MAX_RECORD_BYTES), {
        fix: 'name a .dnn.json config or a run record from .dnnlab/runs/<id>.json',
        what: 'a lab config or a run record is far smaller',
      });
      text = new TextDecoder().decode(bytes);
    } catch (err) {
      io.stderr(`Error: cannot read ${file}: ${(err as Error).message}\n`);
      return 1;
    }
    if (isRecordText(text)) {
      // A record goes through the run history's guard: a bad one is refused naming the file and the field.
      try {
        const record = usableRecord(runRecordOfText(text), file);
        inputs.push({ file, config: record.config, record });
      } catch (err) {
        io.stderr(`Error: ${(err as Error).message}\n`);
        return 1;
      }
      continue;
    }
    const parsed = parseLabConfig(text);
    if (!parsed.config) {
      io.stderr(`${formatConfigErrors(file, text, parsed.errors)}\nNothing exported: fix the config first.\n`);
      return 1;
    }
    inputs.push({ file, config: parsed.config });
  }

  let output: string;
  if ((SCRIPT_FORMATS as readonly string[]).includes(format)) {
    if (inputs.length > 1) throw new UsageError(`--format ${format} exports one config; got ${inputs.length} files`);
    try {
      output = configScript(inputs[0].config, format as ScriptFormat, inputs[0].file);
    } catch (err) {
      if (!(err instanceof ExportError)) throw err;
      io.stderr(`Error: ${err.message}\n`);
      return 1;
    }
  } else {
    const notRecords = inputs.filter((i) => !i.record).map((i) => i.file);
    if (notRecords.length > 0) {
      io.stderr(
        `Error: --format ${format} exports a run's figures, and ${notRecords.join(', ')} ${notRecords.length === 1 ? 'is a config' : 'are configs'}: ` +
          'name run records (.dnnlab/runs/<id>.json), or use --format pytorch or keras for a config.\n',
      );
      return 1;
    }
    const which = table ?? (inputs.length > 1 ? 'comparison' : 'epochs');
    if (which !== 'comparison' && inputs.length > 1)
      throw new UsageError(`--table ${which} exports one run; name one record, or use --table comparison`);
    output = runTableText(which as (typeof TABLES)[number], format as TableFormat, inputs);
  }
  const out = args.options.get('out');
  if (typeof out === 'string') {
    const path = resolve(io.cwd, out);
    try {
      // The folder is made for the export, as it always was; what is at the path itself is checked before writing.
      await mkdir(dirname(path), { recursive: true });
      const script = SCRIPT_FORMATS.includes(format as 'pytorch');
      await writeOutputFile('out', path, out, output, {
        mode: script ? 0o755 : 0o644,
        example: script
          ? `train.${format === 'keras' ? 'keras.' : ''}py`
          : `table.${EXPORT_EXTENSIONS[format as TableFormat]}`,
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr(
        `Error: ${code ? `--out ${out}: the folder ${dirname(path)} cannot be made: ${describeFileError(err)}` : (err as Error).message}\n`,
      );
      return 1;
    }
    io.stderr(`Wrote ${shownPath(io.cwd, path)}\n`);
  } else {
    io.stdout(output);
  }
  return 0;
}

/** A run record is JSON (no comments) with a format number and epochs; a config never has both. */
function isRecordText(text: string): boolean {
  try {
    const value = JSON.parse(text) as { format?: unknown; epochs?: unknown };
    return (
      typeof value === 'object' &&
      value !== null &&
      'format' in value &&
      'epochs' in value &&
      Array.isArray(value.epochs)
    );
  } catch {
    return false;
  }
}
