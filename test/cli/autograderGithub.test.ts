// `dnn-lab autograder --format github`: the workflow's Grade step, run here as the runner would run it (bash, with
// RUNNER_TEMP, GITHUB_WORKSPACE and GITHUB_STEP_SUMMARY set) on a repository holding the generated grader.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-autograder-github-'));
const REFERENCE = readFileSync(join(__dirname, '../../labs/corelab-1/reference.dnn.json'), 'utf8');

/** The `run: |` block of the workflow's Grade step. */
function gradeStep(workflow: string): string {
  const lines = workflow.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'run: |');
  const indent = /^\s*/.exec(lines[start + 1])?.[0] ?? '';
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(indent) && line.trim() !== '') break;
    body.push(line.slice(indent.length));
  }
  return body.join('\n');
}

describe('dnn-lab autograder --format github', () => {
  const template = join(workDir, 'template');
  it('writes a workflow pinned to Node 24 and the grader beside it', async () => {
    const built = await runCli([
      'autograder',
      'corelab-1',
      '--format',
      'github',
      '--data',
      SHARED_MNIST,
      '--out',
      template,
    ]);
    expect(built.code).toBe(0);
    const workflow = readFileSync(join(template, '.github/workflows/dnn-lab-autograder.yml'), 'utf8');
    expect(workflow).toContain('node-version: "24.21.0"');
    expect(workflow).not.toContain('@@');
    expect(statSync(join(template, '.dnn-lab-autograder/run_autograder')).mode & 0o111).not.toBe(0);
  });

  it.each([
    ['passes the reference solution', REFERENCE, 0, '✅ Training accuracy at least 95% (your seed 1): 2 / 2'],
    [
      'fails a 3-layer config with a non-zero exit',
      REFERENCE.replace(/\s*\{ "units": 128[^\n]*\n\s*\{ "units": 64[^\n]*/, ''),
      1,
      '❌ Requirement: 5 Dense layers: 0 / 1',
    ],
  ])('%s, and the job summary shows the Markdown of results.json', (name, config, code, line) => {
    const repo = join(workDir, `repo-${code}`);
    cpSync(template, repo, { recursive: true });
    writeFileSync(join(repo, 'corelab-1.dnn.json'), config);
    const summary = join(workDir, `summary-${code}.md`);
    const runnerTemp = join(workDir, `runner-${code}`);
    mkdirSync(runnerTemp);
    const step = gradeStep(readFileSync(join(repo, '.github/workflows/dnn-lab-autograder.yml'), 'utf8'));
    mkdirSync(dirname(summary), { recursive: true });
    const run = spawnSync('bash', ['-e', '-c', step], {
      env: {
        ...process.env,
        RUNNER_TEMP: runnerTemp,
        GITHUB_WORKSPACE: repo,
        GITHUB_STEP_SUMMARY: summary,
        DNN_LAB_GRADER_SUBSET: '2000',
      },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(run.status, `${name}: ${run.stderr}`).toBe(code);
    const markdown = readFileSync(summary, 'utf8');
    const results = JSON.parse(readFileSync(join(runnerTemp, 'autograder/results/results.json'), 'utf8')) as {
      output: string;
    };
    expect(markdown.startsWith(results.output)).toBe(true);
    expect(markdown).toContain(line);
  });
});
