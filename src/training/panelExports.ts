import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  configScript,
  EXPORT_EXTENSIONS,
  exportFileName,
  ExportError,
  runTableText,
  type ExportFormat,
  type RunTable,
  type ScriptFormat,
} from '../engine/export/runExports';
import type { TableFormat } from '../engine/export/tables';
import type { RunRecord } from '../engine/record/runRecord';
import type { RunStore as RunHistory } from '../host/runStore';
import type { ExportRequest } from '../protocol/trainingPageProtocol';

/** What the panel's Export menu needs from its host: the runs to read, and the page to ask for a chart's pixels. */
export interface ExportDeps {
  history: RunHistory;
  /** The run in progress, which is newer than its file on disk. */
  current?: RunRecord;
  /** Asks the page for a chart as a PNG data URL ("data:image/png;base64,..."). */
  chartImage(chart: string): Promise<string>;
  log: vscode.LogOutputChannel;
}

/** One entry of the Export menu. */
type ExportChoice =
  | { kind: 'table'; table: RunTable; format: TableFormat }
  | { kind: 'script'; format: ScriptFormat }
  | { kind: 'chart'; chart: string; caption: string };

interface ChoiceItem extends vscode.QuickPickItem {
  choice?: ExportChoice;
}

const TABLE_FORMAT_NAMES: Record<TableFormat, string> = { csv: 'CSV', markdown: 'Markdown', latex: 'LaTeX' };

/**
 * The training panel's Export menu for the shown run: its epochs and per-layer statistics, the comparison with the
 * overlaid runs, every chart as PNG and the config as a PyTorch or Keras script. Tables and scripts come from the
 * same engine exporters as `dnn-lab export`. Saved through VS Code's save dialog (which asks before replacing a
 * file), then "Open" or "Reveal" is offered. Problems are shown naming the file and the fix; never thrown.
 */
export async function exportFromPanel(request: ExportRequest, deps: ExportDeps): Promise<void> {
  const record = await load(request.runId, deps);
  if (!record) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Run {0} cannot be exported: {1}', request.runId, deps.history.whyNotLoaded(request.runId)),
    );
    return;
  }
  const compared: RunRecord[] = [record];
  for (const id of request.compared.filter((id) => id !== record.id)) {
    const other = await load(id, deps);
    if (other) compared.push(other);
  }
  const picked = await vscode.window.showQuickPick(menu(record, compared.length, request.charts), {
    title: vscode.l10n.t('Export {0}', record.name),
    placeHolder: vscode.l10n.t('What to export, and in which format'),
    matchOnDescription: true,
  });
  if (!picked?.choice) return;
  const choice = picked.choice;
  const format: ExportFormat | 'png' = choice.kind === 'chart' ? 'png' : choice.format;
  const what = choice.kind === 'table' ? choice.table : choice.kind === 'chart' ? choice.chart : '';
  let bytes: Uint8Array;
  try {
    bytes = await contents(choice, record, compared, deps);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.log.warn(`Export of ${record.id} (${picked.label}) failed: ${message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be exported: {1}', picked.label, message));
    return;
  }
  const name = exportFileName(record.name, what, format);
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(defaultFolder(record, deps.history), name),
    filters: filterOf(format),
    title: vscode.l10n.t('Save {0}', picked.label),
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    deps.log.warn(`Export: could not write ${target.fsPath}: ${reason}`);
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        '{0} could not be written: {1}. Choose a folder you can write to and export again.',
        show(target),
        reason,
      ),
    );
    return;
  }
  deps.log.info(`Exported ${picked.label} of run ${record.id} to ${target.toString(true)} (${bytes.length} bytes)`);
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal');
  const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', show(target)), open, reveal);
  if (answer === open) await vscode.commands.executeCommand('vscode.open', target);
  else if (answer === reveal)
    await vscode.commands.executeCommand(
      vscode.workspace.getWorkspaceFolder(target) ? 'revealInExplorer' : 'revealFileInOS',
      target,
    );
}

async function load(id: string, deps: ExportDeps): Promise<RunRecord | undefined> {
  return deps.current?.id === id ? deps.current : deps.history.load(id);
}

function menu(record: RunRecord, runs: number, charts: ExportRequest['charts']): ChoiceItem[] {
  const separator = (label: string): ChoiceItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const tables = (table: RunTable, title: string, detail: string): ChoiceItem[] =>
    (['csv', 'markdown', 'latex'] as const).map((format) => ({
      label: `${title} (${TABLE_FORMAT_NAMES[format]})`,
      description: `.${EXPORT_EXTENSIONS[format]}`,
      detail: format === 'csv' ? detail : undefined,
      choice: { kind: 'table', table, format },
    }));
  const epochs = record.epochs.length;
  const items: ChoiceItem[] = [
    separator(vscode.l10n.t('Tables for a lab report')),
    ...tables('epochs', vscode.l10n.t('Epochs'), vscode.l10n.t('{0} epoch(s): losses, accuracies, seconds', epochs)),
    ...tables(
      'layers',
      vscode.l10n.t('Per-layer statistics'),
      vscode.l10n.t('RMS of δ, ‖∂C/∂W‖, ‖W‖ and update ratio of every layer and epoch'),
    ),
  ];
  if (runs > 1)
    items.push(
      ...tables(
        'comparison',
        vscode.l10n.t('Comparison of the shown and overlaid runs'),
        vscode.l10n.t('{0} runs: final accuracies and seconds per epoch', runs),
      ),
    );
  if (charts.length > 0) {
    items.push(separator(vscode.l10n.t('Charts')));
    for (const { chart, caption } of charts)
      items.push({ label: `${caption} (PNG)`, description: '.png', choice: { kind: 'chart', chart, caption } });
  }
  items.push(
    separator(vscode.l10n.t('The config as a script')),
    {
      label: vscode.l10n.t('PyTorch script'),
      description: '.py',
      detail: vscode.l10n.t('Trains the same network the same way; takes --data DIR and --epochs N'),
      choice: { kind: 'script', format: 'pytorch' },
    },
    {
      label: vscode.l10n.t('Keras script'),
      description: '.keras.py',
      choice: { kind: 'script', format: 'keras' },
    },
  );
  return items;
}

async function contents(
  choice: ExportChoice,
  record: RunRecord,
  compared: readonly RunRecord[],
  deps: ExportDeps,
): Promise<Uint8Array> {
  const text = (s: string) => new TextEncoder().encode(s);
  switch (choice.kind) {
    case 'script':
      return text(configScript(record.config, choice.format, record.name));
    case 'table': {
      const runs = choice.table === 'comparison' ? compared : [record];
      if (choice.table !== 'comparison' && record.epochs.length === 0)
        throw new ExportError(vscode.l10n.t('the run has no finished epoch yet: export it after its first epoch'));
      return text(
        runTableText(
          choice.table,
          choice.format,
          runs.map((r) => ({ config: r.config, record: r })),
        ),
      );
    }
    case 'chart':
      return pngOfDataUrl(await deps.chartImage(choice.chart));
  }
}

/** The bytes of a PNG data URL from the page, checked to be one (the PNG signature) before it is written. */
export function pngOfDataUrl(url: string): Uint8Array {
  const prefix = 'data:image/png;base64,';
  if (typeof url !== 'string' || !url.startsWith(prefix))
    throw new Error(`the chart did not come back as a PNG (got ${String(url).slice(0, 30)}…)`);
  const bytes = Buffer.from(url.slice(prefix.length), 'base64');
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || signature.some((b, i) => bytes[i] !== b)) throw new Error('the chart image is not a PNG');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The run's workspace folder, else the folder that holds its .dnnlab/runs. */
function defaultFolder(record: RunRecord, history: RunHistory): vscode.Uri {
  try {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(record.documentUri, true));
    if (folder) return folder.uri;
  } catch {
    // Not a URI: fall back to the runs folder's owner.
  }
  return vscode.Uri.file(path.dirname(path.dirname(history.dir)));
}

function filterOf(format: ExportFormat | 'png'): Record<string, string[]> {
  switch (format) {
    case 'png':
      return { [vscode.l10n.t('PNG image')]: ['png'] };
    case 'csv':
      return { CSV: ['csv'] };
    case 'markdown':
      return { Markdown: ['md'] };
    case 'latex':
      return { LaTeX: ['tex'] };
    case 'pytorch':
    case 'keras':
      return { Python: ['py'] };
  }
}

function show(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? path.join(folder.name, path.relative(folder.uri.fsPath, uri.fsPath)) : uri.fsPath;
}
