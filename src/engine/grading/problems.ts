import type { OptimizerType } from '../config/labConfig';

/** The id of a graded Corelab problem, as written in a config's `"problem"` field. */
export type ProblemId = 'corelab-1' | 'corelab-2' | 'corelab-3';

/** What a Corelab problem fixes in the config and what its training must reach. */
export interface CorelabProblem {
  id: ProblemId;
  title: string;
  /** Dense layers including the output layer. */
  layers: number;
  /** Required epochs and batch size; absent when the student chooses. */
  epochs?: number;
  batchSize?: number;
  optimizer: OptimizerType;
  /** The one learning rate to use (problems 1, 2) ... */
  learningRate?: number;
  /** ... or the learning rates to compare with a sweep (problem 3). */
  learningRates?: number[];
  /**
   * The final epoch's training accuracy every run must reach. Set below the lowest accuracy the reference solution
   * reached over several seeds, with a margin, so an honest solution passes whatever its luck (see the problem's README).
   */
  minTrainAccuracy: number;
}

/** The three graded problems at the end of the chapter. */
export const PROBLEMS: Record<ProblemId, CorelabProblem> = {
  'corelab-1': {
    id: 'corelab-1',
    title: 'Corelab 1: a 5-layer DNN, 20 epochs, batch size 300, Adam 0.02',
    layers: 5,
    epochs: 20,
    batchSize: 300,
    optimizer: 'adam',
    learningRate: 0.02,
    minTrainAccuracy: 0.95,
  },
  'corelab-2': {
    id: 'corelab-2',
    title: 'Corelab 2: the same with batch size 640',
    layers: 5,
    epochs: 20,
    batchSize: 640,
    optimizer: 'adam',
    learningRate: 0.02,
    minTrainAccuracy: 0.95,
  },
  'corelab-3': {
    id: 'corelab-3',
    title: 'Corelab 3: learning rate 0.01 against 0.001',
    layers: 5,
    optimizer: 'adam',
    learningRates: [0.01, 0.001],
    minTrainAccuracy: 0.9,
  },
};

/** The problem ids, in order. */
export const PROBLEM_IDS = Object.keys(PROBLEMS) as ProblemId[];

/** Whether `id` names a graded problem. */
export function isProblemId(id: string): id is ProblemId {
  return (PROBLEM_IDS as string[]).includes(id);
}
