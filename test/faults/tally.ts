import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How one case went; a case with several problems counts once, under its worst. */
export type Outcome = 'pass' | 'crash' | 'hang' | 'noPosition' | 'other';

/** One thing a case did wrong: its kind decides the outcome, the text says what was seen. */
export interface Problem {
  kind: Exclude<Outcome, 'pass'>;
  text: string;
}

const WORST_FIRST: Exclude<Outcome, 'pass'>[] = ['crash', 'hang', 'noPosition', 'other'];

/** The env variable naming the folder where each part leaves its counts for the run's summary (vitest.faults.config.mts). */
export const TALLY_DIR_ENV = 'DNN_LAB_FAULTS_TALLY';

/** One part's cases and their outcomes, printed when the part ends and handed to the summary. */
export class Tally {
  private readonly cases: { name: string; outcome: Outcome; problems: string[] }[] = [];

  constructor(readonly part: string) {}

  /** Records a finished case and gives its problems back, for the test's own assertion. */
  record(name: string, problems: readonly Problem[]): string[] {
    const outcome = WORST_FIRST.find((kind) => problems.some((p) => p.kind === kind)) ?? 'pass';
    const texts = problems.map((p) => `${p.kind}: ${p.text}`);
    this.cases.push({ name, outcome, problems: texts });
    return texts;
  }

  /** Prints this part's counts and, when the summary asked for it, leaves them in its folder. */
  flush(): void {
    const counts = countOutcomes(this.cases.map((c) => c.outcome));
    console.log(`fault harness [${this.part}]: ${formatCounts(counts)}`);
    const dir = process.env[TALLY_DIR_ENV];
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${this.part}.json`), JSON.stringify({ part: this.part, cases: this.cases }));
    }
  }
}

/** Counts per outcome, with `cases` the total. */
export function countOutcomes(outcomes: readonly Outcome[]): Record<Outcome | 'cases', number> {
  const counts = { cases: outcomes.length, pass: 0, crash: 0, hang: 0, noPosition: 0, other: 0 };
  for (const outcome of outcomes) counts[outcome]++;
  return counts;
}

/** "312 cases, 0 crashes, 0 hangs, 0 errors without position, 0 other failures (312 passed)" */
export function formatCounts(c: Record<Outcome | 'cases', number>): string {
  return `${c.cases} cases, ${c.crash} crashes, ${c.hang} hangs, ${c.noPosition} errors without position, ${c.other} other failures (${c.pass} passed)`;
}
