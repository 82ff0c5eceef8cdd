// The exported tables open in the programs they are for: CSV as Python's csv module (what spreadsheets follow,
// RFC 4180) reads it, LaTeX compiled in a document by pdflatex. Real runs on MNIST, exported by the same engine code
// the CLI and the training panel call.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseKernels } from '../../../src/engine/kernels/backend';
import { runTableCells, runTableText, type ExportInput, type RunTable } from '../../../src/engine/export/runExports';
import { train } from '../../../src/engine/train/trainer';
import { sharedMnist } from '../../support/mnist';
import { labConfig, layer } from '../../support/nets';

const has = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
const python = has('python3', ['-c', 'import csv, json']);
const pdflatex = has('pdflatex', ['--version']) && has('kpsewhich', ['booktabs.sty']);
if (!pdflatex)
  console.warn(
    'renders.test: skipping the LaTeX compile: no pdflatex with booktabs here (apt-get install -y texlive-latex-base texlive-latex-recommended)',
  );
const soffice = has('soffice', ['--version']);
const pdftotext = has('pdftotext', ['-v']);
if (!soffice || !pdftotext)
  console.warn(
    'renders.test: skipping the LibreOffice Calc render: no soffice or pdftotext here (apt-get install -y libreoffice-calc-nogui poppler-utils)',
  );
if (!python) console.warn('renders.test: skipping the CSV read-back: no python3 here');

const TABLES: RunTable[] = ['epochs', 'layers', 'comparison'];
const dir = mkdtempSync(join(tmpdir(), 'dnn-lab-renders-'));
let runs: ExportInput[] = [];

beforeAll(async () => {
  const { kernels } = await chooseKernels('wasm');
  const data = await sharedMnist();
  runs = [];
  for (const [name, learningRate] of [
    ['relu_32 & "adam", 1e-3', 0.001],
    ['relu 32 adam 10%', 0.01],
  ] as const) {
    const config = labConfig({
      name,
      layers: [layer(32, 'relu'), layer(16, 'relu'), layer(10, 'softmax')],
      optimizer: { type: 'adam', learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      epochs: 2,
      trainSamples: 2000,
      testSamples: 500,
    });
    const result = await train({ config, data, kernels });
    runs.push({ config, record: { epochs: result.epochs, status: result.status } });
  }
}, 120_000);

const inputsOf = (table: RunTable) => (table === 'comparison' ? runs : runs.slice(0, 1));

describe('exported tables in the programs they are for', () => {
  it.skipIf(!python).each(TABLES)('CSV of %s reads back cell for cell with Python’s csv module', (table) => {
    const file = join(dir, `${table}.csv`);
    writeFileSync(file, runTableText(table, 'csv', inputsOf(table)));
    const read = spawnSync(
      'python3',
      [
        '-c',
        'import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))))',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(read.stderr).toBe('');
    const cells = runTableCells(table, inputsOf(table));
    expect(JSON.parse(read.stdout)).toEqual(cells);
    expect(cells.length).toBe(table === 'epochs' ? 3 : table === 'layers' ? 7 : 3);
    // A byte order mark exactly when a cell is not ASCII (the comparison's δ¹), so spreadsheets read UTF-8.
    const bytes = readFileSync(file);
    expect(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf).toBe(table === 'comparison');
    // A figure is a number a spreadsheet can sum, not text; the comparison names its runs, quotes and all.
    if (table === 'comparison') expect(cells.slice(1).map((row) => row[0])).toEqual(runs.map((r) => r.config.name));
    else for (const cell of cells.slice(1).flat()) expect(Number.isFinite(Number(cell)), cell).toBe(true);
  });

  it.skipIf(!soffice || !pdftotext)(
    'CSV opens in LibreOffice Calc: δ headings, percentages and figures as the table has them',
    { timeout: 120_000 },
    () => {
      const file = join(dir, 'comparison.csv');
      writeFileSync(file, runTableText('comparison', 'csv', runs));
      // Headless Calc takes the system's charset unless told (a desktop Calc asks in its import dialog): UTF-8.
      const run = spawnSync(
        'soffice',
        ['--headless', '--infilter=CSV:44,34,76', '--convert-to', 'pdf', '--outdir', join(dir, 'calc'), file],
        { encoding: 'utf8', timeout: 110_000, env: { ...process.env, HOME: dir } },
      );
      expect(run.status, run.stderr).toBe(0);
      const text = spawnSync('pdftotext', ['-layout', join(dir, 'calc', 'comparison.pdf'), '-'], { encoding: 'utf8' });
      expect(text.stdout).toContain('δ¹ rms');
      expect(text.stdout).not.toContain('\ufeff');
      const final = runTableCells('comparison', runs)[1];
      for (const cell of final.slice(2, 4)) expect(text.stdout).toContain(cell); // "71.50%"
    },
  );

  it.skipIf(!pdflatex)('LaTeX of every table compiles in a document with pdflatex', () => {
    const body = TABLES.map((table) => runTableText(table, 'latex', inputsOf(table))).join('\n');
    writeFileSync(
      join(dir, 'report.tex'),
      [
        '\\documentclass{article}',
        '\\usepackage[T1]{fontenc}',
        '\\usepackage[utf8]{inputenc}',
        '\\usepackage{booktabs}',
        '\\usepackage{graphicx}',
        '\\begin{document}',
        body,
        '\\end{document}',
        '',
      ].join('\n'),
    );
    const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'report.tex'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stdout.slice(-2000)).toBe(0);
    expect(existsSync(join(dir, 'report.pdf'))).toBe(true);
    const log = readFileSync(join(dir, 'report.log'), 'utf8');
    // Three tables, and nothing LaTeX had to guess at: no missing characters, no overfull table.
    expect(log).not.toMatch(/Missing character|Overfull \\hbox|Undefined control sequence/);
    expect(readFileSync(join(dir, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    console.log(`renders.test: compiled ${join(dir, 'report.pdf')}`);
  });
});
