/**
 * Checks a student's answer to one practice step: right (to the precision shown), right but with too few
 * decimals, one of the usual mistakes (named, all of them when several give the same numbers), or wrong in a
 * way no known mistake explains. Pure: no DOM, no vscode.
 */
import type { MistakeId } from './derivation';
import { PRACTICE_DECIMALS, PRACTICE_TOLERANCE, type PracticeStep } from './exercise';

/** The outcome of a check. `entries` are 0-based positions in the step's answer. */
export type CheckResult =
  /** An entry is empty or not a number. */
  | { kind: 'invalid'; entry: number; text: string }
  | { kind: 'correct' }
  /** Right as far as it goes, but given with fewer decimals than the page prints. */
  | { kind: 'precision'; entries: number[]; decimals: number }
  /** Every entry equals what these mistakes give (several only where they give the same numbers). */
  | { kind: 'mistake'; mistakes: MistakeId[]; entries: number[] }
  | { kind: 'wrong'; entries: number[] };

/** A number as a student types it: "-0.25", "−0.25", "０．２５", ".5", "1e-3". */
export function parseAnswer(text: string): { value: number; decimals: number } | undefined {
  const normal = text
    .trim()
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\u2212\uff0d\u2013]/g, '-')
    .replace(/\uff0b/g, '+')
    .replace(/\uff0e/g, '.')
    .replace(/\s+/g, '');
  const match = /^[+-]?(\d+(\.(\d*))?|\.(\d+))([eE][+-]?\d+)?$/.exec(normal);
  if (!match) return undefined;
  const value = Number(normal);
  if (!Number.isFinite(value)) return undefined;
  const decimals = match[5] ? PRACTICE_DECIMALS : (match[3] ?? match[4] ?? '').length;
  return { value, decimals };
}

/** Checks the typed entries of one step against its right answer and its mistakes. */
export function checkAnswer(step: PracticeStep, texts: readonly string[]): CheckResult {
  const values: { value: number; decimals: number }[] = [];
  for (let e = 0; e < step.exact.length; e++) {
    const parsed = parseAnswer(texts[e] ?? '');
    if (parsed === undefined) return { kind: 'invalid', entry: e, text: texts[e] ?? '' };
    values.push(parsed);
  }
  const near = (answer: number, ...refs: number[]) =>
    refs.some((r) => Math.abs(answer - r) <= PRACTICE_TOLERANCE + 1e-9);
  const wrong = values.flatMap(({ value }, e) => (near(value, step.exact[e], step.printed[e]) ? [] : [e]));
  if (wrong.length === 0) return { kind: 'correct' };
  const mistakes = step.mistakes
    .filter((m) => values.every(({ value }, e) => near(value, m.exact[e], m.printed[e])))
    .map((m) => m.id);
  if (mistakes.length > 0) return { kind: 'mistake', mistakes, entries: wrong };
  // "0.32" for 0.3195: right to the decimals typed, but the page prints PRACTICE_DECIMALS.
  const short = wrong.filter((e) => values[e].decimals < PRACTICE_DECIMALS);
  if (
    short.length === wrong.length &&
    wrong.every((e) => {
      const { value, decimals } = values[e];
      const step10 = 10 ** -decimals;
      return [step.exact[e], step.printed[e]].some((r) => Math.abs(value - r) <= step10 / 2 + 1e-9);
    })
  )
    return { kind: 'precision', entries: wrong, decimals: Math.min(...wrong.map((e) => values[e].decimals)) };
  return { kind: 'wrong', entries: wrong };
}
