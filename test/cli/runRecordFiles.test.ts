// dnn-lab export and verify on run record files that are broken, hostile or not files at all: both read through the
// run history's one reader and checkRunRecord, so each is refused at once, naming the file and the field.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { SHARED_MNIST } from '../support/mnist';
import { record } from '../support/records';

const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-record-files-'));
const good = () => record(0, 0.9) as unknown as Record<string, unknown> & { epochs: Record<string, unknown>[] };
const json = (value: unknown) => (path: string) => writeFileSync(path, JSON.stringify(value));

const CASES: [string, (path: string) => void, string][] = [
  ['not JSON', (p) => writeFileSync(p, '{ oops'), ': not JSON ('],
  [
    'another format',
    json({ ...good(), format: 9 }),
    ': not a run record DNN Lab can show: format must be 1 (the format this version of DNN Lab writes), got 9',
  ],
  [
    'epochs: [null]',
    json({ ...good(), epochs: [null] }),
    ': not a run record DNN Lab can show: epochs[0] must be an object, got null',
  ],
  [
    'no epochs',
    json({ ...good(), epochs: [], batchLosses: [], layerSnapshots: [] }),
    ": epochs must list the run's finished epochs, got none: train at least one epoch first",
  ],
  ['a FIFO no one writes', (p) => execFileSync('mkfifo', [p]), ': a FIFO (named pipe), not a regular file'],
  ['a link to /dev/zero', (p) => symlinkSync('/dev/zero', p), ': a character device, not a regular file'],
  ['a folder', (p) => mkdirSync(p), ': a folder, not a regular file'],
  [
    '17 MB',
    (p) => writeFileSync(p, JSON.stringify({ ...good(), name: 'n'.repeat(17 << 20) })),
    ': 17.0 MB, more than the 16.0 MB a run record may be',
  ],
];

describe.each(['verify', 'export'])('dnn-lab %s on a bad run record file', (command) => {
  // export takes a file that is not JSON for a config, and reports it as one.
  it.each(CASES.filter(([title]) => command === 'verify' || title !== 'not JSON'))(
    'refuses %s at once, naming the file',
    { timeout: 10_000 },
    async (title, make, says) => {
      const file = `${command}-${title.replace(/\W+/g, '-')}.json`;
      make(join(workDir, file));
      const started = performance.now();
      const run = await runCli(
        command === 'verify' ? ['verify', file, '--data', SHARED_MNIST] : ['export', file, '--format', 'csv'],
        { cwd: workDir },
      );
      // export reads a file before it knows it is a record, and says so in its own words: "cannot read <file>: it is a FIFO ...".
      const exportReading = command === 'export' && /FIFO|dev\/zero|folder|17 MB/.test(title);
      if (exportReading)
        expect(run.stderr).toMatch(
          new RegExp(`^Error: cannot read ${file}: it is (a FIFO|a character device|a folder|17 MiB)`),
        );
      else expect(run.stderr).toContain(`Error: ${file}${says}`);
      expect(run.stderr).not.toMatch(/TypeError|internal error|^\s+at /im);
      expect(run.code).toBe(1);
      expect(performance.now() - started).toBeLessThan(5_000);
    },
  );
});

describe('metrics stored as null (NaN in JSON)', () => {
  const withNull = () => {
    const value = good();
    value.config = { ...(value.config as object), trainSamples: 500, testSamples: 200 };
    (value.epochs[0].layers as Record<string, unknown>[])[0].updateRatio = null;
    value.epochs[1].testLoss = null;
    return value;
  };

  it('export reads them back as NaN', async () => {
    json(withNull())(join(workDir, 'nan.json'));
    const run = await runCli(['export', 'nan.json', '--format', 'csv'], { cwd: workDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[2]).toMatch(/NaN/);
  });

  it('verify compares them, and finds the made-up figures do not match', { timeout: 60_000 }, async () => {
    json(withNull())(join(workDir, 'nan-verify.json'));
    const run = await runCli(['verify', 'nan-verify.json', '--data', SHARED_MNIST, '--threads', '1'], { cwd: workDir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Not verified: /m);
    expect(run.code).toBe(1);
  });
});
