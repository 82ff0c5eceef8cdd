/**
 * What the lessons' links open: the labs and Corelab problems (the labs' commands) and Demo 7-3 (the training
 * panel's run command on a copy of lessons/7-3-demo.dnn.json in the workspace).
 */
import * as vscode from 'vscode';
import { readLessonFile } from './lessonContent';
import type { LessonLink } from '../protocol/lessonProtocol';

/** Command ids owned by the labs and the training panel. */
export const LINK_COMMANDS = { lab: 'dnnLab.openLab', corelab: 'dnnLab.openCorelab', runLab: 'dnnLab.runLab' } as const;

/** The file Demo 7-3 is copied to in the workspace, so the student can edit and rerun it. */
const DEMO_FILE = 'demo-7-3.dnn.json';

/** Opens lesson links and says which ones this VS Code can open. */
export function lessonLinks(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
  return {
    /** Whether each kind of link has its command registered (the labs may be missing from a build). */
    async available(): Promise<{ openLab: boolean; openCorelab: boolean; demo: boolean }> {
      const commands = new Set(await vscode.commands.getCommands(true));
      return { openLab: commands.has(LINK_COMMANDS.lab), openCorelab: commands.has(LINK_COMMANDS.corelab), demo: commands.has(LINK_COMMANDS.runLab) };
    },

    /** Opens a lab, a Corelab problem or Demo 7-3; rejects with a message the page shows beside the link. */
    async open(link: Exclude<LessonLink, { kind: 'lesson' }>): Promise<void> {
      switch (link.kind) {
        case 'lab':
          await vscode.commands.executeCommand(LINK_COMMANDS.lab, link.id);
          return;
        case 'corelab':
          await vscode.commands.executeCommand(LINK_COMMANDS.corelab, link.id);
          return;
        case 'demo-7-3': {
          const document = await demoDocument(context);
          // In the lesson's column, so the training panel opening beside it makes two columns, not three.
          await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preview: false });
          // Not awaited: the command resolves only when training ends, and the training panel reports its own errors.
          void vscode.commands.executeCommand(LINK_COMMANDS.runLab, document.uri).then(undefined, (err: unknown) => log.error(`Demo 7-3: ${String(err)}`));
        }
      }
    },
  };
}

/**
 * Demo 7-3's config: a copy in the workspace (or, with no folder open, in the extension's storage), made on first use
 * and never overwritten; the student is told where it went the time it is made.
 */
async function demoDocument(context: vscode.ExtensionContext): Promise<vscode.TextDocument> {
  const text = await readLessonFile(context.extensionUri, '7-3-demo.dnn.json');
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = vscode.Uri.joinPath(workspace ?? context.globalStorageUri, DEMO_FILE);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const where = workspace !== undefined ? vscode.workspace.asRelativePath(uri, true) : uri.fsPath;
    const reveal = vscode.l10n.t('Show in Explorer');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Demo 7-3 was copied to {0}: edit it and run it again there. It is never overwritten.', where),
        ...(workspace !== undefined ? [reveal] : []),
      )
      .then((choice) => {
        if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', uri);
      });
  }
  return vscode.workspace.openTextDocument(uri);
}
