/** The lesson commands, the panel's serializer and the 7-2 runner, registered together. */
import * as vscode from 'vscode';
import { LessonPanel, lessonTitle, type LessonPanelServices } from './lessonPanel';
import type { HostPlatform } from '../host/platform';
import { OverfitRuns } from './overfitRuns';
import { isLessonId, isPracticeFocus, LESSON_IDS, type LessonId, type PracticeFocus } from '../protocol/lessonProtocol';

/** Registers "DNN Lab: Open Lesson…" (a quick pick, or a lesson id as argument), one command per lesson, and the serializer. */
export function registerLessons(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, platform: HostPlatform): vscode.Disposable[] {
  const overfitRuns = new OverfitRuns(context, log, platform);
  const services: LessonPanelServices = { context, log, overfitRuns };
  const open = (lesson: LessonId, practice?: PracticeFocus) => LessonPanel.createOrShow(services, lesson, practice);
  return [
    overfitRuns,
    // A second argument { practice: { output, activation } } opens the lesson's practice at that layer's δ (a layer's hover).
    vscode.commands.registerCommand('dnnLab.openLesson', async (lesson?: unknown, options?: unknown) => {
      if (lesson !== undefined) {
        if (!isLessonId(lesson)) {
          void vscode.window.showErrorMessage(vscode.l10n.t('There is no lesson "{0}". The lessons are {1}.', String(lesson), LESSON_IDS.join(', ')));
          return;
        }
        const practice = (options as { practice?: unknown } | undefined)?.practice;
        open(lesson, isPracticeFocus(practice) && (lesson === '7-1' || lesson === '7-3') ? practice : undefined);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        LESSON_IDS.map((id) => ({ label: lessonTitle(id), description: lessonDescription(id), id })),
        { placeHolder: vscode.l10n.t('Pick a lesson of chapter 7') },
      );
      if (picked) open(picked.id);
    }),
    vscode.commands.registerCommand('dnnLab.openLesson71', () => open('7-1')),
    vscode.commands.registerCommand('dnnLab.openLesson72', () => open('7-2')),
    vscode.commands.registerCommand('dnnLab.openLesson73', () => open('7-3')),
    vscode.window.registerWebviewPanelSerializer(LessonPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => LessonPanel.revive(panel, services, state),
    }),
  ];
}

function lessonDescription(lesson: LessonId): string {
  switch (lesson) {
    case '7-1':
      return vscode.l10n.t('Step forward and backward through a network');
    case '7-2':
      return vscode.l10n.t('Accuracy, and overfitting on real MNIST runs');
    case '7-3':
      return vscode.l10n.t('Every number of a 2-3-3 network, editable');
  }
}
