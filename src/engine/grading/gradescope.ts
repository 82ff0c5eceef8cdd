import type { CorelabProblem } from './problems';
import type { Verdict } from './verdict';

/** One test in Gradescope's autograder results.json. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  /** Gradescope's visibility; absent is "visible". Hidden seeds' tests are "after_due_date". */
  visibility?: GradescopeVisibility;
}

/** When students see a test or the output: always, after the due date, after publishing, or never. */
export type GradescopeVisibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

/** Gradescope's autograder results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export interface GradescopeResults {
  score: number;
  max_score: number;
  tests: GradescopeTest[];
  /** Markdown (or text) shown above the tests. */
  output?: string;
  /** "md" renders `output` and every test's output as Markdown. */
  output_format?: 'text' | 'md';
  test_output_format?: 'text' | 'md';
  visibility?: GradescopeVisibility;
  stdout_visibility?: GradescopeVisibility;
  /** Whole seconds the grading took. */
  execution_time?: number;
  leaderboard?: { name: string; value: number | string; order?: 'asc' | 'desc' }[];
}

/** What grading one submission found: the problem, its requirement issues as printed, and the verdict when it trained. */
export interface GradedSubmission {
  /** The config as the grader names it, e.g. "corelab-1/corelab-1.dnn.json". */
  file: string;
  /** Absent when the config names no known problem (that is its one requirement issue). */
  problem?: CorelabProblem;
  /** "file:line:column: message" lines; empty when the config meets the requirements. */
  requirementIssues: string[];
  /** Absent when the config was not trained (broken requirements or an invalid config). */
  verdict?: Verdict;
}

/** Two tests per submission, one point each: the requirements, then the trained result. */
export function gradescopeResults(submissions: readonly GradedSubmission[]): GradescopeResults {
  const tests = submissions.flatMap(({ file, problem, requirementIssues, verdict }): GradescopeTest[] => {
    const name = problem ? `${problem.title.split(':')[0]} (${file})` : file;
    const requirementsMet = requirementIssues.length === 0;
    const trainedOk = verdict?.passed === true;
    return [
      test(
        `${name}: requirements${problem ? ` (${problem.title.split(': ')[1]})` : ''}`,
        requirementsMet,
        requirementsMet ? 'All requirements are met.' : requirementIssues.join('\n'),
      ),
      test(
        `${name}: training accuracy${problem ? ` at least ${(100 * problem.minTrainAccuracy).toFixed(0)}%` : ''}`,
        trainedOk,
        verdict ? [verdict.summary, ...verdict.details].join('\n') : 'Not trained: fix the requirements first.',
      ),
    ];
  });
  return { score: sum(tests.map((t) => t.score)), max_score: sum(tests.map((t) => t.max_score)), tests };
}

/** One Gradescope test worth `points`, all of them when passed. */
export function test(name: string, passed: boolean, output: string, points = 1): GradescopeTest {
  return { name, score: passed ? points : 0, max_score: points, status: passed ? 'passed' : 'failed', output };
}

/** The sum of `values`. */
export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
