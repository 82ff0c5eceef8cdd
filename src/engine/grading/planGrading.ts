import type { ConfigError } from '../config/configError';
import { parseLabConfig, type LabConfigParse } from '../config/parseLabConfig';
import { expandSweep, type SweepRun } from '../sweep/expandSweep';
import { isProblemId, PROBLEM_IDS, PROBLEMS, type CorelabProblem } from './problems';
import { requirementIssues, type RequirementIssue } from './requirements';

/** What grading a config's text will do: nothing (the config or its requirements are wrong, with errors at their place), or train these runs. */
export type GradingPlan =
  | { kind: 'invalid'; problem?: CorelabProblem; errors: ConfigError[]; parse: LabConfigParse }
  | { kind: 'unmet'; problem: CorelabProblem; errors: ConfigError[]; issues: RequirementIssue[]; parse: LabConfigParse }
  | { kind: 'ready'; problem: CorelabProblem; runs: SweepRun[]; parse: LabConfigParse };

/**
 * Parses `text`, finds its problem (`problemId` when given, else the config's `"problem"`), and checks the problem's
 * requirements; only a config that passes both is trained.
 */
export function planGrading(text: string, problemId?: string): GradingPlan {
  const parse = parseLabConfig(text);
  const chosen = problemId ?? parse.config?.problem ?? writtenProblem(text, parse);
  const problem = chosen !== undefined && isProblemId(chosen) ? PROBLEMS[chosen] : undefined;
  if (!parse.config) return { kind: 'invalid', problem, errors: parse.errors, parse };
  if (problem === undefined) {
    const range = parse.ranges.fields.get('problem') ?? { offset: Math.max(0, text.indexOf('{')), length: 1 };
    const message =
      chosen === undefined
        ? `this config names no problem to grade: add "problem": "corelab-1" (or ${PROBLEM_IDS.slice(1).join(', ')})`
        : `problem must be one of ${PROBLEM_IDS.join(', ')} to be graded, got "${chosen}"`;
    return { kind: 'invalid', errors: [{ path: 'problem', message, range }], parse };
  }
  const issues = requirementIssues(problem, parse.config, text, parse.ranges);
  const errors = issues.map(({ path, message, range }) => ({ path, message, range }));
  if (errors.length > 0) return { kind: 'unmet', problem, errors, issues, parse };
  return { kind: 'ready', problem, runs: expandSweep(parse.config), parse };
}

/** The `"problem"` string of a config that failed validation elsewhere, so its errors can still be filed under that problem. */
function writtenProblem(text: string, parse: LabConfigParse): string | undefined {
  const range = parse.ranges.fields.get('problem');
  if (!range) return undefined;
  try {
    const value: unknown = JSON.parse(text.slice(range.offset, range.offset + range.length));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
