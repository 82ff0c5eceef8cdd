// results.json as the autograder builds it from what grading found (src/engine/grading/autograderResults.ts),
// for outcomes the zip test does not reach cheaply: a Corelab 3 sweep, and the same max_score whatever happened.
import { describe, expect, it } from 'vitest';
import { autograderResults, resultsMarkdown, type SubmissionGrading } from '../../src/engine/grading/autograderResults';
import { defaultSpec } from '../../src/engine/grading/autograderSpec';
import { PROBLEMS } from '../../src/engine/grading/problems';
import type { GradedRun } from '../../src/engine/grading/verdict';
import type { EpochMetrics } from '../../src/engine/train/metrics';

const spec = defaultSpec(['corelab-3']);
const epoch = (n: number, trainAccuracy: number, testAccuracy: number): EpochMetrics => ({
  epoch: n,
  trainLoss: 0.3,
  trainAccuracy,
  testLoss: 0.3,
  testAccuracy,
  seconds: 2,
  layers: [1, 2, 3, 4, 5].map((layer) => ({
    layer,
    deltaRms: layer / 100,
    gradNorm: 1,
    weightNorm: 1,
    updateRatio: 1e-3,
  })),
});
const run = (learningRate: number, accuracy: number): GradedRun => ({
  label: `learningRate=${learningRate}`,
  learningRate,
  epochs: 2,
  outcome: {
    kind: 'trained',
    result: {
      status: 'completed',
      backend: 'DNN Lab wasm (SIMD, 1 thread)',
      seconds: 4,
      epochs: [epoch(1, accuracy - 0.02, accuracy - 0.03), epoch(2, accuracy, accuracy - 0.01)],
    },
  },
});
const graded = (seedRuns: GradedRun[][]): SubmissionGrading => ({
  kind: 'graded',
  file: 'corelab-3.dnn.json',
  text: '{ "seed": 1 }',
  problem: PROBLEMS['corelab-3'],
  issues: [],
  seeds: seedRuns.map((runs, i) => ({ seed: i === 0 ? 1 : 7, hidden: i > 0, runs })),
});

describe('autograderResults', () => {
  it('judges a Corelab 3 sweep per seed, names the better rate, and ranks the best test accuracy', () => {
    const results = autograderResults(
      graded([
        [run(0.01, 0.95), run(0.001, 0.97)],
        [run(0.01, 0.93), run(0.001, 0.96)],
      ]),
      { spec, executionSeconds: 12.4 },
    );
    expect(results.score).toBe(results.max_score);
    const [own] = results.tests.filter((t) => t.name.startsWith('Training accuracy'));
    expect(own.output).toContain(
      'learning rate 0.001 gave the higher training accuracy: 97.00% against 95.00% with 0.01 (2.00 points more)',
    );
    expect(own.output).toContain('### learningRate=0.01: 2 epochs on DNN Lab wasm (SIMD, 1 thread)');
    expect(results.leaderboard).toEqual([
      { name: 'Test accuracy (%)', value: 96, order: 'desc' },
      { name: 'Seconds per epoch', value: 2, order: 'asc' },
    ]);
    expect(results.execution_time).toBe(12);
    expect(results.tests.map((t) => t.name)).toContain('Requirement: a sweep of learning rates 0.01 and 0.001');
  });

  it('keeps max_score the same for a rejected, an invalid and a graded submission', () => {
    const rejected = autograderResults(
      { kind: 'rejected', problem: PROBLEMS['corelab-3'], message: 'No lab config to grade.' },
      { spec, executionSeconds: 0 },
    );
    const invalid = autograderResults(
      {
        kind: 'invalid',
        file: 'c.dnn.json',
        text: '{',
        problem: PROBLEMS['corelab-3'],
        errors: [{ path: '', message: 'syntax error', range: { offset: 1, length: 0 } }],
      },
      { spec, executionSeconds: 0 },
    );
    const passed = autograderResults(
      graded([
        [run(0.01, 0.95), run(0.001, 0.97)],
        [run(0.01, 0.95), run(0.001, 0.97)],
      ]),
      { spec, executionSeconds: 0 },
    );
    expect([rejected.max_score, invalid.max_score]).toEqual([passed.max_score, passed.max_score]);
    expect([rejected.score, invalid.score]).toEqual([0, 0]);
    expect(invalid.tests[0].output).toBe('c.dnn.json:1:2: error: syntax error');
  });

  it('prints the whole of results.json as Markdown for the GitHub job summary, failed tests open', () => {
    const results = autograderResults(graded([[run(0.01, 0.85), run(0.001, 0.97)], []]), { spec, executionSeconds: 0 });
    const markdown = resultsMarkdown(results);
    expect(markdown.startsWith(results.output as string)).toBe(true);
    expect(markdown).toContain(
      '<details open><summary>❌ Training accuracy at least 90% (your seed 1): 0 / 2</summary>',
    );
    expect(markdown).toContain('<details><summary>✅ Requirement: 5 Dense layers: 1 / 1</summary>');
  });
});
