import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunHistory } from '../../../src/engine/record/runHistory';
import { checkRunRecord, isRunId, type RunRecord } from '../../../src/engine/record/runRecord';
import { mnistPredictions, record, runId } from '../../support/records';

type Json = Record<string, unknown>;

/** A stored record with one change made to its JSON, as a hand edit or another tool might leave it. */
async function broken(change: (r: Json) => void): Promise<Json> {
  const r = JSON.parse(JSON.stringify(record(7, 0.9, await mnistPredictions(3)))) as Json;
  change(r);
  return r;
}

const at = (r: Json, key: string) => r[key] as Json;
const digit0 = (r: Json) => (at(r, 'predictions').digits as Json[])[0];

// The malformed records of the issue (and a few more): each one is refused, naming the field and the value.
const MALFORMED: [string, (r: Json) => void, RegExp][] = [
  ['no config', (r) => delete r.config, /^config must be an object, got nothing \(the field is missing\)$/],
  ['no config.layers', (r) => delete at(r, 'config').layers, /^config\.layers must be an array, got nothing/],
  [
    'empty config.layers',
    (r) => (at(r, 'config').layers = []),
    /^config\.layers must be a non-empty array, got an array of 0$/,
  ],
  ['no environment', (r) => delete r.environment, /^environment must be an object, got nothing/],
  ['no batchLosses', (r) => delete r.batchLosses, /^batchLosses must be an array, got nothing/],
  ['epochs [null]', (r) => (r.epochs = [null]), /^epochs\[0\] must be an object, got null$/],
  [
    'digits not an array',
    (r) => (at(r, 'predictions').digits = 'many'),
    /^predictions\.digits must be an array, got "many"$/,
  ],
  [
    'a 1e5 × 1e5 digit',
    (r) => Object.assign(digit0(r), { rows: 1e5, cols: 1e5 }),
    /^predictions\.digits\[0\]\.rows must be at most 256, got 100000$/,
  ],
  [
    'pixels that do not fill the digit',
    (r) => (digit0(r).pixels = [1, 2, 3]),
    /^predictions\.digits\[0\]\.pixels must be rows × cols = 784 values, got an array of 3$/,
  ],
  [
    'a confusion row that is a number',
    (r) => ((at(r, 'predictions').confusion as unknown[])[2] = 5),
    /^predictions\.confusion\[2\] must be an array, got 5$/,
  ],
  [
    'a string test loss',
    (r) => ((r.epochs as Json[])[1].testLoss = '0.3'),
    /^epochs\[1\]\.testLoss must be a number, got "0\.3"$/,
  ],
  [
    'an unknown status',
    (r) => (r.status = 'done'),
    /^status must be "running", "completed", "cancelled" or "failed", got "done"$/,
  ],
  ['another format', (r) => (r.format = 2), /^format must be 1 \(the format this version of DNN Lab writes\), got 2$/],
  ['an id that is a path', (r) => (r.id = '../../package'), /^id must be a run id such as/],
  [
    'a layer snapshot without layers',
    (r) => delete (r.layerSnapshots as Json[])[0].layers,
    /^layerSnapshots\[0\]\.layers must be an array, got nothing/,
  ],
  ['no format', (r) => delete r.format, /^format must be 1 .*, got nothing/],
];

describe('checkRunRecord', () => {
  it('accepts a record as the session writes it, unchanged', async () => {
    const good = record(7, 0.9, await mnistPredictions(3));
    const checked = checkRunRecord(JSON.parse(JSON.stringify(good)));
    expect(checked).toEqual({ ok: true, record: good });
  });

  it.each(MALFORMED)('refuses a record with %s', async (_what, change, problem) => {
    const checked = checkRunRecord(await broken(change));
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.problem).toMatch(problem);
  });

  it.each([null, 'text', 42, [record(1)]])('refuses %j, which is not an object', (value) => {
    expect(checkRunRecord(value)).toEqual({
      ok: false,
      problem: expect.stringMatching(/^the record must be an object, got /),
    });
  });

  it('reads the nulls JSON writes for NaN and Infinity back as NaN (a zeros-initialized layer has no update ratio)', async () => {
    const stored = JSON.parse(
      JSON.stringify({
        ...record(7, 0.9),
        epochs: [
          {
            ...record(7, 0.9).epochs[0],
            layers: [{ layer: 1, deltaRms: 0, gradNorm: 0, weightNorm: 0, updateRatio: NaN }],
          },
        ],
      }),
    );
    expect(stored.epochs[0].layers[0].updateRatio).toBeNull();
    const checked = checkRunRecord(stored);
    expect(checked.ok && checked.record.epochs[0].layers[0].updateRatio).toBeNaN();
  });
});

describe('isRunId', () => {
  it.each([
    [runId(0), true],
    ['2026-11-26T15-40-02-123Z-corelab-1-relu-adam', true],
    ['a', false],
    ['../2026-11-26T15-40-02-123Z-x', false],
    ['2026-11-26T15-40-02-123Z-', false],
    ['2026-11-26T15-40-02-123Z-UPPER', false],
  ])('%s -> %s', (id, expected) => {
    expect(isRunId(id)).toBe(expected);
  });
});

describe('RunHistory with malformed records', () => {
  it('lists the good records and skips each malformed one, reported once with its name and problem', async () => {
    const warnings: string[] = [];
    const history = new RunHistory(mkdtempSync(join(tmpdir(), 'runs-')), (m) => warnings.push(m));
    const good: RunRecord[] = [record(1, 0.9, await mnistPredictions(2)), record(2_000_000, 0.95)];
    for (const r of good) await history.save(r);
    const bad = await Promise.all(
      MALFORMED.filter(([what]) => what !== 'an id that is a path').map(async ([, change], i) => {
        const r = await broken(change);
        const id = runId(10_000 + i);
        // The id inside matches the name, unless the change was to the id or format itself.
        if (r.id === runId(7)) r.id = id;
        writeFileSync(join(history.dir, `${id}.json`), JSON.stringify(r));
        return id;
      }),
    );
    for (let i = 0; i < 2; i++) expect((await history.summaries()).map((s) => s.id)).toEqual([good[1].id, good[0].id]);
    expect((await history.list()).map((r) => r.id)).toEqual([good[1].id, good[0].id]);
    expect(warnings).toHaveLength(bad.length);
    for (const id of bad) expect(warnings.filter((w) => w.includes(`${id}.json: `))).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(
      /: not a run record DNN Lab can show: predictions\.digits\[0\]\.rows must be at most 256, got 100000/,
    );
  });
});
