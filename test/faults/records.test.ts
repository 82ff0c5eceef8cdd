// The fault harness's run-record part (fast, so it runs in npm test too): hostile runs folders fed to the run history
// and the page's record-to-view functions; see recordCases.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from './random';
import { PAGE_CASES, pageProblems, RECORD_CASES, recordProblems } from './recordCases';
import { Tally } from './tally';

const tally = new Tally('records');

beforeAll(() =>
  console.log(
    `fault harness [records]: seed ${SEED}, ${RECORD_CASES.length} hostile runs folders, ${PAGE_CASES.length} records for the page`,
  ),
);
afterAll(() => tally.flush());

describe('hostile runs folders through RunHistory and the page', () => {
  it.each(RECORD_CASES.map((c, i) => [`${String(i).padStart(2, '0')} ${c.name}`, c] as const))(
    '%s',
    async (title, c) => {
      expect(tally.record(title, await recordProblems(c))).toEqual([]);
    },
  );
});

describe('records as the page receives them, through checkRunRecord and the record-to-view functions', () => {
  it.each(PAGE_CASES.map((c, i) => [`${String(i).padStart(2, '0')} ${c.name}`, c] as const))('%s', (title, c) => {
    expect(tally.record(`page: ${title}`, pageProblems(c))).toEqual([]);
  });
});
