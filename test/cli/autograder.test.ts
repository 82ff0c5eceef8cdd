// The Gradescope autograder as an instructor uploads it: built by the CLI, unpacked into a temporary
// AUTOGRADER_ROOT as Gradescope does (the zip's files in source/), set up by its own setup.sh with the Node bundled in
// it, then graded by its own run_autograder on real submissions. Runs train on the first 2000 MNIST images
// (DNN_LAB_GRADER_SUBSET) to stay quick; everything else is the path Gradescope takes.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';
import { node24 } from '../support/node24';
import { trainedRecord } from '../support/runRecords';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-autograder-'));
const LABS = join(__dirname, '../../labs');
const REFERENCE = readFileSync(join(LABS, 'corelab-1/reference.dnn.json'), 'utf8');
const SUBSET = '2000';
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const NODE24 = node24();

interface Results {
  score: number;
  max_score: number;
  output: string;
  output_format: string;
  execution_time: number;
  leaderboard?: { name: string; value: number }[];
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility?: string }[];
}

/** Gradescope's layout for one submission: source/ (the unpacked zip, set up once), submission/, results/. */
function gradeSubmission(
  name: string,
  files: Record<string, string>,
  sourceDir = 'autograder-source',
): { results: Results; stdout: string; code: number | null } {
  const root = join(workDir, name);
  mkdirSync(join(root, 'submission'), { recursive: true });
  cpSync(join(workDir, sourceDir), join(root, 'source'), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'submission', file)), { recursive: true });
    writeFileSync(join(root, 'submission', file), text);
  }
  const run = spawnSync(join(root, 'source/run_autograder'), [], {
    env: {
      ...process.env,
      AUTOGRADER_ROOT: root,
      DNN_LAB_NODE_DIR: join(workDir, 'node'),
      DNN_LAB_GRADER_SUBSET: SUBSET,
    },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const results = JSON.parse(readFileSync(join(root, 'results/results.json'), 'utf8')) as Results;
  return { results, stdout: run.stdout + run.stderr, code: run.status };
}

const byName = (results: Results, prefix: string) => results.tests.filter((t) => t.name.startsWith(prefix));

/** `dnn-lab autograder corelab-1` with the bundled Node and `extra` options, unpacked into `<name>-source`. */
async function buildAutograder(name: string, extra: string[] = []): Promise<{ zip: string; sourceDir: string }> {
  const zip = join(workDir, `${name}.zip`);
  const built = await runCli([
    'autograder',
    'corelab-1',
    '--data',
    SHARED_MNIST,
    '--out',
    zip,
    ...extra,
    '--node-tarball',
    join(workDir, 'node-v24.21.0-linux-x64.tar.gz'),
  ]);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  const source = join(workDir, `${name}-source`);
  mkdirSync(source);
  expect(spawnSync('unzip', ['-q', zip, '-d', source]).status).toBe(0);
  return { zip, sourceDir: `${name}-source` };
}

describe.skipIf(!hasUnzip || !NODE24)('dnn-lab autograder (Gradescope zip, run locally)', () => {
  let zipSize = 0;
  beforeAll(() => {
    // A Node tarball as nodejs.org ships it (node-vX-linux-x64/bin/node), made from the Node 24 on this machine.
    const pkg = join(workDir, 'nodepkg/node-v24.21.0-linux-x64/bin');
    mkdirSync(pkg, { recursive: true });
    cpSync(NODE24 as string, join(pkg, 'node'));
    const tarball = join(workDir, 'node-v24.21.0-linux-x64.tar.gz');
    expect(
      spawnSync('tar', ['-C', join(workDir, 'nodepkg'), '-I', 'gzip -1', '-cf', tarball, 'node-v24.21.0-linux-x64'])
        .status,
    ).toBe(0);
    rmSync(join(workDir, 'nodepkg'), { recursive: true });
  }, 120_000);

  it('builds a zip with setup.sh and an executable run_autograder at its root, MNIST and the bundled Node', async () => {
    const { zip, sourceDir } = await buildAutograder('autograder');
    zipSize = statSync(zip).size;
    const listing = spawnSync('unzip', ['-Z', zip], { encoding: 'utf8' }).stdout;
    expect(listing).toMatch(/^-rwxr-xr-x .* setup\.sh$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* run_autograder$/m);
    for (const file of [
      'autograder.json',
      'dnn-lab/dist/cli.js',
      'dnn-lab/dist/worker.js',
      'mnist/train-images-idx3-ubyte.gz',
      'mnist/SHA256SUMS',
      'node/node-v24.21.0-linux-x64.tar.gz',
    ]) {
      expect(listing).toContain(` ${file}\n`);
    }
    const source = join(workDir, sourceDir);
    // setup.sh as Gradescope runs it when building the image: MNIST and the tarball checked, Node installed.
    const setup = spawnSync(join(source, 'setup.sh'), [], {
      env: { ...process.env, DNN_LAB_NODE_DIR: join(workDir, 'node') },
      encoding: 'utf8',
    });
    expect(setup.stderr).toBe('');
    expect(setup.stdout).toContain('train-images-idx3-ubyte.gz: OK');
    expect(setup.stdout).toContain('node-v24.21.0-linux-x64.tar.gz: OK');
    expect(setup.stdout.trim().split('\n').at(-1)).toBe('v24.21.0');
    console.log(`autograder.zip: ${(zipSize / 1e6).toFixed(1)} MB`);
  }, 120_000);

  it('without --node-tarball, setup.sh downloads Node and installs it only when its SHA-256 is the pinned one', async () => {
    const tarball = join(workDir, 'node-v24.21.0-linux-x64.tar.gz');
    const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    // A local server stands in for nodejs.org (DNN_LAB_NODE_URL); nothing here reaches the internet.
    const server = createServer((_, response) => response.end(readFileSync(tarball)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/node.tar.gz`;
    try {
      for (const [name, pinned, ok] of [
        ['download-ok', sha, true],
        ['download-bad', 'b'.repeat(64), false],
      ] as const) {
        const zip = join(workDir, `${name}.zip`);
        expect(
          (await runCli(['autograder', 'corelab-1', '--data', SHARED_MNIST, '--out', zip, '--node-sha256', pinned]))
            .code,
        ).toBe(0);
        const source = join(workDir, `${name}-source`);
        mkdirSync(source);
        expect(spawnSync('unzip', ['-q', zip, '-d', source]).status).toBe(0);
        const setup = await new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(join(source, 'setup.sh'), [], {
            env: { ...process.env, DNN_LAB_NODE_DIR: join(workDir, `${name}-node`), DNN_LAB_NODE_URL: url },
          });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('close', (code) => resolve({ code, out }));
        });
        if (ok) {
          expect(setup.code).toBe(0);
          expect(setup.out.trim().split('\n').at(-1)).toBe('v24.21.0');
        } else {
          expect(setup.code).not.toBe(0);
          expect(setup.out).toMatch(/node\.tar\.xz: FAILED/);
          expect(existsSync(join(workDir, `${name}-node/bin/node`))).toBe(false);
        }
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it('scores the reference solution full marks, with the curves and each δ in Markdown, a hidden seed and a leaderboard', () => {
    const { results, stdout } = gradeSubmission('pass', { 'corelab-1.dnn.json': REFERENCE });
    expect(stdout).toContain('Score 11/11');
    expect(results.tests.every((t) => t.status === 'passed')).toBe(true);
    expect(results).toMatchObject({ score: 11, max_score: 11, output_format: 'md' });
    expect(results.tests.map((t) => t.name)).toEqual([
      'Submission: one valid lab config',
      'Requirement: 5 Dense layers',
      'Requirement: all of MNIST',
      'Requirement: 20 epochs',
      'Requirement: batch size 300',
      'Requirement: optimizer adam',
      'Requirement: learning rate 0.02',
      'Training accuracy at least 95% (your seed 1)',
      'Training accuracy at least 95% (hidden seed 7)',
    ]);
    expect(byName(results, 'Training accuracy').map((t) => t.visibility)).toEqual([undefined, 'after_due_date']);
    expect(results.output).toContain('| epoch | δ¹ rms | δ² rms | δ³ rms | δ⁴ rms | δ⁵ rms |');
    expect(results.output).toContain('| 20 |');
    expect(results.output).toContain('1 thread');
    expect(results.leaderboard?.map((l) => l.name)).toEqual(['Test accuracy (%)', 'Seconds per epoch']);
    expect(results.leaderboard?.[0].value).toBeGreaterThan(50);
    expect(results.execution_time).toBeGreaterThanOrEqual(0);
  });

  it('fails only the layers requirement of a 3-layer submission and trains nothing', () => {
    const threeLayers = REFERENCE.replace(/\s*\{ "units": 128[^\n]*\n\s*\{ "units": 64[^\n]*/, '');
    const { results } = gradeSubmission('three', { 'corelab-1.dnn.json': threeLayers });
    const failed = results.tests.filter((t) => t.status === 'failed').map((t) => t.name);
    expect(failed).toEqual([
      'Requirement: 5 Dense layers',
      'Training accuracy at least 95% (your seed 1)',
      'Training accuracy at least 95% (hidden seed 7)',
    ]);
    expect(byName(results, 'Requirement: 5')[0].output).toMatch(
      /^corelab-1\.dnn\.json:\d+:\d+: error: layers has 3 layers; Corelab 1 asks for 5 Dense layers/,
    );
    expect(byName(results, 'Training accuracy')[0].output).toBe('Not trained: meet every requirement first.');
    expect(results).toMatchObject({ score: 6, max_score: 11 });
  });

  it.each([
    [
      'broken JSON',
      { 'corelab-1.dnn.json': REFERENCE.replace('"batchSize": 300,', '"batchSize": 300') },
      /^corelab-1\.dnn\.json:18:3: error: syntax error: expected ',' between entries/,
    ],
    ['an empty submission', {}, /^No lab config to grade: the submission is empty\. Upload your corelab-1\.dnn\.json/],
    [
      'two configs',
      { 'a.dnn.json': REFERENCE, 'b/b.dnn.json': REFERENCE },
      /^2 lab configs were submitted \(a\.dnn\.json, b\/b\.dnn\.json\): upload exactly one/,
    ],
    [
      'a README and editor settings only',
      { 'README.md': '# my lab', '.vscode/settings.json': '{}' },
      /the submission holds \.vscode\/settings\.json, README\.md but no lab config/,
    ],
    [
      'a config of another problem',
      { 'corelab-3.dnn.json': REFERENCE.replace('"corelab-1"', '"corelab-3"') },
      /^corelab-3\.dnn\.json:5:\d+: error: problem is "corelab-3", but this assignment grades corelab-1: write "problem": "corelab-1"$/,
    ],
  ])('scores %s 0 of 11 and says what to fix', (_, files, message) => {
    const { results, code } = gradeSubmission(
      `zero-${Object.keys(files).length}-${Math.random().toString(36).slice(2, 6)}`,
      files,
    );
    expect(code).toBe(0);
    expect(results).toMatchObject({ score: 0, max_score: 11 });
    expect(results.tests[0]).toMatchObject({ name: 'Submission: one valid lab config', status: 'failed' });
    expect(results.tests[0].output).toMatch(message);
    expect(results.output).toContain('**Score 0:');
  });

  it('stops training at --time-limit and still writes results.json, saying why the threshold failed', async () => {
    const { sourceDir } = await buildAutograder('limit', ['--time-limit', '2']);
    // Four hidden layers of 1024 units: about 5 s per epoch on the 2000 test-mode images, one thread.
    const wide = REFERENCE.replace(/"units": (256|128|64|32)/g, '"units": 1024');
    const started = performance.now();
    const { results } = gradeSubmission('limit', { 'corelab-1.dnn.json': wide }, sourceDir);
    expect(performance.now() - started).toBeLessThan(30_000);
    const [own, hidden] = byName(results, 'Training accuracy');
    expect(own.output).toMatch(/^Corelab 1 failed: stopped after \d+ of 20 epochs; grading needs the whole run/);
    expect(hidden.output).toBe("Not trained: the autograder's 2 s of training ran out before this seed.");
    expect(results.output).toContain("**Training was stopped after the autograder's 2 s:**");
  });

  it('writes a results.json that blames the image, not the student, when setup.sh never installed Node', () => {
    const root = join(workDir, 'no-node');
    mkdirSync(join(root, 'submission'), { recursive: true });
    const run = spawnSync(join(workDir, 'autograder-source/run_autograder'), [], {
      env: { ...process.env, AUTOGRADER_ROOT: root, DNN_LAB_NODE_DIR: join(root, 'nowhere') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    const results = JSON.parse(readFileSync(join(root, 'results/results.json'), 'utf8')) as Results;
    expect(results.score).toBe(0);
    expect(results.output).toBe(
      `The autograder is broken: Node is not installed at ${join(root, 'nowhere')}/bin/node (setup.sh failed when the image was built). Tell your instructor.`,
    );
  });

  it('scores a run that trains to NaN 0, with the divergence message, and skips the hidden seed', () => {
    // Linear layers drawn with stddev 1e12 overflow float32 within the forward pass.
    const exploding = REFERENCE.replace(/"relu"/g, '"linear"').replace(
      '"kernelInitializer": "heNormal"',
      '"kernelInitializer": { "type": "randomNormal", "stddev": 1e12 }',
    );
    const { results } = gradeSubmission('nan', { 'corelab-1.dnn.json': exploding });
    expect(results.score).toBe(0);
    expect(results.output).toContain('**Score 0: training diverged');
    expect(byName(results, 'Training accuracy')[0].output).toContain('the run failed: Training diverged at epoch 1');
    expect(results.max_score).toBe(11);
    expect(byName(results, 'Training accuracy')[1].output).toBe(
      'Not trained: the run on your seed diverged, so this seed was not tried.',
    );
  });

  it('with --require-record, passes a run record that retrains to its figures and fails an edited one', async () => {
    const { sourceDir } = await buildAutograder('record', ['--require-record', '--hidden-seeds', 'none']);
    // The record the extension would write for this config, trained on the grader's test-mode subset by Node 24 as in
    // VS Code: the grader's Node. (Node 20's plain SIMD kernels drift from relaxed SIMD's by 0.6 points in 20 epochs here.)
    const subset = REFERENCE.replace(
      '"epochs": 20,',
      `"epochs": 20, "trainSamples": ${SUBSET}, "testSamples": ${SUBSET},`,
    );
    const file = await trainedRecord(workDir, 'reference-subset', subset, { node: NODE24 });
    const record = { ...JSON.parse(readFileSync(file, 'utf8')), config: parseLabConfig(REFERENCE).config } as {
      epochs: { testLoss: number }[];
    };
    const honest = gradeSubmission(
      'record-ok',
      { 'corelab-1.dnn.json': REFERENCE, '.dnnlab/runs/r1.json': JSON.stringify(record) },
      sourceDir,
    );
    const test = (r: Results) => byName(r, 'Run record')[0];
    expect(test(honest.results)).toMatchObject({ status: 'passed', score: 1 });
    expect(test(honest.results).output).toMatch(
      /^\.dnnlab\/runs\/r1\.json: 20 of 20 epochs match within 0\.5 points of accuracy and 5% of loss$/,
    );
    expect(honest.results).toMatchObject({ score: 10, max_score: 10 });
    record.epochs[4].testLoss *= 0.8;
    const edited = gradeSubmission(
      'record-edited',
      { 'corelab-1.dnn.json': REFERENCE, '.dnnlab/runs/r1.json': JSON.stringify(record) },
      sourceDir,
    );
    expect(test(edited.results).status).toBe('failed');
    expect(test(edited.results).output).toContain('- epoch 5: test loss recorded');
    const none = gradeSubmission('record-none', { 'corelab-1.dnn.json': REFERENCE }, sourceDir);
    expect(test(none.results).output).toBe(
      'No run record was submitted: add the .dnnlab/runs/<id>.json of your run beside your config.',
    );
    // A record the run history's guard refuses is named with its reason, never graded as a record or a config.
    const broken = gradeSubmission(
      'record-broken',
      {
        'corelab-1.dnn.json': REFERENCE,
        '.dnnlab/runs/r1.json': JSON.stringify({ ...record, epochs: [null, ...record.epochs.slice(1)] }),
      },
      sourceDir,
    );
    expect(test(broken.results).status).toBe('failed');
    expect(test(broken.results).output).toBe(
      'No run record was submitted: add the .dnnlab/runs/<id>.json of your run beside your config.\n' +
        '.dnnlab/runs/r1.json was left out: not a run record DNN Lab can show: epochs[0] must be an object, got null',
    );
  });
});
