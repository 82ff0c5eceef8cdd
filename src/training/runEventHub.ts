import * as vscode from 'vscode';
import type {
  RunBatchEnded,
  RunEpochEnded,
  RunFailed,
  RunFinished,
  RunPredicted,
  RunStarted,
  TrainingRuns,
} from './trainingRuns';

type RunEvents = Pick<
  TrainingRuns,
  'onDidStartRun' | 'onDidEndBatch' | 'onDidEndEpoch' | 'onDidPredict' | 'onDidFinishRun' | 'onDidFailRun'
>;

/** The public run events of `TrainingRuns` and the panel's error-cleared event, one emitter each, fired by the session. */
export class RunEventHub implements RunEvents, vscode.Disposable {
  readonly started = new vscode.EventEmitter<RunStarted>();
  readonly batchEnded = new vscode.EventEmitter<RunBatchEnded>();
  readonly epochEnded = new vscode.EventEmitter<RunEpochEnded>();
  readonly predicted = new vscode.EventEmitter<RunPredicted>();
  readonly finished = new vscode.EventEmitter<RunFinished>();
  readonly failed = new vscode.EventEmitter<RunFailed>();
  readonly errorCleared = new vscode.EventEmitter<void>();

  readonly onDidStartRun = this.started.event;
  readonly onDidEndBatch = this.batchEnded.event;
  readonly onDidEndEpoch = this.epochEnded.event;
  readonly onDidPredict = this.predicted.event;
  readonly onDidFinishRun = this.finished.event;
  readonly onDidFailRun = this.failed.event;
  /** The config error the panel shows went away: its file validates now. */
  readonly onDidClearError = this.errorCleared.event;

  dispose(): void {
    for (const emitter of [
      this.started,
      this.batchEnded,
      this.epochEnded,
      this.predicted,
      this.finished,
      this.failed,
      this.errorCleared,
    ])
      emitter.dispose();
  }
}
