// The fault harness's config part (fast, so it runs in npm test too): a few hundred generated bad configs, each
// checked with the engine's parseLabConfig and formatConfigErrors in a worker thread with a time bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, configText, generateConfigCases, type ConfigCase } from './configCases';
import { EngineWorker } from './engineWorker';
import { SEED } from './random';
import { Tally, type Problem } from './tally';

const cases = generateConfigCases(SEED);
const tally = new Tally('configs');
let engine: EngineWorker;

beforeAll(async () => {
  console.log(`fault harness [configs]: seed ${SEED} (DNN_LAB_FAULTS_SEED), ${cases.length} generated configs`);
  engine = await EngineWorker.start();
  // The base config must be valid, or every case would pass for the wrong reason.
  const base = await engine.check(configText(BASE), 10_000);
  if ('timedOut' in base || !base.valid)
    throw new Error(`the harness's base config is not valid: ${JSON.stringify(base)}`);
});

afterAll(async () => {
  tally.flush();
  await engine?.stop();
});

/** What is wrong with the engine's answer to one case. */
export async function configProblems(engineWorker: EngineWorker, c: ConfigCase): Promise<Problem[]> {
  const report = await engineWorker.check(c.text, c.timeoutMs);
  if ('timedOut' in report)
    return [{ kind: 'hang', text: `no answer within ${c.timeoutMs} ms (${c.text.length} chars)` }];
  const problems: Problem[] = [];
  if (report.thrown) return [{ kind: 'crash', text: `threw ${report.thrown}` }];
  if (report.internal.length) problems.push({ kind: 'crash', text: `internal error: ${report.internal[0]}` });
  const ms = report.parseMs + report.formatMs;
  if (ms > c.timeoutMs)
    problems.push({
      kind: 'hang',
      text: `took ${ms.toFixed(0)} ms (parse ${report.parseMs.toFixed(0)}, format ${report.formatMs.toFixed(0)}) > ${c.timeoutMs} ms`,
    });
  if (report.valid || report.errorCount === 0) problems.push({ kind: 'other', text: 'accepted as valid' });
  for (const bad of report.badPositions) problems.push({ kind: 'noPosition', text: bad });
  for (const e of report.errors) {
    const names = e.path === '' || e.message.includes(e.path) || e.message.startsWith('syntax error');
    if (!names) problems.push({ kind: 'other', text: `message does not name ${e.path}: ${e.message}` });
  }
  if (c.expectPath !== undefined) {
    const naming = report.errors.filter((e) => e.message.includes(c.expectPath as string));
    const syntaxInstead = c.pathOrSyntax && report.errors.some((e) => e.message.startsWith('syntax error'));
    if (naming.length === 0 && !syntaxInstead) {
      const seen = report.errors.slice(0, 3).map((e) => `${e.line}:${e.column} ${e.message.slice(0, 160)}`);
      problems.push({
        kind: 'other',
        text: `no error names ${c.expectPath}; got ${report.errorCount}: ${seen.join(' | ')}`,
      });
    } else if (c.expectLine !== undefined && !naming.some((e) => e.line === c.expectLine)) {
      problems.push({
        kind: 'noPosition',
        text: `the error naming ${c.expectPath} is on line ${naming[0].line}, not ${c.expectLine}`,
      });
    }
  }
  if (c.noSyntax && report.errors.some((e) => e.message.startsWith('syntax error'))) {
    problems.push({
      kind: 'other',
      text: `a syntax error in valid JSON: ${report.errors.find((e) => e.message.startsWith('syntax error'))?.message.slice(0, 160)}`,
    });
  }
  if (c.maxErrors !== undefined && report.errorCount > c.maxErrors) {
    problems.push({
      kind: 'other',
      text: `${report.errorCount} errors for one mistake (at most ${c.maxErrors}), e.g. ${report.errors[0]?.message.slice(0, 120)}`,
    });
  }
  if (
    c.expectSyntax &&
    !report.errors.some((e) => e.message.startsWith('syntax error') || /config is empty/.test(e.message))
  ) {
    problems.push({ kind: 'other', text: `no syntax error reported; got: ${report.errors[0]?.message.slice(0, 160)}` });
  }
  return problems;
}

describe(`bad configs through the engine (seed ${SEED})`, () => {
  it.each(cases.map((c, i) => [`${String(i).padStart(3, '0')} ${c.category}: ${c.name}`, c] as const))(
    '%s',
    async (title, c) => {
      const problems = tally.record(title, await configProblems(engine, c));
      expect(problems).toEqual([]);
    },
  );
});
