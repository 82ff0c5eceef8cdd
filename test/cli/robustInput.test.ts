import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, jsonLines, runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';

// The CLI under input no one means to give it: huge error lists into a pipe, deep nesting, other encodings, and
// option values that look like numbers or like other options. None of these train, so each answers in a second.

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-robust-'));

function writeConfig(name: string, content: string | Buffer): string {
  const path = join(workDir, name);
  writeFileSync(path, content);
  return path;
}

/**
 * 1201 hidden layers, each with a 1000-letter unknown key: 1203 errors of about a kilobyte each, so even the 101 lines
 * listed are well past the 64 KiB a pipe holds.
 */
const MANY_ERRORS = writeConfig(
  'many-errors.dnn.json',
  `{ "layers": [\n${Array.from({ length: 1201 }, (_, i) => `  { "units": 8, "activation": "relu", "${'k'.repeat(1000)}${i}": 1 },\n`).join('')}  { "units": 10, "activation": "softmax" }\n], "epochs": 0 }\n`,
);
const MANY_ERROR_COUNT = 1202;

/** Runs `command` in sh, for pipelines; resolves to what the pipeline printed and its status. */
function shell(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const BACKENDS = 'auto|dnn-wasm|wasm|tfjs-node|cpu|js';
const dnnLab = `"${process.execPath}" "${CLI}"`;

describe('dnn-lab train into a pipe', () => {
  it('writes every JSON line whole when the reader is slow, then exits 1', async () => {
    // The reader sleeps first, so the pipe is full when the CLI is done: output left in the buffer was cut at 64 KiB.
    const run = await shell(`${dnnLab} train "${MANY_ERRORS}" --json | (sleep 1; cat); exit $(( $? ))`);
    const lines = run.stdout.trim().split('\n');
    expect(run.stdout.length).toBeGreaterThan(100 * 1024);
    expect(lines).toHaveLength(1);
    const [event] = jsonLines(run.stdout);
    expect(event).toMatchObject({
      event: 'error',
      message: `${MANY_ERRORS} has ${MANY_ERROR_COUNT} errors`,
      errorCount: MANY_ERROR_COUNT,
    });
    const errors = event.errors as { path: string; line: number; column: number; message: string }[];
    expect(errors).toHaveLength(101);
    expect(errors[0]).toMatchObject({ line: 2, column: 39 });
    expect(errors[0].message).toMatch(
      /^layers\[0\]\.k{1000}0 is not a known property; allowed here: units, activation/,
    );
    expect(errors[100]).toEqual({
      path: '',
      line: 102,
      column: 39,
      message: `${MANY_ERROR_COUNT - 100} more errors from here on are not listed (${MANY_ERROR_COUNT} in all); fix the ones above first`,
    });
  });

  it('prints every error line in text mode when the reader is slow', async () => {
    const run = await shell(`${dnnLab} train "${MANY_ERRORS}" 2>&1 >/dev/null | (sleep 1; cat)`);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(102);
    lines
      .slice(0, 100)
      .forEach((line, i) => expect(line.startsWith(`${MANY_ERRORS}:${i + 2}:39: error: layers[${i}].kkk`)).toBe(true));
    expect(lines[100]).toBe(
      `${MANY_ERRORS}:102:39: error: ${MANY_ERROR_COUNT - 100} more errors from here on are not listed (${MANY_ERROR_COUNT} in all); fix the ones above first`,
    );
    expect(lines[101]).toBe(`${MANY_ERRORS} has ${MANY_ERROR_COUNT} errors; nothing was trained.`);
  });

  it('ends quietly when the reader stops reading', async () => {
    const run = await shell(
      `${dnnLab} train "${MANY_ERRORS}" --json 2>"${join(workDir, 'stderr.txt')}" | head -c 100 >/dev/null; cat "${join(workDir, 'stderr.txt')}"`,
    );
    expect(run.stdout).toBe('');
  });
});

describe('dnn-lab train on unreadable configs', () => {
  const NESTING =
    'syntax error: nesting deeper than 64 levels of { and [ here; a lab config needs 4 at most, so remove the extra brackets';

  it('reports 1800 levels of nesting at the first bracket too deep, in --json and in text', async () => {
    const file = writeConfig('deep.dnn.json', `{ "layers": [\n  ${'['.repeat(1800)}${']'.repeat(1800)}\n] }`);
    const json = await runCli(['train', file, '--json']);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    expect(jsonLines(json.stdout)).toEqual([
      {
        event: 'error',
        message: `${file} has 1 error`,
        errorCount: 1,
        errors: [{ path: '', line: 2, column: 65, message: NESTING }],
      },
    ]);
    const text = await runCli(['train', file]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe(`${file}:2:65: error: ${NESTING}\n${file} has 1 error; nothing was trained.\n`);
  });

  it('reads a config saved with a UTF-8 byte order mark, counting columns as an editor does', async () => {
    const file = writeConfig(
      'bom.dnn.json',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('{ "epochs": 0, "layers": [{ "units": 10, "activation": "softmax" }] }'),
      ]),
    );
    const run = await runCli(['train', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `${file}:1:13: error: epochs must be a positive integer, got 0\n${file} has 1 error; nothing was trained.\n`,
    );
  });

  it.each(['utf16le', 'utf16be'])('gives one error for a %s config', async (encoding) => {
    let bytes = Buffer.from('\uFEFF{ "layers": [{ "units": 10, "activation": "softmax" }] }\n', 'utf16le');
    if (encoding === 'utf16be') bytes = Buffer.from(bytes).swap16();
    const file = writeConfig(`${encoding}.dnn.json`, bytes);
    const run = await runCli(['train', file, '--json']);
    expect(run.code).toBe(1);
    const [event] = jsonLines(run.stdout);
    expect(event.errorCount).toBe(1);
    expect((event.errors as { message: string }[])[0].message).toMatch(
      /^the file is UTF-16, not UTF-8: save it as UTF-8/,
    );
  });
});

describe('dnn-lab train on what is not a config', () => {
  it('says a folder is a folder', async () => {
    const run = await runCli(['train', workDir, '--json']);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      { event: 'error', message: `cannot read the config ${workDir}: it is a folder; name the .dnn.json config in it` },
    ]);
  });

  // A FIFO and /dev/zero have size 0, so a size check alone lets the read start: one waits for a writer forever, the
  // other never ends. Both are refused by what they are, at once.
  it.each([
    [
      'a FIFO no one writes',
      'fifo.dnn.json',
      (p: string) => execFileSync('mkfifo', [p]),
      'it is a FIFO (named pipe), not a regular file: name the .dnn.json config',
    ],
    [
      'a link to /dev/zero',
      'zero.dnn.json',
      (p: string) => symlinkSync('/dev/zero', p),
      'it is a character device, not a regular file: name the .dnn.json config',
    ],
  ])('refuses %s within 5 s, saying what it is', { timeout: 10_000 }, async (_, name, make, says) => {
    const file = join(workDir, name);
    make(file);
    const started = performance.now();
    const run = await runCli(['train', file, '--json']);
    expect(jsonLines(run.stdout)).toEqual([{ event: 'error', message: `cannot read the config ${file}: ${says}` }]);
    expect(run.code).toBe(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('does not read a file of 17 MiB, far past any config', async () => {
    const file = writeConfig('huge.dnn.json', '{');
    truncateSync(file, 17 * 2 ** 20);
    const started = performance.now();
    const run = await runCli(['train', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Error: cannot read the config ${file}: it is 17 MiB, and a lab config is a few KB (at most 16 MiB is read): name the .dnn.json config\n`,
    );
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('dnn-lab options', () => {
  const VALID = writeConfig('valid.dnn.json', '{ "layers": [{ "units": 10, "activation": "softmax" }] }');

  it.each([
    [['--epochs', '1e9'], '--epochs must be a positive integer, got 1e9; write it in decimal digits, e.g. --epochs 5'],
    [
      ['--epochs', '0x10'],
      '--epochs must be a positive integer, got 0x10; write it in decimal digits, e.g. --epochs 5',
    ],
    [['--epochs', '1000000000'], '--epochs must be at most 10000 (as "epochs" in a config), got 1000000000'],
    [['--epochs', '0'], '--epochs must be a positive integer (as "epochs" in a config), got 0'],
    [
      ['--threads', '2.0'],
      '--threads must be an integer from 0 (one per core, up to 4) to 64, got 2.0; write it in decimal digits, e.g. --threads 2',
    ],
    [['--threads', '65'], '--threads must be an integer from 0 (one per core, up to 4) to 64, got 65'],
    [['--data', '--json'], '--data needs a folder, got --json; e.g. --data DIR'],
    [
      ['--backend', '--json'],
      '--backend needs a backend, got --json; e.g. --backend auto|dnn-wasm|wasm|tfjs-node|cpu|js',
    ],
    [['--json=yes'], '--json takes no value, got --json=yes; write --json'],
    [['--epochs', '2', '--epochs', '3'], '--epochs is given twice; give it once'],
    [['other.dnn.json'], `train takes one config file, ${VALID}; remove other.dnn.json`],
    [['-e', '3'], 'unknown option -e; options start with --'],
  ])('train %j is a usage error: %s', async (extra, message) => {
    const run = await runCli(['train', VALID, ...extra]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`dnn-lab: ${message}`);
    // The usage that follows is the command's own, not every command's.
    expect(run.stderr).toContain('Usage:\n  dnn-lab train <config.dnn.json>');
    expect(run.stderr).not.toContain('dnn-lab grade');
  });

  it('example takes one worked example, not more', async () => {
    const run = await runCli(['example', '7-3', '7-4']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('dnn-lab: example takes one worked example, 7-3; remove 7-4');
  });

  it('refuses --epochs for a config whose sweep compares epochs, which would ignore it', async () => {
    const file = writeConfig(
      'sweep-epochs.dnn.json',
      '{ "layers": [{ "units": 10, "activation": "softmax" }], "trainSamples": 100, "testSamples": 100, "sweep": { "epochs": [1, 2] } }',
    );
    // The shared MNIST, should it train after all: never a download.
    const run = await runCli(['train', file, '--epochs', '3'], { env: { DNN_LAB_DATA: SHARED_MNIST } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "dnn-lab: --epochs 3 cannot apply: the config's sweep compares epochs [1, 2]; remove --epochs or sweep.epochs",
    );
  });

  it('--out needs a file in grade, and grade lists --backend in the usage as its parser takes it', async () => {
    const run = await runCli(['grade', VALID, '--out', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('dnn-lab: --out needs a file, got --json; e.g. --out FILE');
    const usage = (await runCli(['help'])).stdout;
    const synopsis = (command: string) =>
      usage
        .slice(usage.indexOf(`dnn-lab ${command} `))
        .split(/\n {6}\S/)[0]
        .replace(/\s+/g, ' ');
    expect(synopsis('grade')).toBe(
      `dnn-lab grade <lab folder or config>... [--problem corelab-1|corelab-2|corelab-3] [--data DIR] [--backend ${BACKENDS}] [--out FILE] [--json]`,
    );
    expect(synopsis('train')).toBe(
      `dnn-lab train <config.dnn.json> [--data DIR] [--epochs N] [--backend ${BACKENDS}] [--threads N] [--json]`,
    );
  });
});
