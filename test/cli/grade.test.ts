import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-grade-'));
const LABS = join(__dirname, '../../labs');

/** A corelab-3 answer kept quick: one epoch per learning rate at batch size 1000. */
const QUICK_COREL_3 = `{
  "problem": "corelab-3",
  "layers": [
    { "units": 64, "activation": "relu" },
    { "units": 32, "activation": "relu" },
    { "units": 32, "activation": "relu" },
    { "units": 16, "activation": "relu" },
    { "units": 10, "activation": "softmax" }
  ],
  "kernelInitializer": "heNormal",
  "optimizer": { "type": "adam", "learningRate": 0.01 },
  "batchSize": 1000,
  "epochs": 1,
  "sweep": { "learningRate": [0.01, 0.001] }
}`;

describe('dnn-lab grade', () => {
  it('fails the corelab-1 starter before training, with each wrong field at its line, and writes results.json', async () => {
    const run = await runCli(['grade', join(LABS, 'corelab-1'), '--data', SHARED_MNIST], { cwd: workDir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'corelab-1.dnn.json:7:13: error: layers has 3 layers; Corelab 1 asks for 5 Dense layers',
    );
    expect(run.stdout).toContain('corelab-1.dnn.json:16:13: error: epochs is 5; Corelab 1 asks for EPOCH=20');
    expect(run.stdout).toContain('Not trained: fix these first.');
    const results = JSON.parse(readFileSync(join(workDir, 'results.json'), 'utf8'));
    expect(results).toMatchObject({ score: 0, max_score: 2 });
    expect(results.tests.map((t: { status: string }) => t.status)).toEqual(['failed', 'failed']);
    expect(results.tests[0].output).toContain('layers has 3 layers');
  });

  it(
    'trains both learning rates of corelab-3 on the shared MNIST and judges them against the floor',
    { timeout: 600_000 },
    async () => {
      const file = join(workDir, 'quick.dnn.json');
      writeFileSync(file, QUICK_COREL_3);
      const out = join(workDir, 'quick-results.json');
      const run = await runCli(['grade', file, '--data', SHARED_MNIST, '--json', '--out', out]);
      const events = jsonLines(run.stdout);
      expect(events.map((e) => e.event)).toEqual(['requirements', 'epoch', 'epoch', 'verdict', 'results']);
      expect(events.slice(1, 3).map((e) => e.run)).toEqual(['learningRate=0.01', 'learningRate=0.001']);
      const accuracies = events.slice(1, 3).map((e) => e.trainAccuracy as number);
      const verdict = events[3] as { passed: boolean; details: string[] };
      // The verdict follows the measured figures: both at the floor passes, and the comparison names the better rate.
      expect(verdict.passed).toBe(accuracies.every((a) => a >= 0.9));
      const better = accuracies[0] >= accuracies[1] ? '0.01' : '0.001';
      expect(verdict.details.at(-1)).toMatch(
        new RegExp(`^learning rate ${better.replace('.', '\\.')} gave the higher training accuracy`),
      );
      expect(run.code).toBe(verdict.passed ? 0 : 1);
      const results = JSON.parse(readFileSync(out, 'utf8'));
      expect(results.tests[1].output).toContain(verdict.details.at(-1));
    },
  );

  it('accepts --problem for a config without "problem", and refuses an unknown one with exit 2', async () => {
    const file = join(workDir, 'noproblem.dnn.json');
    writeFileSync(file, '{ "layers": [{ "units": 10, "activation": "softmax" }] }');
    const graded = await runCli(['grade', file, '--problem', 'corelab-2', '--json'], { cwd: workDir });
    expect(graded.code).toBe(1);
    expect(jsonLines(graded.stdout)[0]).toMatchObject({ event: 'requirements', problem: 'corelab-2', passed: false });
    const bad = await runCli(['grade', file, '--problem', 'corelab-7']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--problem must be one of corelab-1, corelab-2, corelab-3, got corelab-7');
  });

  it('names a missing target', async () => {
    const run = await runCli(['grade', join(workDir, 'nowhere')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nowhere does not exist: name a lab folder or a .dnn.json config');
  });

  describe('--out where results.json cannot go', () => {
    const outDir = join(workDir, 'out');
    mkdirSync(outDir);
    const config = join(outDir, 'starter.dnn.json');
    writeFileSync(config, '{ "problem": "corelab-1", "layers": [{ "units": 10, "activation": "softmax" }] }');
    it.each<[string, string, (path: string) => void, string]>([
      ['a folder', 'results', (p) => mkdirSync(p), 'is a folder: name a file in it, e.g. --out results/results.json'],
      [
        'a FIFO',
        'results.fifo',
        (p) => execFileSync('mkfifo', [p]),
        'is a FIFO (named pipe), not a regular file: name a regular file, e.g. --out results.json',
      ],
      [
        'in a missing folder',
        'nowhere/results.json',
        () => {},
        `: the folder ${join(outDir, 'nowhere')} does not exist: create it first, or name a file in a folder that exists`,
      ],
      [
        'below a file',
        'afile/results.json',
        (p) => writeFileSync(join(p, '..'), 'x'),
        ': a part of the path before results.json is a file, not a folder: name a file in a folder',
      ],
    ])('refuses %s before training, naming --out and the fix', { timeout: 10_000 }, async (_, out, make, says) => {
      make(join(outDir, out));
      const started = performance.now();
      const run = await runCli(['grade', config, '--data', SHARED_MNIST, '--out', out], { cwd: outDir });
      expect(run.stderr).toBe(`Error: --out ${out}${says.startsWith(':') ? '' : ' '}${says}\n`);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('refuses /dev/full, a device, rather than failing to write to it after the grading', async () => {
      const run = await runCli(['grade', config, '--out', '/dev/full', '--json']);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'Error: --out /dev/full is a character device, not a regular file: name a regular file, e.g. --out results.json\n',
      );
      expect(jsonLines(run.stdout)).toEqual([
        {
          event: 'error',
          message:
            '--out /dev/full is a character device, not a regular file: name a regular file, e.g. --out results.json',
        },
      ]);
    });

    it('replaces an existing results.json whole, through a temporary file it does not leave behind', async () => {
      const dir = join(outDir, 'replace');
      mkdirSync(dir);
      writeFileSync(join(dir, 'results.json'), 'old and not JSON');
      const run = await runCli(['grade', config, '--out', join(dir, 'results.json')]);
      expect(run.code).toBe(1);
      expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toMatchObject({
        score: 0,
        max_score: expect.any(Number),
      });
      expect(readdirSync(dir)).toEqual(['results.json']);
    });
  });
});
