/** The lesson panel: one webview showing lesson 7-1, 7-2 or 7-3, restored on reload by its serializer. */
import * as vscode from 'vscode';
import { MessageEndpoint } from '../protocol/endpoint';
import { webviewHtml, webviewOptions } from '../host/webviewHtml';
import { readExperimentConfig, readExperimentConfigs, readLessonNetwork, readLessonText } from './lessonContent';
import { lessonLinks } from './lessonLinks';
import { emptyProgress } from '../engine/practice/progress';
import type { OverfitRuns } from './overfitRuns';
import {
  fromLessonPageGuards,
  isLessonId,
  isLessonLanguage,
  isPracticeProgress,
  languageOf,
  type FromLessonPage,
  type PracticeFocus,
  type LessonId,
  type LessonLanguage,
  type LessonState,
  type ToLessonPage,
} from '../protocol/lessonProtocol';

/** Where the student's language choice is remembered across panels and sessions. */
const LANGUAGE_KEY = 'dnnLab.lessonLanguage';
/**
 * The lesson the panel last showed in this workspace. The page's own webview state reaches storage only
 * when the workbench saves its editors, which a browser reload (code-server) can miss; this is stored at once.
 */
const SHOWN_LESSON_KEY = 'dnnLab.lessonShown';
/** The student's practice progress (7-1 and 7-3), kept across panels, workspaces and sessions. */
const PRACTICE_KEY = 'dnnLab.practiceProgress';

/** What the panel needs from the extension. */
export interface LessonPanelServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  overfitRuns: OverfitRuns;
}

/** The lesson panel. One at a time: opening another lesson shows it in the same panel. */
export class LessonPanel {
  /** The webview's type, also the key of its serializer. */
  static readonly viewType = 'dnnLab.lesson';
  private static current: LessonPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly endpoint: MessageEndpoint<FromLessonPage, ToLessonPage>;
  /** Where the next page load's practice starts, when a layer's hover asked; used once. */
  private practiceFocus: PracticeFocus | undefined;

  /** Shows `lesson`, reusing the open panel if there is one; `practiceFocus` opens its practice at a layer's δ. */
  static createOrShow(services: LessonPanelServices, lesson: LessonId, practiceFocus?: PracticeFocus): void {
    if (LessonPanel.current) {
      LessonPanel.current.practiceFocus = practiceFocus;
      LessonPanel.current.show(lesson);
      LessonPanel.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(LessonPanel.viewType, lessonTitle(lesson, lessonLanguage(services.context)), vscode.ViewColumn.Active, webviewOptions(services.context.extensionUri));
    LessonPanel.current = new LessonPanel(panel, services, lesson, practiceFocus);
  }

  /** Restores a panel VS Code kept across a reload; `state` is what the page saved. */
  static revive(panel: vscode.WebviewPanel, services: LessonPanelServices, state: unknown): void {
    const shown = services.context.workspaceState.get<unknown>(SHOWN_LESSON_KEY);
    const saved = (state as { lesson?: unknown } | undefined)?.lesson;
    const lesson = isLessonId(shown) ? shown : isLessonId(saved) ? saved : '7-1';
    LessonPanel.current?.panel.dispose();
    panel.webview.options = webviewOptions(services.context.extensionUri);
    LessonPanel.current = new LessonPanel(panel, services, lesson);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: LessonPanelServices,
    private lesson: LessonId,
    practiceFocus?: PracticeFocus,
  ) {
    this.practiceFocus = practiceFocus;
    const { log } = services;
    this.endpoint = new MessageEndpoint((envelope) => void panel.webview.postMessage(envelope), (warning) => log.warn(`lesson panel: ${warning}`));
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message) => this.endpoint.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.handleMessages();
    this.show(lesson);
  }

  private show(lesson: LessonId): void {
    if (this.lesson === '7-2' && lesson !== '7-2') this.services.overfitRuns.stop();
    this.lesson = lesson;
    void this.services.context.workspaceState.update(SHOWN_LESSON_KEY, lesson);
    this.panel.title = lessonTitle(lesson, lessonLanguage(this.services.context));
    this.panel.iconPath = vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'walkthrough', 'lesson-icon.svg');
    // A new page for a new lesson: the page asks for its state when it is ready.
    this.panel.webview.html = webviewHtml(this.panel.webview, this.services.context.extensionUri, {
      title: lessonTitle(lesson, lessonLanguage(this.services.context)),
      bundle: 'lesson',
      styles: ['lesson.css'],
      lang: vscode.env.language,
    });
  }

  private handleMessages(): void {
    const { context, overfitRuns } = this.services;
    const guards = fromLessonPageGuards;
    this.endpoint.on('page/ready', guards['page/ready'], () => this.state());
    this.endpoint.on('lesson/setLanguage', guards['lesson/setLanguage'], ({ language }) => {
      void context.globalState.update(LANGUAGE_KEY, language);
      // The tab speaks the lesson's language, which the page's switch may have made another than VS Code's.
      this.panel.title = lessonTitle(this.lesson, language);
    });
    this.endpoint.on('lesson/openLink', guards['lesson/openLink'], async (link) => {
      if (link.kind === 'lesson') this.show(link.id);
      else await lessonLinks(context, this.services.log).open(link);
    });
    this.endpoint.on('overfit/run', guards['overfit/run'], async ({ experiment }) => {
      const config = await readExperimentConfig(context.extensionUri, experiment);
      return overfitRuns.run(config, {
        onEpoch: (epoch) => this.endpoint.notify('overfit/epochEnded', { experiment, epoch, totalEpochs: config.config.epochs }),
        onStatus: (message) => this.endpoint.notify('overfit/status', { experiment, message }),
      });
    });
    this.endpoint.on('overfit/stop', guards['overfit/stop'], () => overfitRuns.stop());
    this.endpoint.on('practice/save', guards['practice/save'], ({ progress }) => {
      void context.globalState.update(PRACTICE_KEY, progress);
    });
  }

  /** The whole state of the page, read fresh from lessons/ each time the page loads. */
  private async state(): Promise<LessonState> {
    const { context, overfitRuns } = this.services;
    const lesson = this.lesson;
    const [text, available] = await Promise.all([readLessonText(context.extensionUri, lesson), lessonLinks(context, this.services.log).available()]);
    const state: LessonState = { lesson, language: lessonLanguage(context), text, available };
    if (lesson === '7-1') state.stepper = await readLessonNetwork(context.extensionUri, '7-1-stepper.json', 'meanSquaredError');
    if (lesson === '7-3') state.workedExample = await readLessonNetwork(context.extensionUri, '7-3-worked-example.json', 'categoricalCrossentropy');
    if (lesson === '7-2') state.experiments = await overfitRuns.describe(await readExperimentConfigs(context.extensionUri));
    if (lesson === '7-1' || lesson === '7-3') {
      const stored = context.globalState.get<unknown>(PRACTICE_KEY);
      state.practice = { progress: isPracticeProgress(stored) ? stored : emptyProgress(), focus: this.practiceFocus };
      this.practiceFocus = undefined;
    }
    return state;
  }

  private dispose(): void {
    if (LessonPanel.current === this) LessonPanel.current = undefined;
    // Leaving 7-2 stops its run: nobody is watching the curve any more.
    this.services.overfitRuns.stop();
    this.endpoint.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The language to show first: the student's last choice, else VS Code's display language. */
export function lessonLanguage(context: vscode.ExtensionContext): LessonLanguage {
  const chosen = context.globalState.get<unknown>(LANGUAGE_KEY);
  if (isLessonLanguage(chosen)) return chosen;
  return languageOf(vscode.env.language);
}

/** Tab titles in each lesson language, for a lesson shown in another language than VS Code's. */
const LESSON_TITLES: Record<LessonLanguage, Record<LessonId, string>> = {
  en: {
    '7-1': 'Lesson 7-1: Backpropagation',
    '7-2': 'Lesson 7-2: Validating a network',
    '7-3': 'Lesson 7-3: A worked DNN example',
  },
  'zh-tw': {
    '7-1': '單元 7-1：反向傳播',
    '7-2': '單元 7-2：驗證神經網路',
    '7-3': '單元 7-3：DNN 神經網路數值範例',
  },
};

/** The panel's tab title, in the lesson's language (the page's 中文/English switch), else VS Code's. */
export function lessonTitle(lesson: LessonId, language?: LessonLanguage): string {
  if (language !== undefined && language !== languageOf(vscode.env.language)) return LESSON_TITLES[language][lesson];
  switch (lesson) {
    case '7-1':
      return vscode.l10n.t('Lesson 7-1: Backpropagation');
    case '7-2':
      return vscode.l10n.t('Lesson 7-2: Validating a network');
    case '7-3':
      return vscode.l10n.t('Lesson 7-3: A worked DNN example');
  }
}
