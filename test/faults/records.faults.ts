// The slow run-record case, kept out of npm test: a 200 MB file among the runs.
import { writeSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goodRecord, recordProblems } from './recordCases';
import { Tally } from './tally';

const tally = new Tally('records-big');
afterAll(() => tally.flush());

describe('a 200 MB file among the runs', () => {
  it('is skipped or read within the bound and 100 MB, and the good runs still show', async () => {
    const problems = await recordProblems({
      name: '200 MB',
      // Listing reads each run to show one line of it; holding this one costs 200 MB as text and as much again parsed.
      listMemoryMb: 100,
      make: (runs) => {
        // A record whose name is 200 MB long: valid JSON of the current format, so only its size is hostile.
        const path = join(runs, 'big.json');
        const [head, tail] = JSON.stringify({ ...goodRecord('big', 9), name: '@' }).split('@');
        const fd = openSync(path, 'w');
        writeSync(fd, head);
        const chunk = 'n'.repeat(1 << 20);
        for (let i = 0; i < 200; i++) writeSync(fd, chunk);
        writeSync(fd, tail);
        closeSync(fd);
        return { mayDelete: [path] };
      },
    });
    expect(tally.record('a 200 MB record file', problems)).toEqual([]);
  });
});
