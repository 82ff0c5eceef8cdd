import { describe, expect, it } from 'vitest';
import { gradescopeResults } from '../../../src/engine/grading/gradescope';
import { PROBLEMS } from '../../../src/engine/grading/problems';
import { judgeRuns, type GradedRun } from '../../../src/engine/grading/verdict';
import type { EpochMetrics, TrainResult } from '../../../src/engine/train/metrics';

function epochs(trainAccuracies: number[]): EpochMetrics[] {
  return trainAccuracies.map((trainAccuracy, i) => ({
    epoch: i + 1,
    trainLoss: 0.1,
    trainAccuracy,
    testLoss: 0.1,
    testAccuracy: trainAccuracy - 0.01,
    seconds: 10,
    layers: [],
  }));
}

function run(
  label: string,
  learningRate: number,
  accuracies: number[],
  planned = accuracies.length,
  status: TrainResult['status'] = 'completed',
): GradedRun {
  const result: TrainResult = { status, epochs: epochs(accuracies), backend: 'test', seconds: 10 * accuracies.length };
  return { label, learningRate, epochs: planned, outcome: { kind: 'trained', result } };
}

describe('judgeRuns', () => {
  const floor = PROBLEMS['corelab-1'].minTrainAccuracy;

  it('passes a run whose last training accuracy reaches the floor, with the figures', () => {
    const verdict = judgeRuns(PROBLEMS['corelab-1'], [run('', 0.02, [0.9, floor])]);
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toBe(
      `Corelab 1 passed: training accuracy ${(100 * floor).toFixed(2)}% (test ${(100 * floor - 1).toFixed(2)}%) after 2 epochs, at least ${(100 * floor).toFixed(2)}% needed: passed, 2 epochs in 20 s (10.0 s per epoch)`,
    );
  });

  it('fails a run just below the floor, naming both figures', () => {
    const verdict = judgeRuns(PROBLEMS['corelab-1'], [run('', 0.02, [floor - 0.0001])]);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe(
      `Corelab 1 failed: training accuracy ${(100 * (floor - 0.0001)).toFixed(2)}% is below the ${(100 * floor).toFixed(2)}% needed`,
    );
  });

  it('fails a stopped run and a diverged one, saying what happened', () => {
    const stopped = judgeRuns(PROBLEMS['corelab-2'], [run('', 0.02, [0.99], 20, 'cancelled')]);
    expect(stopped.summary).toBe('Corelab 2 failed: stopped after 1 of 20 epochs; grading needs the whole run');
    const diverged = judgeRuns(PROBLEMS['corelab-2'], [
      { label: '', learningRate: 0.02, epochs: 20, outcome: { kind: 'failed', message: 'z^3 of layer 3 overflowed' } },
    ]);
    expect(diverged.passed).toBe(false);
    expect(diverged.details).toEqual(['the run failed: z^3 of layer 3 overflowed']);
  });

  it('says for corelab-3 which learning rate gave the higher accuracy and by how much', () => {
    const verdict = judgeRuns(PROBLEMS['corelab-3'], [
      run('learningRate=0.01', 0.01, [0.961]),
      run('learningRate=0.001', 0.001, [0.978]),
    ]);
    expect(verdict.passed).toBe(true);
    expect(verdict.details.at(-1)).toBe(
      'learning rate 0.001 gave the higher training accuracy: 97.80% against 96.10% with 0.01 (1.70 points more)',
    );
    expect(verdict.summary).toBe(
      'Corelab 3 passed: learning rate 0.001 gave the higher training accuracy: 97.80% against 96.10% with 0.01 (1.70 points more)',
    );
  });
});

describe('gradescopeResults', () => {
  it('gives each submission a requirements test and a result test, one point each', () => {
    const passed = judgeRuns(PROBLEMS['corelab-1'], [run('', 0.02, [0.99])]);
    const results = gradescopeResults([
      { file: 'a.dnn.json', problem: PROBLEMS['corelab-1'], requirementIssues: [], verdict: passed },
      {
        file: 'b.dnn.json',
        problem: PROBLEMS['corelab-2'],
        requirementIssues: ['b.dnn.json:7:13: error: layers has 3 layers'],
      },
    ]);
    expect(results.score).toBe(2);
    expect(results.max_score).toBe(4);
    expect(results.tests.map((t) => [t.name, t.score, t.max_score, t.status])).toEqual([
      ['Corelab 1 (a.dnn.json): requirements (a 5-layer DNN, 20 epochs, batch size 300, Adam 0.02)', 1, 1, 'passed'],
      ['Corelab 1 (a.dnn.json): training accuracy at least 95%', 1, 1, 'passed'],
      ['Corelab 2 (b.dnn.json): requirements (the same with batch size 640)', 0, 1, 'failed'],
      ['Corelab 2 (b.dnn.json): training accuracy at least 95%', 0, 1, 'failed'],
    ]);
    expect(results.tests[2].output).toBe('b.dnn.json:7:13: error: layers has 3 layers');
    expect(results.tests[3].output).toBe('Not trained: fix the requirements first.');
  });
});
