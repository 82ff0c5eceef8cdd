import { MNIST_FILES } from '../data/mnistFiles';
import { isProblemId, PROBLEM_IDS, type ProblemId } from './problems';

/** Bumped when autograder.json changes incompatibly; a grader refuses a spec of another format. */
export const AUTOGRADER_SPEC_FORMAT = 1;

/** What an autograder grades and how; written by `dnn-lab autograder` as autograder.json at the zip's root. */
export interface AutograderSpec {
  format: typeof AUTOGRADER_SPEC_FORMAT;
  /** The problems a submission may answer; a config naming none of them (or another one) is not graded. */
  problems: ProblemId[];
  /** Seeds the threshold is checked on as well as the config's own, shown to students after the due date. */
  hiddenSeeds: number[];
  /** Whether the submission must include a run record (.dnnlab/runs/*.json) that `dnn-lab verify` confirms. */
  requireRecord: boolean;
  /** Threads for the kernels: 1 on Gradescope's half vCPU. */
  threads: number;
  /** Training stops when grading has run this long, inside Gradescope's 10 minutes, so results.json is always written. */
  timeLimitSeconds: number;

  /** The MNIST folder inside the autograder source, and the SHA-256 each file must have. */
  mnist: { folder: string; sha256: Record<string, string> };
}

/** The defaults of `dnn-lab autograder`: one hidden seed keeps Corelab 1 at two runs, about 3 minutes on half a vCPU. */
export function defaultSpec(problems: ProblemId[]): AutograderSpec {
  return {
    format: AUTOGRADER_SPEC_FORMAT,
    problems,
    hiddenSeeds: [7],
    requireRecord: false,
    threads: 1,
    timeLimitSeconds: 480,
    mnist: { folder: 'mnist', sha256: Object.fromEntries(MNIST_FILES.map((f) => [f.name, f.sha256])) },
  };
}

/** Thrown for an autograder.json that cannot be used; says the field, the value and the fix. */
export class AutograderSpecError extends Error {
  override readonly name = 'AutograderSpecError';
}

/** Checks a parsed autograder.json; throws AutograderSpecError naming the first bad field. */
export function checkSpec(value: unknown): AutograderSpec {
  const fail = (message: string): never => {
    throw new AutograderSpecError(`autograder.json: ${message}; rebuild the autograder with dnn-lab autograder`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(`must be a JSON object, got ${JSON.stringify(value)}`);
  const spec = value as Record<string, unknown>;
  if (spec.format !== AUTOGRADER_SPEC_FORMAT)
    fail(`format must be ${AUTOGRADER_SPEC_FORMAT}, got ${JSON.stringify(spec.format)}`);
  const { problems, hiddenSeeds, requireRecord, threads, timeLimitSeconds, mnist } = spec;
  if (
    !Array.isArray(problems) ||
    problems.length === 0 ||
    !problems.every((p) => typeof p === 'string' && isProblemId(p))
  ) {
    fail(`problems must list some of ${PROBLEM_IDS.join(', ')}, got ${JSON.stringify(problems)}`);
  }
  if (!Array.isArray(hiddenSeeds) || !hiddenSeeds.every((s) => Number.isInteger(s) && s >= 0))
    fail(`hiddenSeeds must be non-negative integers, got ${JSON.stringify(hiddenSeeds)}`);
  if (typeof requireRecord !== 'boolean')
    fail(`requireRecord must be true or false, got ${JSON.stringify(requireRecord)}`);
  if (!Number.isInteger(threads) || (threads as number) < 1)
    fail(`threads must be a positive integer, got ${JSON.stringify(threads)}`);
  if (typeof timeLimitSeconds !== 'number' || !(timeLimitSeconds > 0))
    fail(`timeLimitSeconds must be a positive number, got ${JSON.stringify(timeLimitSeconds)}`);
  const m = mnist as AutograderSpec['mnist'] | undefined;
  if (typeof m?.folder !== 'string' || typeof m.sha256 !== 'object' || m.sha256 === null)
    fail(`mnist must be { "folder": ..., "sha256": {...} }, got ${JSON.stringify(mnist)}`);
  return spec as unknown as AutograderSpec;
}

/** Parses a "1,2,3" list of seeds for --hidden-seeds; "" is none. Throws with the bad value. */
export function parseSeeds(text: string): number[] {
  if (text.trim() === '' || text === 'none') return [];
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 0)
      throw new AutograderSpecError(
        `--hidden-seeds must be non-negative integers separated by commas (e.g. 7,11), got "${part}"`,
      );
    return n;
  });
}
