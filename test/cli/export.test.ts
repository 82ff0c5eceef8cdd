import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';
import { trainedRecord } from '../support/runRecords';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-export-'));
const REFERENCE = join(__dirname, '../../labs/corelab-1/reference.dnn.json');

/** A python3 that imports torch (Debian's python3-torch installs it for /usr/bin/python3), if any. */
function pythonWith(module: string): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', `import ${module}`]).status === 0);
}
const torchPython = pythonWith('torch');
const python = pythonWith('ast');
if (!torchPython)
  console.warn(
    'export.test: skipping the PyTorch run: no python3 here imports torch (apt-get install -y python3-torch)',
  );

const SMALL = (learningRate: number) =>
  `{ "name": "small ${learningRate}", "layers": [{ "units": 32, "activation": "relu" }, { "units": 10, "activation": "softmax" }], "optimizer": { "type": "adam", "learningRate": ${learningRate} }, "batchSize": 200, "epochs": 2, "trainSamples": 3000, "testSamples": 1000 }`;

describe('dnn-lab export', () => {
  it.skipIf(!torchPython)(
    "the PyTorch script of Corelab 1 trains on the same IDX files to our engine's test accuracy within 3 points (1 epoch)",
    { timeout: 600_000 },
    async () => {
      const script = join(workDir, 'corelab1.py');
      expect((await runCli(['export', REFERENCE, '--format', 'pytorch', '--out', script])).code).toBe(0);
      const ours = await runCli([
        'train',
        REFERENCE,
        '--data',
        SHARED_MNIST,
        '--epochs',
        '1',
        '--json',
        '--threads',
        '1',
      ]);
      const ourAccuracy = jsonLines(ours.stdout).find((e) => e.event === 'done')?.testAccuracy as number;
      const torch = spawnSync(torchPython as string, [script, '--data', SHARED_MNIST, '--epochs', '1'], {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
      });
      expect(torch.stderr).toBe('');
      const last = torch.stdout.trim().split('\n').at(-1) as string;
      expect(last).toMatch(/^test_accuracy 0\.\d{4}$/);
      const theirAccuracy = Number(last.split(' ')[1]);
      console.log(`Corelab 1, 1 epoch: DNN Lab ${ourAccuracy.toFixed(4)}, PyTorch ${theirAccuracy.toFixed(4)}`);
      expect(ourAccuracy).toBeGreaterThan(0.9);
      expect(Math.abs(theirAccuracy - ourAccuracy)).toBeLessThan(0.03);
    },
  );

  it.skipIf(!python)('the Keras script parses and builds the same layers and Adam with our epsilon', async () => {
    const run = await runCli(['export', REFERENCE, '--format', 'keras']);
    expect(run.code).toBe(0);
    // Python's own parser reads the script; the check walks its syntax tree, not the text.
    const inspect = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
dense = [[ast.literal_eval(c.args[0]), ast.literal_eval([k.value for k in c.keywords if k.arg == "activation"][0]), c.keywords[1].value.func.attr] for c in calls if c.func.attr == "Dense"]
adam = [{k.arg: ast.literal_eval(k.value) for k in c.keywords} for c in calls if c.func.attr == "Adam"]
print(json.dumps({"dense": dense, "adam": adam}))`;
    const parsed = spawnSync(python as string, ['-c', inspect], { input: run.stdout, encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    expect(JSON.parse(parsed.stdout)).toEqual({
      dense: [
        [256, 'relu', 'HeNormal'],
        [128, 'relu', 'HeNormal'],
        [64, 'relu', 'HeNormal'],
        [32, 'relu', 'HeNormal'],
        [10, 'softmax', 'GlorotUniform'],
      ],
      adam: [{ learning_rate: 0.02, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }],
    });
  });

  it.skipIf(!python).each([
    ['sgd', '{ "type": "sgd", "learningRate": 0.1 }', 'randomNormal', 'p -= 0.1 * g'],
    [
      'nesterov momentum',
      '{ "type": "momentum", "learningRate": 0.1, "momentum": 0.9, "nesterov": true }',
      'glorotNormal',
      'p += 0.9 * v - 0.1 * g',
    ],
    ['adagrad', '{ "type": "adagrad", "learningRate": 0.1 }', 'heUniform', 's = slot(p, 0, 0.1)'],
    [
      'rmsprop with momentum',
      '{ "type": "rmsprop", "learningRate": 0.001, "momentum": 0.5 }',
      'lecunNormal',
      'moment.mul_(0.5).add_(increment)',
    ],
    [
      'adam',
      '{ "type": "adam", "learningRate": 0.02, "epsilon": 1e-8 }',
      'zeros',
      'p -= step_size * m / (v.sqrt() + 1e-8)',
    ],
  ])('writes a PyTorch script Python parses for %s', async (_, optimizer, initializer, line) => {
    const file = join(workDir, `opt-${initializer}.dnn.json`);
    writeFileSync(
      file,
      `{ "layers": [{ "units": 8, "activation": "leakyRelu", "alpha": 0.2 }, { "units": 10, "activation": "softmax" }], "kernelInitializer": "${initializer}", "optimizer": ${optimizer} }`,
    );
    const run = await runCli(['export', file, '--format', 'pytorch']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(line);
    expect(run.stdout).toContain('torch.nn.functional.leaky_relu(z, alpha)');
    expect(run.stdout).toContain('(8, "leakyRelu", 0.2)');
    const parsed = spawnSync(python as string, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
      input: run.stdout,
      encoding: 'utf8',
    });
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
  });

  it(
    "exports a run record's epochs and layers as CSV, Markdown and LaTeX, and two records as a comparison",
    { timeout: 300_000 },
    async () => {
      const a = await trainedRecord(workDir, 'a', SMALL(0.01));
      const b = await trainedRecord(workDir, 'b', SMALL(0.001));
      const record = JSON.parse(readFileSync(a, 'utf8')) as {
        epochs: { trainAccuracy: number; layers: { deltaRms: number }[] }[];
      };
      const csv = await runCli(['export', a, '--format', 'csv']);
      expect(csv.code).toBe(0);
      const rows = csv.stdout.trim().split('\n');
      expect(rows[0]).toBe('epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds');
      expect(rows).toHaveLength(3);
      expect(Number(rows[2].split(',')[2])).toBeCloseTo(record.epochs[1].trainAccuracy, 4);
      const layers = await runCli(['export', a, '--format', 'csv', '--table', 'layers']);
      expect(layers.stdout.trim().split('\n')).toHaveLength(1 + 2 * 2);
      // Four significant digits, as the table prints them.
      expect(Number(layers.stdout.split('\n')[1].split(',')[2]) / record.epochs[0].layers[0].deltaRms).toBeCloseTo(
        1,
        3,
      );
      const latex = await runCli(['export', a, '--format', 'latex', '--table', 'layers']);
      expect(latex.stdout).toContain('\\begin{tabular}{rrrrrr}');
      expect(latex.stdout).toContain('epoch & layer & delta\\_rms & grad\\_norm & weight\\_norm & update\\_ratio \\\\');
      const comparison = await runCli(['export', a, b, '--format', 'markdown']);
      expect(comparison.stdout.split('\n')[0]).toBe(
        '| run | status | train accuracy | test accuracy | s per epoch | δ¹ rms | δ² rms |',
      );
      expect(comparison.stdout).toContain('| small 0.01 | completed |');
      expect(comparison.stdout).toContain('| small 0.001 | completed |');
    },
  );

  it.each([
    [['export', REFERENCE, '--format', 'csv'], 1, "exports a run's figures, and"],
    [['export', REFERENCE], 2, 'export needs --format, one of pytorch, keras, csv, markdown, latex'],
    [['export', REFERENCE, '--format', 'onnx'], 2, 'got onnx'],
    [['export', join(workDir, 'missing.json'), '--format', 'pytorch'], 1, 'cannot read'],
  ])('refuses %j with exit %i and says why', async (args, code, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message);
  });

  it('reports a broken config at its line instead of exporting', async () => {
    const file = join(workDir, 'broken.dnn.json');
    writeFileSync(file, '{ "layers": [{ "units": 10.5, "activation": "softmax" }] }');
    const run = await runCli(['export', file, '--format', 'pytorch']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /broken\.dnn\.json:1:\d+: error: layers\[0\]\.units must be a positive integer, got 10\.5/,
    );
  });

  it.each<[string, string, (path: string) => void, string]>([
    [
      'a FIFO no one reads',
      'script.fifo',
      (p) => execFileSync('mkfifo', [p]),
      'is a FIFO (named pipe), not a regular file: name a regular file, e.g. --out train.py',
    ],
    ['a folder', 'scripts', (p) => mkdirSync(p), 'is a folder: name a file in it, e.g. --out scripts/train.py'],
  ])('refuses --out %s at once, naming --out and the fix', { timeout: 10_000 }, async (_, out, make, says) => {
    const dir = mkdtempSync(join(workDir, 'out-'));
    make(join(dir, out));
    const run = await runCli(['export', REFERENCE, '--format', 'pytorch', '--out', out], { cwd: dir });
    expect(run.stderr).toBe(`Error: --out ${out} ${says}\n`);
    expect(run.code).toBe(1);
    expect(readdirSync(dir)).toEqual([out]);
  });

  it('writes --out into a folder it makes, leaving no temporary file', async () => {
    const dir = mkdtempSync(join(workDir, 'out-'));
    const run = await runCli(['export', REFERENCE, '--format', 'keras', '--out', 'new/train.py'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, 'new'))).toEqual(['train.py']);
    expect(readFileSync(join(dir, 'new/train.py'), 'utf8')).toContain('Dense(');
  });
});
