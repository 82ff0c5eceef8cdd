import * as vscode from 'vscode';

/** A Progress notification for the MNIST download, opened on the first progress event and closed by `end()`. */
export class DownloadProgress {
  private report?: (message: string) => void;
  private finish?: () => void;

  /** Reports bytes of one file; the notification names the file and how much of it has arrived. */
  update(file: string, receivedBytes: number, totalBytes: number): void {
    if (!this.report) this.open();
    const percent = totalBytes > 0 ? Math.floor((100 * receivedBytes) / totalBytes) : 0;
    // Four files one after another: an increasing bar would have to run backwards, so the message carries the numbers.
    this.report?.(`${file}: ${percent}% (${(receivedBytes / 1e6).toFixed(1)} MB)`);
  }

  /** Closes the notification, if one is open. */
  end(): void {
    this.finish?.();
    this.report = undefined;
    this.finish = undefined;
  }

  private open(): void {
    let latest = '';
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    this.report = (message) => (latest = message);
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('DNN Lab: downloading MNIST'),
        cancellable: false,
      },
      (progress) => {
        // The notification may open after messages (or even the end) arrived: replay the latest, share the same end.
        if (this.report) this.report = (message) => progress.report({ message });
        if (latest) progress.report({ message: latest });
        return done;
      },
    );
  }
}
