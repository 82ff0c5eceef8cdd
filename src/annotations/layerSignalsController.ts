import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabConfig } from '../engine/config/labConfig';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import type { BackendPreference } from '../engine/kernels/backend';
import { anchorLayers, probeFingerprint, type LayerAnchor, type ProbeFingerprint } from '../engine/probe/layerAnchors';
import type { ProbeRequest } from '../engine/probe/probeSession';
import { signalBand, signalProblems } from '../engine/probe/signalHealth';
import { signalsFromStats } from '../engine/probe/trainingSignals';
import { withWorkspaceTrust, type DataLocation } from '../host/dataLocation';
import { isLabFile } from '../host/labFiles';
import type { TrainingRuns } from '../training/trainingRuns';
import { ProbeClient, ProbeFailedError } from '../worker/probeClient';
import { DocumentSignals, type SignalSnapshot } from './documentSignals';
import { SignalDecorations, type LayerAnnotation } from './signalDecorations';
import { signalDiagnostics } from './signalDiagnostics';
import { annotationLine, annotationTooltip, hoverMarkdown } from './signalPresentation';
import { errorText } from '../engine/errorText';

/** The training events the annotations follow during a run. */
export type TrainingEvents = Pick<TrainingRuns, 'onDidStartRun' | 'onDidEndBatch' | 'onDidEndEpoch'>;

/**
 * Milliseconds after the last keystroke before the probe runs: a pause in typing, not every letter. Short enough
 * that the probe (20-150 ms) usually ends before VS Code asks for the CodeLenses again (≥250 ms after the edit), so
 * that request draws the new numbers (see SignalCodeLens); a probe a newer edit overtakes is dropped in the worker.
 */
const DEBOUNCE_MS = 100;
/** Training batches with layer statistics can come fast; the editor is redrawn at most this often for them. */
const TRAINING_REDRAW_MS = 250;

/** Whether a document is a lab config, by its name: in a workspace folder or not, saved or untitled. */
export function isLabConfig(document: vscode.TextDocument): boolean {
  return isLabFile(document.uri);
}

/**
 * Keeps every visible lab config annotated with its layers' error signals: probes the config in the probe worker
 * shortly after each edit, follows training runs, and turns problems into diagnostics. The annotations are
 * re-anchored from the parser's layer ranges on every edit and fade (stale) on the layers that changed.
 */
export class LayerSignalsController implements vscode.Disposable {
  private readonly documents = new Map<string, DocumentSignals>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lastEdit = new Map<string, number>();
  private readonly runFingerprints = new Map<string, ProbeFingerprint>();
  private readonly lastTrainingRedraw = new Map<string, number>();
  private readonly shownErrors = new Set<string>();
  /** What each document shows now, for the CodeLens lines. */
  private readonly shown = new Map<string, readonly LayerAnnotation[]>();
  private readonly decorations = new SignalDecorations();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('dnnLab.layerSignals');
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires after the numbers or anchors of a document changed, for the table view. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: ProbeClient,
    /** Where a probe reads MNIST for a document (HostPlatform.resolveDataLocation). */
    private readonly resolveData: (documentUri: vscode.Uri) => DataLocation,
    private readonly log: vscode.LogOutputChannel,
    training?: TrainingEvents,
  ) {
    this.disposables.push(
      this.decorations,
      this.diagnostics,
      this.changed,
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshVisible()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isLabConfig(e.document) || e.contentChanges.length === 0) return;
        this.lastEdit.set(e.document.uri.toString(), performance.now());
        this.render(e.document);
        this.scheduleProbe(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          ['dnnLab.annotations.enabled', 'dnnLab.dataFolder', 'dnnLab.backend'].some((s) => e.affectsConfiguration(s))
        ) {
          this.shownErrors.clear();
          for (const editor of vscode.window.visibleTextEditors)
            if (isLabConfig(editor.document)) this.scheduleProbe(editor.document, 0);
          this.refreshVisible();
        }
      }),
    );
    if (training !== undefined) this.followTraining(training);
    this.refreshVisible();
  }

  /** The annotations `uri` shows now, in layer order; none when it has no numbers or they are turned off. */
  annotationsOf(uri: vscode.Uri): readonly LayerAnnotation[] {
    return this.shown.get(uri.toString()) ?? [];
  }

  /** The signals of a document, if any were measured. */
  signalsOf(uri: vscode.Uri): DocumentSignals | undefined {
    return this.documents.get(uri.toString());
  }

  /** The hover of the layer under `position`, if the position is inside a layer that has numbers. */
  hoverAt(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.anchorAt(document, document.offsetAt(position));
    if (found === undefined) return undefined;
    const markdown = hoverMarkdown(found.signals, found.anchor.layer - 1, found.anchor.stale);
    return markdown && new vscode.Hover(markdown);
  }

  private anchorAt(
    document: vscode.TextDocument,
    offset: number,
  ): { anchor: LayerAnchor; signals: DocumentSignals } | undefined {
    const signals = this.documents.get(document.uri.toString());
    if (!this.enabled(document) || signals?.latest === undefined) return undefined;
    const text = document.getText();
    const anchor = anchorLayers(text, parseLabConfig(text).ranges, signals.latest.fingerprint).find(
      (a) => a.range.offset <= offset && offset <= a.range.offset + a.range.length,
    );
    return anchor && { anchor, signals };
  }

  private enabled(document: vscode.TextDocument): boolean {
    return vscode.workspace.getConfiguration('dnnLab', document.uri).get<boolean>('annotations.enabled', true);
  }

  /** Draws every visible config, probing the ones never probed. */
  private refreshVisible(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (!isLabConfig(editor.document)) continue;
      if (
        this.documents.get(editor.document.uri.toString())?.latest === undefined &&
        !this.timers.has(editor.document.uri.toString())
      ) {
        this.scheduleProbe(editor.document, 0);
      }
      this.render(editor.document);
    }
  }

  private scheduleProbe(document: vscode.TextDocument, delay = DEBOUNCE_MS): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    if (!this.enabled(document)) return;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.probe(document);
      }, delay),
    );
  }

  private async probe(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed || !this.enabled(document)) return;
    const key = document.uri.toString();
    const text = document.getText();
    const parse = withWorkspaceTrust(parseLabConfig(text));
    // An invalid config (or one whose data Restricted Mode holds back) keeps its last numbers, faded where it
    // changed; its errors are the parser's to show.
    if (parse.config === undefined) return;
    const editedAt = this.lastEdit.get(key);
    try {
      const outcome = await this.client.probe(this.requestFor(document, parse.config));
      if (outcome.status === 'superseded' || document.isClosed) return;
      const { result } = outcome;
      const signals = this.documents.get(key) ?? new DocumentSignals();
      this.documents.set(key, signals);
      signals.record({
        layers: result.layers,
        source: {
          kind: 'probe',
          kernels: result.kernels,
          millis: result.millis,
          batchSize: result.batchSize,
          seed: parse.config.seed,
        },
        fingerprint: probeFingerprint(text, parse.ranges),
      });
      this.render(document);
      const since =
        editedAt === undefined ? '' : `, ${Math.round(performance.now() - editedAt)} ms after the last keystroke`;
      this.log.info(
        `δ probe of ${path.basename(document.uri.path)}: ${Math.round(result.millis)} ms on ${result.kernels}${since}`,
      );
    } catch (err) {
      this.showProbeError(err);
    }
  }

  private requestFor(document: vscode.TextDocument, config: LabConfig): ProbeRequest {
    const location = this.resolveData(document.uri);
    const backend = vscode.workspace.getConfiguration('dnnLab', document.uri).get<BackendPreference>('backend', 'auto');
    const { dataset } = config;
    // A dataset path counts from the config's own folder, as the student reads it.
    const absolute =
      dataset.kind === 'path' && !path.isAbsolute(dataset.path)
        ? { kind: 'path' as const, path: path.join(path.dirname(document.uri.fsPath), dataset.path) }
        : dataset;
    return {
      config: { ...config, dataset: absolute },
      dataFolder: location.dataFolder,
      cacheDir: location.cacheDir,
      backend,
    };
  }

  private showProbeError(err: unknown): void {
    const message = errorText(err);
    this.log.error(`δ probe failed: ${message}`);
    if (this.shownErrors.has(message)) return;
    this.shownErrors.add(message);
    if (err instanceof ProbeFailedError && err.kind === 'data') {
      const open = vscode.l10n.t('Set the MNIST Folder…');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('The layer error signals need MNIST: {0}', message), open)
        .then((choice) => {
          if (choice === open) void vscode.commands.executeCommand('dnnLab.setDataFolder');
        });
    } else {
      void vscode.window.showErrorMessage(vscode.l10n.t('The layer error signals could not be computed: {0}', message));
    }
  }

  /** Redraws the annotations and diagnostics of `document` from its current text and its latest numbers. */
  private render(document: vscode.TextDocument): void {
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === document);
    const signals = this.documents.get(document.uri.toString());
    const snapshot = signals?.latest;
    if (!this.enabled(document) || signals === undefined || snapshot === undefined) {
      for (const editor of editors) this.decorations.clear(editor);
      this.diagnostics.delete(document.uri);
      if (this.shown.delete(document.uri.toString())) this.changed.fire(document.uri);
      return;
    }
    const text = document.getText();
    const { ranges } = parseLabConfig(text);
    const anchors = anchorLayers(text, ranges, snapshot.fingerprint);
    const output = snapshot.layers[snapshot.layers.length - 1];
    const annotations = anchors.flatMap((anchor): LayerAnnotation[] => {
      const signal = snapshot.layers[anchor.layer - 1];
      if (signal === undefined) return [];
      const band = signalBand(signal, output);
      return [
        {
          layer: anchor.layer,
          lines: {
            first: document.positionAt(anchor.range.offset).line,
            last: document.positionAt(anchor.range.offset + anchor.range.length).line,
          },
          text: annotationLine(signal, signals.history[anchor.layer - 1], snapshot.source, anchor.stale, band),
          tooltip: annotationTooltip(signal, anchor.stale, band),
          band,
          stale: anchor.stale,
        },
      ];
    });
    this.shown.set(document.uri.toString(), annotations);
    for (const editor of editors) this.decorations.show(editor, annotations);
    const fresh = new Set(anchors.filter((a) => !a.stale).map((a) => a.layer));
    const problems = signalProblems(snapshot.layers).filter((p) => fresh.has(p.layer));
    this.diagnostics.set(document.uri, signalDiagnostics(document, ranges, problems, snapshot.layers));
    this.changed.fire(document.uri);
  }

  private followTraining(training: TrainingEvents): void {
    const record = (
      uri: vscode.Uri,
      runId: string,
      config: LabConfig,
      stats: Parameters<typeof signalsFromStats>[0],
      source: SignalSnapshot['source'],
    ) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const fingerprint = this.runFingerprints.get(runId);
      if (document === undefined || fingerprint === undefined || stats.length === 0) return;
      const key = uri.toString();
      const signals = this.documents.get(key) ?? new DocumentSignals();
      this.documents.set(key, signals);
      signals.record({ layers: signalsFromStats(stats, config.layers), source, fingerprint });
      const now = performance.now();
      if (
        source.kind === 'training' &&
        source.batch !== undefined &&
        now - (this.lastTrainingRedraw.get(key) ?? 0) < TRAINING_REDRAW_MS
      )
        return;
      this.lastTrainingRedraw.set(key, now);
      this.render(document);
    };
    this.disposables.push(
      training.onDidStartRun(({ run }) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === run.documentUri.toString());
        if (document === undefined) return;
        const text = document.getText();
        // The numbers of this run belong to the text it started from; later edits make them stale.
        this.runFingerprints.set(run.id, probeFingerprint(text, parseLabConfig(text).ranges));
      }),
      training.onDidEndBatch(({ run, metrics }) => {
        if (metrics.layers === undefined || metrics.batch === metrics.batches) return; // the epoch's end reports the last batch
        record(run.documentUri, run.id, run.config, metrics.layers, {
          kind: 'training',
          epoch: metrics.epoch,
          batch: metrics.batch,
        });
      }),
      training.onDidEndEpoch(({ run, metrics }) =>
        record(run.documentUri, run.id, run.config, metrics.layers, { kind: 'training', epoch: metrics.epoch }),
      ),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.shown.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.documents.delete(key);
    this.lastEdit.delete(key);
    this.diagnostics.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
    this.client.dispose();
  }
}
