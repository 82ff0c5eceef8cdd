// Runs in a worker thread, bundled from src by engineWorker.ts, so a case that recurses too deep or loops for
// minutes can be stopped: it checks one config text with the engine's own functions and reports what it saw.
import { parentPort } from 'node:worker_threads';
import { formatConfigErrors, positionAt } from '../../src/engine/config/configError';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { inFile, lineLengths } from './positions';

/** What the worker tells about one config text. */
export interface ProbeReport {
  id: number;
  /** The exception parseLabConfig or formatConfigErrors threw, with its stack. */
  thrown?: string;
  valid: boolean;
  errorCount: number;
  /** The first and last errors as the user sees them: path, message and the line:column of the formatted output. */
  errors: { path: string; message: string; line: number; column: number }[];
  /** Errors whose line:column (formatted or positionAt) falls outside the file, or whose message is empty. */
  badPositions: string[];
  /** Errors that say "Internal error" or carry a stack trace. */
  internal: string[];
  parseMs: number;
  formatMs: number;
}

const SHOWN = 200;

parentPort?.on('message', ({ id, text }: { id: number; text: string }) => {
  const report: ProbeReport = {
    id,
    valid: false,
    errorCount: 0,
    errors: [],
    badPositions: [],
    internal: [],
    parseMs: 0,
    formatMs: 0,
  };
  try {
    const t0 = performance.now();
    const parsed = parseLabConfig(text);
    report.parseMs = performance.now() - t0;
    const t1 = performance.now();
    const formatted = formatConfigErrors('case.dnn.json', text, parsed.errors);
    report.formatMs = performance.now() - t1;
    report.valid = parsed.config !== undefined;
    report.errorCount = parsed.errors.length;
    const lengths = lineLengths(text);
    const lines = parsed.errors.length ? formatted.split('\n') : [];
    if (lines.length !== parsed.errors.length)
      report.badPositions.push(`${parsed.errors.length} errors gave ${lines.length} formatted lines`);
    parsed.errors.forEach((error, i) => {
      const match = /^case\.dnn\.json:(\d+):(\d+): error: (.*)$/s.exec(lines[i] ?? '');
      const line = match ? Number(match[1]) : 0;
      const column = match ? Number(match[2]) : 0;
      const { range } = error;
      if (!match || !inFile(lengths, line, column))
        report.badPositions.push(
          `error ${i} "${error.message.slice(0, 120)}" printed as ${JSON.stringify((lines[i] ?? '').slice(0, 60))}`,
        );
      else if (!(range.offset >= 0 && range.length >= 0 && range.offset + range.length <= text.length))
        report.badPositions.push(`error ${i} range ${range.offset}+${range.length} outside ${text.length} chars`);
      if (!error.message.trim()) report.badPositions.push(`error ${i} has an empty message`);
      if (i < 3 || report.badPositions.length > 0) {
        // The JSON reporter's line:column comes from positionAt; it must agree with the text output.
        const at = positionAt(text, range.offset);
        if (at.line !== line || at.column !== column)
          report.badPositions.push(`error ${i}: positionAt ${at.line}:${at.column} but printed ${line}:${column}`);
      }
      if (/internal error|\n\s+at \S/i.test(error.message)) report.internal.push(error.message.slice(0, 200));
      if (i < SHOWN / 2 || i >= parsed.errors.length - SHOWN / 2)
        report.errors.push({ path: error.path, message: error.message.slice(0, 400), line, column });
    });
    report.badPositions = report.badPositions.slice(0, 10);
  } catch (err) {
    report.thrown =
      err instanceof Error
        ? `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`
        : String(err);
  }
  parentPort?.postMessage(report);
});
