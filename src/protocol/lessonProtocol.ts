/**
 * The lesson panel's protocol (host <-> page), carried by src/protocol/endpoint.ts. Requests get replies (`err`
 * rejects); notifications do not. Only plain data crosses: lesson text, network numbers and epoch metrics.
 */
import type { LessonNetworkData } from '../engine/lessonNetwork';
import { PRACTICE_ACTIVATIONS, type PracticeActivation } from '../engine/practice/exercise';
import { isPracticeProgress, type PracticeProgress } from '../engine/practice/progress';
import type { EpochMetrics } from '../engine/train/metrics';
import { arrayOf, isEmpty, isNumber, isRecord, isString, object, oneOf, optional, type Guard } from './guards';

export type { LessonNetworkData, PracticeProgress };
export { isPracticeProgress };

/** What a layer's hover asks the practice widget for: that layer's δ, with its activation. */
export interface PracticeFocus {
  /** The hovered layer is the output layer (practise δ^L) rather than a hidden one. */
  output: boolean;
  /** The layer's activation, when practice has it (sigmoid, tanh, relu). */
  activation?: PracticeActivation;
}

/** Runtime check of a practice focus from a command argument. */
export function isPracticeFocus(value: unknown): value is PracticeFocus {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.output === 'boolean' &&
    (v.activation === undefined || (PRACTICE_ACTIVATIONS as readonly unknown[]).includes(v.activation))
  );
}

/** The lessons of the chapter, by id. */
export const LESSON_IDS = ['7-1', '7-2', '7-3'] as const;
export type LessonId = (typeof LESSON_IDS)[number];

/** Languages a lesson is written in; the page can switch between them. */
export const LESSON_LANGUAGES = ['zh-tw', 'en'] as const;
export type LessonLanguage = (typeof LESSON_LANGUAGES)[number];

/** The lesson language for VS Code's display language: Traditional Chinese for zh-tw, zh-hk, zh-mo, zh-hant*; else English. */
export function languageOf(displayLanguage: string): LessonLanguage {
  return /^zh-(tw|hk|mo|hant)/i.test(displayLanguage) ? 'zh-tw' : 'en';
}

/** One of the 7-2 experiments: its config file under lessons/, described for the page. */
export interface OverfitExperiment {
  /** "baseline", "smallerModel" or "moreData". */
  id: OverfitExperimentId;
  /** Layer sizes from input to output, e.g. [784, 256, 256, 10]. */
  sizes: number[];
  parameters: number;
  trainSamples: number;
  testSamples: number;
  epochs: number;
  /** Curves of a finished run on this machine, if one is cached. */
  result?: OverfitResult;
}

/** The 7-2 experiments the page offers. */
export const OVERFIT_EXPERIMENT_IDS = ['baseline', 'smallerModel', 'moreData'] as const;
export type OverfitExperimentId = (typeof OVERFIT_EXPERIMENT_IDS)[number];

/** The curves of one finished 7-2 run. */
export interface OverfitResult {
  epochs: Pick<EpochMetrics, 'epoch' | 'trainLoss' | 'trainAccuracy' | 'testLoss' | 'testAccuracy'>[];
  backend: string;
  seconds: number;
}

/** Everything the page shows, sent once in reply to 'page/ready'. */
export interface LessonState {
  lesson: LessonId;
  /** The language to show first: the one the student picked last, else VS Code's display language. */
  language: LessonLanguage;
  /** The lesson's Markdown in each language, read from lessons/ at run time. */
  text: Record<LessonLanguage, string>;
  /** 7-1's stepper network (lessons/7-1-stepper.json). */
  stepper?: LessonNetworkData;
  /** 7-3's worked example (lessons/7-3-worked-example.json). */
  workedExample?: LessonNetworkData;
  /** 7-2's experiments with any cached curves. */
  experiments?: OverfitExperiment[];
  /** 7-1's and 7-3's practice: the student's progress, and where to start when a layer's hover asked. */
  practice?: { progress: PracticeProgress; focus?: PracticeFocus };
  /** Which link targets exist in this VS Code: labs, Corelab problems, the training panel. */
  available: { openLab: boolean; openCorelab: boolean; demo: boolean };
}

/** What a lesson link opens. */
export type LessonLink =
  | { kind: 'lab'; id: string }
  | { kind: 'corelab'; id: string }
  | { kind: 'demo-7-3' }
  | { kind: 'lesson'; id: LessonId };

/** Messages the page sends the host. */
export type FromLessonPage = {
  /** Request, sent once the page has loaded: answered with the whole state. */
  'page/ready': { payload: Record<string, never>; result: LessonState };
  /** Notification, sent when the student switches language, so the choice is remembered. */
  'lesson/setLanguage': { payload: { language: LessonLanguage }; result: void };
  /** Request, sent when the student clicks a lab, Corelab, demo or lesson link: resolves once it opened. */
  'lesson/openLink': { payload: LessonLink; result: void };
  /** Request, sent when the student runs a 7-2 experiment: resolves with its curves when training ends. */
  'overfit/run': { payload: { experiment: OverfitExperimentId }; result: OverfitResult };
  /** Notification, sent when the student stops the running 7-2 experiment. */
  'overfit/stop': { payload: Record<string, never>; result: void };
  /** Notification, sent after each practice answer checked or shown, so the progress is kept per student. */
  'practice/save': { payload: { progress: PracticeProgress }; result: void };
};

/** Messages the host sends the page. */
export type ToLessonPage = {
  /** Notification, sent after each epoch of a running 7-2 experiment. */
  'overfit/epochEnded': {
    payload: { experiment: OverfitExperimentId; epoch: OverfitResult['epochs'][number]; totalEpochs: number };
    result: void;
  };
  /** Notification, sent while a 7-2 experiment loads MNIST or picks its backend. */
  'overfit/status': { payload: { experiment: OverfitExperimentId; message: string }; result: void };
};

/** Runtime check of a link the page asks to open; the page is not trusted to send only valid ones. */
export function isLessonLink(value: unknown): value is LessonLink {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const id = typeof v.id === 'string' && /^[a-z0-9-]{1,40}$/.test(v.id);
  switch (v.kind) {
    case 'lab':
    case 'corelab':
      return id;
    case 'demo-7-3':
      return true;
    case 'lesson':
      return (LESSON_IDS as readonly unknown[]).includes(v.id);
    default:
      return false;
  }
}

/** Runtime check of an experiment id from the page. */
export function isOverfitExperimentId(value: unknown): value is OverfitExperimentId {
  return (OVERFIT_EXPERIMENT_IDS as readonly unknown[]).includes(value);
}

/** Runtime check of a language from the page. */
export function isLessonLanguage(value: unknown): value is LessonLanguage {
  return (LESSON_LANGUAGES as readonly unknown[]).includes(value);
}

/** Runtime check of a lesson id (from restored page state or a command argument). */
export function isLessonId(value: unknown): value is LessonId {
  return (LESSON_IDS as readonly unknown[]).includes(value);
}

const isOverfitEpoch = object({
  epoch: isNumber,
  trainLoss: isNumber,
  trainAccuracy: isNumber,
  testLoss: isNumber,
  testAccuracy: isNumber,
});

/** Runtime check of a 7-2 run's curves (from the host, or from the host's cache). */
export const isOverfitResult: Guard<OverfitResult> = object({
  epochs: arrayOf(isOverfitEpoch),
  backend: isString,
  seconds: isNumber,
});

const isLanguageText = (value: unknown): value is Record<LessonLanguage, string> =>
  isRecord(value) && LESSON_LANGUAGES.every((language) => isString(value[language]));

/**
 * Runtime check of the state the page starts from. The networks' numbers are checked where they are drawn
 * (a missing one shows as "missing from this lesson's data"), so only their presence as objects is checked here.
 */
export const isLessonState: Guard<LessonState> = (value): value is LessonState =>
  isRecord(value) &&
  isLessonId(value.lesson) &&
  isLessonLanguage(value.language) &&
  isLanguageText(value.text) &&
  (value.stepper === undefined || isRecord(value.stepper)) &&
  (value.workedExample === undefined || isRecord(value.workedExample)) &&
  (value.experiments === undefined ||
    arrayOf(
      object({
        id: isOverfitExperimentId,
        sizes: arrayOf(isNumber),
        parameters: isNumber,
        trainSamples: isNumber,
        testSamples: isNumber,
        epochs: isNumber,
        result: optional(isOverfitResult),
      }),
    )(value.experiments)) &&
  (value.practice === undefined ||
    (isRecord(value.practice) &&
      isPracticeProgress(value.practice.progress) &&
      (value.practice.focus === undefined || isPracticeFocus(value.practice.focus)))) &&
  isRecord(value.available);

/** The page's check of each message from the host, by type. */
export const toLessonPageGuards: { [K in keyof ToLessonPage]: Guard<ToLessonPage[K]['payload']> } = {
  'overfit/epochEnded': object({ experiment: isOverfitExperimentId, epoch: isOverfitEpoch, totalEpochs: isNumber }),
  'overfit/status': object({ experiment: isOverfitExperimentId, message: isString }),
};

/** The page's check of the host's replies, by request type. */
export const lessonPageReplyGuards = {
  'page/ready': isLessonState,
  'lesson/openLink': (value: unknown): value is void => (void value, true),
  'overfit/run': isOverfitResult,
};

/** The host's check of each message from the page, by type. */
export const fromLessonPageGuards: { [K in keyof FromLessonPage]: Guard<FromLessonPage[K]['payload']> } = {
  'page/ready': isEmpty,
  'lesson/setLanguage': object({ language: oneOf(LESSON_LANGUAGES) }),
  'lesson/openLink': isLessonLink,
  'overfit/run': object({ experiment: oneOf(OVERFIT_EXPERIMENT_IDS) }),
  'overfit/stop': isEmpty,
  'practice/save': object({ progress: isPracticeProgress }),
};
