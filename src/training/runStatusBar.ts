import * as vscode from 'vscode';
import { formatDuration, RemainingTime } from '../engine/eta';
import { stepOf } from '../engine/record/runReducer';
import type { TrainingRuns } from './trainingRuns';

/** The status bar item while a run trains: epoch, batch progress and ETA; a click opens the training panel. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dnnLab.run', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private lastUpdate = 0;
  private eta?: { runId: string; remaining: RemainingTime };

  constructor(
    runs: TrainingRuns,
    private readonly now: () => number = Date.now,
  ) {
    this.item.name = vscode.l10n.t('DNN Lab training');
    this.item.command = 'dnnLab.openTrainingPanel';
    this.disposables.push(
      runs.onDidStartRun(({ run }) => {
        // A still icon: a spinning one keeps the browser compositing ~20 frames a second for the whole run, CPU
        // that the web host's training worker then lacks (it shares the browser's scheduling). The text moves.
        this.item.text = `$(graph-line) ${vscode.l10n.t('DNN Lab: starting {0}', run.config.name)}`;
        this.item.tooltip = vscode.l10n.t('Loading the data and the backend. Click to open the training panel.');
        this.item.show();
      }),
      runs.onDidEndBatch(({ run, metrics }) => {
        if (this.eta?.runId !== run.id)
          this.eta = { runId: run.id, remaining: new RemainingTime(run.config.epochs * metrics.batches) };
        const eta = this.eta.remaining.update(stepOf(metrics), this.now() / 1000);
        // Batches can end hundreds of times a second; the status bar needs a few updates a second at most.
        if (this.now() - this.lastUpdate < 500 && metrics.batch !== metrics.batches) return;
        this.lastUpdate = this.now();
        const etaText = eta === undefined ? '' : ` · ${vscode.l10n.t('ETA {0}', formatDuration(eta))}`;
        this.item.text = `$(graph-line) ${vscode.l10n.t('DNN Lab: epoch {0}/{1}', metrics.epoch, run.config.epochs)}${etaText}`;
        this.item.tooltip = vscode.l10n.t(
          '{0}: batch {1} of {2}, loss {3}. Click to open the training panel.',
          run.config.name,
          metrics.batch,
          metrics.batches,
          metrics.loss.toFixed(4),
        );
      }),
      runs.onDidFinishRun(() => this.item.hide()),
      runs.onDidFailRun(() => this.item.hide()),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
