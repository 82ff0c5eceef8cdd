import * as vscode from 'vscode';
import type { SourceRange } from '../engine/config/configError';
import { planGrading } from '../engine/grading/planGrading';
import { judgeRuns, type GradedRun } from '../engine/grading/verdict';
import { isLabFile, LAB_FILE_PATTERN } from '../host/labFiles';
import type { TrainingRuns } from '../training/trainingRuns';
import { errorText } from '../engine/errorText';

/**
 * The Corelab problems in the Test Explorer: every `*.dnn.json` naming a `"problem"` is a test item. Running one
 * checks the problem's requirements first (each failure attached to its place in the config), then trains in the
 * training panel and passes or fails on the accuracy reached.
 */
export class CorelabTests implements vscode.Disposable {
  private controller?: vscode.TestController;
  private readonly disposables: vscode.Disposable[];
  private disposed = false;

  constructor(
    private readonly session: TrainingRuns,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(LAB_FILE_PATTERN);
    this.disposables = [
      watcher,
      watcher.onDidCreate((uri) => this.update(uri)),
      watcher.onDidChange((uri) => this.update(uri)),
      watcher.onDidDelete((uri) => this.controller?.items.delete(uri.toString())),
      // A lab file opened from outside the workspace folders is a test too; the search and the watcher miss it.
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (!isLabFile(document.uri)) return;
        if (document.uri.scheme === 'file') void this.update(document.uri, document.getText());
        else this.tests();
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (isLabFile(document.uri)) void this.update(document.uri, document.getText());
      }),
    ];
    // Any test controller brings up the Testing view, and the extension also starts in windows that merely open
    // a JSON file: ours comes with the first lab file, in the workspace or opened from elsewhere.
    if (vscode.workspace.textDocuments.some((d) => isLabFile(d.uri))) this.tests();
    else {
      void vscode.workspace.findFiles(LAB_FILE_PATTERN, '**/node_modules/**', 1).then((found) => {
        if (found.length > 0) this.tests();
      });
    }
  }

  /** Grades one config file now, as the test item's run would (the CodeLens "Run & grade"). */
  async grade(uri: vscode.Uri): Promise<void> {
    // The text as the editor has it: unsaved edits count, and an untitled lab file has nothing on disk yet.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const item = await this.update(uri, open?.getText());
    if (!item) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('{0} names no Corelab problem: add "problem": "corelab-1" (or corelab-2, corelab-3) to grade it.', vscode.workspace.asRelativePath(uri)),
      );
      return;
    }
    const tokens = new vscode.CancellationTokenSource();
    try {
      await this.run(new vscode.TestRunRequest([item]), tokens.token);
    } finally {
      tokens.dispose();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.controller?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** The test controller, created on first use. */
  private tests(): vscode.TestController | undefined {
    if (this.controller || this.disposed) return this.controller;
    const controller = vscode.tests.createTestController('dnnLab.corelab', vscode.l10n.t('DNN Lab Corelab'));
    controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    controller.refreshHandler = () => this.discover();
    controller.createRunProfile(vscode.l10n.t('Run & grade'), vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.controller = controller;
    return controller;
  }

  private async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles(LAB_FILE_PATTERN, '**/node_modules/**');
    await Promise.all(files.map((uri) => this.update(uri)));
  }

  /** Adds, relabels or removes the item of `uri` after its text changed; returns it when the file names a problem. */
  private async update(uri: vscode.Uri, text?: string): Promise<vscode.TestItem | undefined> {
    const controller = this.tests();
    if (!controller) return undefined;
    const id = uri.toString();
    let source = text;
    try {
      source ??= new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      this.log.warn(`Corelab tests: cannot read ${uri.fsPath}: ${errorText(err)}`);
      controller.items.delete(id);
      return undefined;
    }
    const problem = planGrading(source).problem;
    if (!problem) {
      controller.items.delete(id);
      return undefined;
    }
    const label = `${problem.title.split(':')[0]} · ${vscode.workspace.asRelativePath(uri)}`;
    const item = controller.items.get(id) ?? controller.createTestItem(id, label, uri);
    item.label = label;
    item.description = problem.title.split(': ')[1];
    item.range = new vscode.Range(0, 0, 0, 0);
    controller.items.add(item);
    return item;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const controller = this.tests();
    if (!controller) return;
    const run = controller.createTestRun(request);
    const stop = token.onCancellationRequested(() => this.session.stop());
    try {
      const items: vscode.TestItem[] = [];
      if (request.include) items.push(...request.include);
      else controller.items.forEach((item) => items.push(item));
      for (const item of items) {
        if (token.isCancellationRequested) run.skipped(item);
        else await this.gradeItem(item, run, token);
      }
    } finally {
      stop.dispose();
      run.end();
    }
  }

  private async gradeItem(item: vscode.TestItem, run: vscode.TestRun, token: vscode.CancellationToken): Promise<void> {
    run.started(item);
    const started = Date.now();
    const document = await vscode.workspace.openTextDocument(item.uri!);
    const plan = planGrading(document.getText());
    if (plan.kind !== 'ready') {
      // Fails at once, each message at the place to fix.
      const messages = plan.errors.map((error) => {
        const message = new vscode.TestMessage(error.message);
        message.location = new vscode.Location(document.uri, rangeIn(document, error.range));
        return message;
      });
      run.failed(item, messages, Date.now() - started);
      return;
    }
    const graded: GradedRun[] = [];
    const epochs = this.session.onDidEndEpoch((e) => {
      if (e.run.documentUri.toString() !== document.uri.toString()) return;
      const m = e.metrics;
      const label = e.run.config.sweep ? `[learningRate=${e.run.config.optimizer.learningRate}] ` : '';
      run.appendOutput(
        `${label}epoch ${m.epoch}/${e.run.config.epochs}: train acc ${(100 * m.trainAccuracy).toFixed(2)}%, test acc ${(100 * m.testAccuracy).toFixed(2)}%, ${m.seconds.toFixed(1)} s\r\n`,
        undefined,
        item,
      );
    });
    try {
      for (const sweepRun of plan.runs) {
        if (token.isCancellationRequested) break;
        const outcome = await this.session.runDocument(document, { overrides: sweepRun.config });
        graded.push({
          label: sweepRun.label,
          learningRate: sweepRun.config.optimizer.learningRate,
          epochs: sweepRun.config.epochs,
          outcome: outcome.status === 'failed' ? { kind: 'failed', message: outcome.message } : { kind: 'trained', result: outcome.result },
        });
      }
    } finally {
      epochs.dispose();
    }
    if (token.isCancellationRequested || graded.length < plan.runs.length) {
      run.skipped(item);
      return;
    }
    const verdict = judgeRuns(plan.problem, graded);
    const text = [verdict.summary, ...verdict.details.map((d) => `• ${d}`)].join('\n');
    run.appendOutput(`${text.replace(/\n/g, '\r\n')}\r\n`, undefined, item);
    this.log.info(`Graded ${document.uri.fsPath}: ${verdict.summary}`);
    if (verdict.passed) run.passed(item, Date.now() - started);
    else run.failed(item, new vscode.TestMessage(text), Date.now() - started);
  }
}

function rangeIn(document: vscode.TextDocument, range: SourceRange): vscode.Range {
  return new vscode.Range(document.positionAt(range.offset), document.positionAt(range.offset + range.length));
}
