import { describe, expect, it } from 'vitest';
import { runTraining, type RunEvent } from '../../../src/engine/run';
import { applyRunEvent, finishRecord, newRunRecord, stepOf } from '../../../src/engine/record/runReducer';
import { checkRunRecord, summarize } from '../../../src/engine/record/runRecord';
import { labConfig } from '../../support/nets';
import { SHARED_MNIST } from '../../support/mnist';
import { runStart } from '../../support/records';

const config = labConfig({ name: 'reducer', epochs: 2, trainSamples: 600, testSamples: 200, batchSize: 100 });
const start = runStart(config, 'reducer', 1_764_000_000_000);

/** The events of a real two-epoch run on the shared MNIST, with layer statistics every 2 batches. */
async function realRun(): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runTraining(
    {
      config,
      dataFolder: SHARED_MNIST,
      cacheDir: '/nonexistent',
      backend: 'js',
      batchStatsEvery: 2,
      predictionSampleSize: 8,
    },
    (e) => events.push(e),
    () => false,
  );
  return events;
}

describe('the run record reducer, on the events of a real run', () => {
  const run = realRun();

  it('builds the record the run describes: every batch, the snapshots at their steps, the epochs and the end', async () => {
    const events = await run;
    const record = events.reduce(applyRunEvent, newRunRecord(start));
    const batches = events.flatMap((e) => (e.type === 'run/batchEnded' ? [e.metrics] : []));
    const finished = events.at(-1);
    if (finished?.type !== 'run/finished') throw new Error(`the run did not finish: ${JSON.stringify(finished)}`);

    expect(batches).toHaveLength(12); // 600 / 100 per epoch, 2 epochs
    expect(record.batchLosses.map((b) => b.loss)).toEqual(batches.map((b) => b.loss));
    // Batches 2, 4, 6 of each epoch carry layer statistics; their steps count on across the epoch boundary.
    expect(record.layerSnapshots.map((s) => s.step)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(record.layerSnapshots.map((s) => s.epoch)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(record.epochs).toEqual(finished.result.epochs);
    expect(record.predictions?.epoch).toBe(2);
    expect(record.predictions?.digits).toHaveLength(8);
    expect(record.environment).toMatchObject({ backend: finished.result.backend, dataSource: 'folder' });
    expect(record.status).toBe('completed');
    // What the reducer builds is a record every reader accepts, and its summary is the run's.
    const checked = checkRunRecord(JSON.parse(JSON.stringify(record)));
    expect(checked.ok).toBe(true);
    expect(summarize(record)).toMatchObject({ epochs: 2, plannedEpochs: 2, status: 'completed' });
    expect(summarize(record).testAccuracy).toBe(finished.result.epochs[1].testAccuracy);
  });

  it('gives the same record whether batches arrive one by one or forwarded in bursts (the panel batches them)', async () => {
    const events = await run;
    const direct = events.reduce(applyRunEvent, newRunRecord(start));
    // The page: run/started carries the record so far (here: after the first 3 events), then bursts.
    const page = events.slice(0, 3).reduce(applyRunEvent, newRunRecord(start));
    const rest = events.slice(3);
    for (let i = 0; i < rest.length; i += 5) rest.slice(i, i + 5).forEach((e) => applyRunEvent(page, e));
    expect(page).toEqual(direct);
  });

  it('keeps a failure and when it ended', async () => {
    const events = await run;
    const failed = events.slice(0, 5).reduce(applyRunEvent, newRunRecord(start));
    applyRunEvent(failed, { type: 'run/failed', kind: 'diverged', message: 'loss became NaN', epoch: 1, batch: 3 });
    finishRecord(
      failed,
      { status: 'failed', error: { kind: 'diverged', message: 'loss became NaN' } },
      1_764_000_009_000,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      error: { kind: 'diverged', message: 'loss became NaN' },
      finishedAt: 1_764_000_009_000,
    });
    expect(failed.epochs).toEqual([]);
  });

  it.each([
    [1, 1, 10, 1],
    [1, 10, 10, 10],
    [2, 1, 10, 11],
    [3, 7, 469, 945],
  ])('epoch %i, batch %i of %i is step %i', (epoch, batch, batches, step) => {
    expect(stepOf({ epoch, batch, batches })).toBe(step);
  });
});
