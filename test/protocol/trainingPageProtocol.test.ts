import { describe, expect, it } from 'vitest';
import {
  fromTrainingPageGuards,
  toTrainingPageGuards,
  trainingPageReplyGuards,
} from '../../src/protocol/trainingPageProtocol';

const summary = {
  id: '2026-11-26T15-40-02-123Z-corelab-1',
  name: 'corelab-1',
  documentPath: 'labs/corelab-1/reference.dnn.json',
  startedAt: 1_764_000_000_000,
  status: 'completed',
  epochs: 2,
  plannedEpochs: 2,
  testAccuracy: 0.91,
};
const batch = { epoch: 1, batch: 3, batches: 10, loss: 0.7, accuracy: 0.5 };
const error = { file: 'reference.dnn.json', kind: 'config', message: 'bad', configErrors: [] };

describe('the training page protocol guards', () => {
  it.each([
    ['run/batchEnded', { runId: 'r', batches: [batch, { ...batch, loss: null }] }, true],
    ['run/batchEnded', { runId: 'r', batches: [{ ...batch, batch: 0 }] }, false],
    ['run/batchEnded', { runId: 'r', batches: [{ ...batch, layers: [{ layer: 'one' }] }] }, false],
    ['run/batchEnded', { runId: 'r' }, false],
    ['run/finished', { runId: 'r', status: 'completed', backend: 'js', history: [summary] }, true],
    ['run/finished', { runId: 'r', status: 'failed', backend: 'js', history: [summary] }, false],
    ['run/finished', { runId: 'r', status: 'completed', backend: 'js', history: [{ ...summary, id: '../x' }] }, false],
    ['run/failed', { error, history: [] }, true],
    [
      'run/failed',
      { runId: 'r', error: { ...error, configErrors: [{ path: 'a', message: 'm' }] }, history: [] },
      false,
    ],
    ['history/changed', { history: [] }, true],
    ['run/started', {}, true], // the record itself goes through checkRunRecord on the page, which says what is wrong
  ] as const)('%s: %j passes: %s', (type, payload, expected) => {
    expect(toTrainingPageGuards[type](payload)).toBe(expected);
  });

  it('reads JSON null back as NaN, as a diverged loss crosses postMessage', () => {
    const payload = { runId: 'r', batches: [{ ...batch, loss: null }] };
    expect(toTrainingPageGuards['run/batchEnded'](payload)).toBe(true);
    expect(payload.batches[0].loss).toBeNaN();
  });

  it.each([
    ['run/rerun', { runId: 'r' }, true],
    ['run/rerun', { runId: 3 }, false],
    ['history/load', {}, false],
    ['lesson/open', { lesson: '7-2' }, true],
    ['run/stop', null, false],
  ] as const)('from the page, %s: %j passes: %s', (type, payload, expected) => {
    expect(fromTrainingPageGuards[type](payload)).toBe(expected);
  });

  it('checks the ready state the host answers with', () => {
    const ok = { history: [summary], running: false };
    expect(trainingPageReplyGuards['page/ready'](ok)).toBe(true);
    expect(trainingPageReplyGuards['page/ready']({ ...ok, running: 'no' })).toBe(false);
    expect(trainingPageReplyGuards['page/ready']({ ...ok, error: { kind: 'x' } })).toBe(false);
  });
});
