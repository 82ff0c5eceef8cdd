/**
 * A student's practice progress, kept by the lesson panel in VS Code's global state and in the page's own
 * state: the exercise in progress per lesson, and totals. Pure: no DOM, no vscode.
 */
import { MISTAKE_IDS, type MistakeId } from './derivation';
import { PRACTICE_ACTIVATIONS, type PracticeActivation, type PracticeLesson } from './exercise';

/** How a step was finished. */
export type StepOutcome = 'solved' | 'revealed';

/** The exercise a student is working on in one lesson. */
export interface ExerciseProgress {
  seed: number;
  /** The hidden activation asked for (from a layer's hover), if any. */
  activation?: PracticeActivation;
  /** Finished steps by step id. */
  done: Record<string, StepOutcome>;
  /** A step id to start at, the steps before it shown as given (from a layer's hover). */
  start?: string;
}

/** Everything kept per student. */
export interface PracticeProgress {
  current: Partial<Record<PracticeLesson, ExerciseProgress>>;
  /** Steps answered right, before or after a hint. */
  solved: number;
  /** Steps whose answer was revealed. */
  revealed: number;
  /** Exercises finished, every step solved or revealed. */
  exercises: number;
  /** How often each mistake was made. */
  mistakes: Partial<Record<MistakeId, number>>;
}

/** No progress yet. */
export function emptyProgress(): PracticeProgress {
  return { current: {}, solved: 0, revealed: 0, exercises: 0, mistakes: {} };
}

const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isExerciseProgress(v: unknown): v is ExerciseProgress {
  if (!record(v) || !count(v.seed) || (v.seed as number) > 0xffffffff || !record(v.done)) return false;
  if (v.activation !== undefined && !(PRACTICE_ACTIVATIONS as readonly unknown[]).includes(v.activation)) return false;
  if (v.start !== undefined && !(typeof v.start === 'string' && /^[a-zA-Z]{1,10}(-\d{1,2})?$/.test(v.start)))
    return false;
  const done = Object.entries(v.done);
  return (
    done.length <= 64 &&
    done.every(
      ([id, outcome]) => /^[a-zA-Z]{1,10}(-\d{1,2})?$/.test(id) && (outcome === 'solved' || outcome === 'revealed'),
    )
  );
}

/** Runtime check of progress from the page or from storage; neither is trusted. */
export function isPracticeProgress(v: unknown): v is PracticeProgress {
  if (!record(v) || !record(v.current) || !count(v.solved) || !count(v.revealed) || !count(v.exercises)) return false;
  if (!Object.entries(v.current).every(([k, e]) => (k === '7-1' || k === '7-3') && isExerciseProgress(e))) return false;
  if (!record(v.mistakes)) return false;
  return Object.entries(v.mistakes).every(([k, n]) => (MISTAKE_IDS as readonly string[]).includes(k) && count(n));
}
