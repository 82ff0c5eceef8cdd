import * as vscode from 'vscode';
import { errorText } from '../engine/errorText';
import type { TrainingSession } from './trainingSession';

/**
 * Keeps every finished run's final weights beside its record, `.dnnlab/runs/<id>.weights.bin` (runWeights.ts), so
 * the training panel's "your own digit" can use the run's network after its worker has ended and after a reload.
 * A run that failed has none. A file that cannot be written costs the digit canvas for that run, never the run.
 */
export function keepRunWeights(session: TrainingSession, log: vscode.LogOutputChannel): vscode.Disposable {
  return session.onDidFinishRun(({ run, result }) => {
    if (!result.weights) return;
    const history = session.history();
    history.saveWeights(run.id, result.weights).then(
      (file) => log.info(`Run ${run.id}: weights saved to ${file}`),
      (err: unknown) =>
        log.warn(
          `Run ${run.id}: its weights could not be saved in ${history.dir} (${errorText(err)}); the panel cannot draw your own digit with this run`,
        ),
    );
  });
}
