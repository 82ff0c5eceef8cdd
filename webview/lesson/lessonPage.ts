/** The lesson panel's page: asks the host for the lesson, renders it in the chosen language with its interactives. */
import { errorText } from '../../src/engine/errorText';
import type { MessageEndpoint } from '../../src/protocol/endpoint';
import { connectToHost, type WebviewTransport } from '../common/vscodeApi';
import {
  lessonPageReplyGuards,
  type FromLessonPage,
  type LessonId,
  type LessonLanguage,
  type LessonState,
  type ToLessonPage,
} from '../../src/protocol/lessonProtocol';
import { parseLesson } from './lessonMarkdown';
import { renderLesson, type WidgetFactory } from './render';
import { pageStrings, type PageStrings } from './strings';
import { button, el } from './widgets/controls';
import { linkCard } from './widgets/links';
import { networkFigure } from './widgets/networkFigure';
import { overfit } from './widgets/overfit';
import { practice } from './widgets/practice';
import { emptyProgress } from '../../src/engine/practice/progress';
import { stepper } from './widgets/stepper';
import { workedExample, type WorkedExampleEdits } from './widgets/workedExample';

/** What the page keeps across hide/show and reloads (VS Code's webview state); the serializer reads `lesson`. */
interface PageState {
  lesson: LessonId;
  language: LessonLanguage;
  step?: number;
  worked?: WorkedExampleEdits;
  /** Where the student had scrolled to: hiding the tab destroys the page, and it comes back there. */
  scrollY?: number;
}

type Host = MessageEndpoint<ToLessonPage, FromLessonPage>;

/** The mounted page, for its entry and for tests. */
export interface LessonPage {
  /** Resolves once the page drew the lesson the host answered `page/ready` with (or showed why it could not). */
  readonly ready: Promise<void>;
}

/** Builds the lesson page in `root` and talks to the host over `transport`: VS Code's, or a test's. */
export function mountLessonPage(transport: WebviewTransport, root: HTMLElement): LessonPage {
  const host: Host = connectToHost<ToLessonPage, FromLessonPage>(transport);
  const ready = host.request('page/ready', {}, lessonPageReplyGuards['page/ready']).then(
    (state) => start(state, transport, host, root),
    (err: unknown) => {
      root.replaceChildren(el('p', 'error', `DNN Lab could not load this lesson: ${errorText(err)}`));
    },
  );
  return { ready };
}

function start(state: LessonState, transport: WebviewTransport, host: Host, root: HTMLElement): void {
  const view = root.ownerDocument.defaultView ?? window;
  const saved = transport.getState() as Partial<PageState> | undefined;
  const same = saved?.lesson === state.lesson;
  let page: PageState = {
    lesson: state.lesson,
    language: state.language,
    step: same ? saved?.step : undefined,
    worked: same ? saved?.worked : undefined,
    scrollY: same && typeof saved?.scrollY === 'number' ? saved.scrollY : undefined,
  };
  const save = (change: Partial<PageState>) => {
    page = { ...page, ...change };
    transport.setState(page);
  };
  save({});

  const render = () => {
    const strings = pageStrings(page.language);
    root.ownerDocument.documentElement.lang = page.language === 'zh-tw' ? 'zh-Hant-TW' : 'en';
    const article = el('article', 'lesson');
    article.dataset.lesson = state.lesson;
    article.append(renderLesson(parseLesson(state.text[page.language]), widgets(state, strings, host, page, save)));
    // The lesson is the page's main landmark; the bar above it is its navigation.
    const main = el('main');
    main.append(article);
    root.replaceChildren(
      header(state.lesson, strings, host, () => {
        save({ language: page.language === 'zh-tw' ? 'en' : 'zh-tw' });
        host.notify('lesson/setLanguage', { language: page.language });
        render();
      }),
      main,
    );
  };
  render();
  // After the fonts: KaTeX's glyphs change the lesson's height once they load.
  const scrollY = page.scrollY;
  if (scrollY) void root.ownerDocument.fonts.ready.then(() => view.scrollTo(0, scrollY));
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  view.addEventListener('scroll', () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => save({ scrollY: Math.round(view.scrollY) }), 150);
  });
}

/** The bar above a lesson: the chapter's lessons and the language switch. */
function header(current: LessonId, strings: PageStrings, host: Host, switchLanguage: () => void): HTMLElement {
  const bar = el('nav', 'lesson-nav');
  bar.setAttribute('aria-label', strings.lessonNav);
  const names: Record<LessonId, string> = { '7-1': strings.lesson71, '7-2': strings.lesson72, '7-3': strings.lesson73 };
  for (const id of Object.keys(names) as LessonId[]) {
    const link = el('a', id === current ? 'current' : undefined, names[id]);
    link.href = '#';
    if (id === current) link.setAttribute('aria-current', 'page');
    link.addEventListener('click', (event) => {
      event.preventDefault();
      if (id !== current)
        void host.request('lesson/openLink', { kind: 'lesson', id }, lessonPageReplyGuards['lesson/openLink']);
    });
    bar.append(link);
  }
  const language = button(strings.switchLanguage, switchLanguage, { secondary: true });
  language.title = strings.switchLanguageTitle;
  language.classList.add('language');
  bar.append(language);
  return bar;
}

/** The interactive parts a lesson's "::: name" lines place. */
function widgets(
  state: LessonState,
  strings: PageStrings,
  host: Host,
  page: PageState,
  save: (change: Partial<PageState>) => void,
): Record<string, WidgetFactory> {
  const missing = (what: string): HTMLElement => el('p', 'error', `${what} is missing from this lesson's data.`);
  const label = (args: string[], rest: string) => rest.slice(args[0]?.length ?? 0).trim();
  return {
    'network-figure': () => {
      const data = state.stepper ?? state.workedExample;
      return data ? networkFigure(data, strings) : missing('The network');
    },
    stepper: () =>
      state.stepper
        ? stepper(state.stepper, strings, { step: page.step ?? 0 }, (step) => save({ step }))
        : missing('The stepper network'),
    'worked-example': () =>
      state.workedExample
        ? workedExample(state.workedExample, strings, page.worked, (worked) => save({ worked }))
        : missing('The worked example'),
    overfit: () => (state.experiments ? overfit(state.experiments, strings, host) : missing('The experiments')),
    practice: () => {
      const network = state.lesson === '7-1' ? state.stepper : state.lesson === '7-3' ? state.workedExample : undefined;
      if (!network || (state.lesson !== '7-1' && state.lesson !== '7-3')) return missing('The practice network');
      state.practice ??= { progress: emptyProgress() };
      const practiceState = state.practice;
      // The hover's focus applies to the first render only; a language switch keeps the student's place.
      const focus = practiceState.focus;
      practiceState.focus = undefined;
      const widget = practice(
        state.lesson,
        network,
        strings,
        practiceState.progress,
        (progress) => {
          practiceState.progress = progress;
          host.notify('practice/save', { progress });
        },
        focus,
      );
      if (focus)
        requestAnimationFrame(() => {
          widget.scrollIntoView({ block: 'start' });
          widget.querySelector('input')?.focus();
        });
      return widget;
    },
    'open-lab': (args, rest) =>
      linkCard(
        { kind: 'lab', id: args[0] },
        label(args, rest),
        strings.openLab,
        state.available.openLab,
        strings,
        host,
      ),
    'open-corelab': (args, rest) =>
      linkCard(
        { kind: 'corelab', id: args[0] },
        label(args, rest),
        strings.openCorelab,
        state.available.openCorelab,
        strings,
        host,
      ),
    'demo-7-3': () => linkCard({ kind: 'demo-7-3' }, 'Demo 7-3', strings.openDemo, state.available.demo, strings, host),
  };
}
