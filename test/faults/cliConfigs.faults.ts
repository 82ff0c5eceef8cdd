// The fault harness's CLI part for configs: a seeded sample of the generated bad configs through
// `node bin/dnn-lab.js train` in text and --json (and ten through `grade`), output through a slow pipe, bad
// overrides, BOM and UTF-16 files, networks too big for memory, training that diverges without a NaN, and config
// paths that name no config file (a FIFO, /dev/zero, a folder, a loop, 80 MB), grade --out paths it cannot write,
// and hostile run records through export and verify.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MNIST } from '../support/mnist';
import { badJsonLines, crashSigns, runCliChild, type ChildRun } from './child';
import { BASE, configText, generateConfigCases, SCHEMA, type ConfigCase, type Json } from './configCases';
import { inFile, lineLengths } from './positions';
import { PAGE_CASES } from './recordCases';
import { Random, SEED } from './random';
import { Tally, type Problem } from './tally';

const tally = new Tally('cli-configs');
const workDir = mkdtempSync(join(tmpdir(), 'dnn-lab-faults-cli-'));
const BOUND_MS = 15_000;

/** Names that must be in the sample whatever the seed: the deep, the big and the many-errors cases. */
const ALWAYS = [
  'name nested in 1800 arrays',
  'layers[0].units nested in 1800 objects',
  '5000 unclosed [',
  '300 KB of unquoted words, one per line',
  '5000 layers of 0 units',
];
const generated = generateConfigCases(SEED);
const sample: ConfigCase[] = [
  ...generated.filter((c) => ALWAYS.includes(c.name)),
  ...new Random(SEED + 1).sample(
    generated.filter((c) => !ALWAYS.includes(c.name) && c.category !== 'size' && c.category !== 'nesting'),
    25,
  ),
];

beforeAll(() =>
  console.log(`fault harness [cli-configs]: seed ${SEED}, ${sample.length} sampled configs, work folder ${workDir}`),
);
afterAll(() => {
  tally.flush();
  rmSync(workDir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  writeFileSync(join(workDir, name), content);
  return name;
}

function cli(args: string[], extra: Partial<Parameters<typeof runCliChild>[1]> = {}): Promise<ChildRun> {
  return runCliChild(args, { timeoutMs: BOUND_MS, cwd: workDir, ...extra });
}

/** The problems of the text output of a config with errors: each error at file:line:col inside the file, and the count line. */
function textProblems(run: ChildRun, file: string, text: string): Problem[] {
  const problems = crashSigns(run);
  if (run.code !== 1) problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}, not 1` });
  const lengths = lineLengths(text);
  const prefix = `${file}:`;
  const errorLines = run.stderr.split('\n').filter((l) => l.startsWith(prefix));
  if (errorLines.length === 0)
    problems.push({
      kind: 'noPosition',
      text: `no "${file}:line:col: error:" line; stderr starts ${JSON.stringify(run.stderr.slice(0, 200))}`,
    });
  for (const line of errorLines) {
    const m = /^[^:]+:(\d+):(\d+): error: \S/.exec(line);
    if (!m || !inFile(lengths, Number(m[1]), Number(m[2]))) {
      problems.push({ kind: 'noPosition', text: `not a position in the file: ${line.slice(0, 160)}` });
      break;
    }
  }
  // The last line counts the errors ("3 errors in a.dnn.json" or "a.dnn.json has 3 errors"): output that ends
  // without it was cut.
  const count = /(?:(\d+) errors? in \S+|\S+ has (\d+) errors?); nothing was trained\.\s*$/.exec(run.stderr);
  if (!count)
    problems.push({
      kind: 'other',
      text: `output does not end with the count of errors and "nothing was trained." (${run.stderr.length} chars, ends ${JSON.stringify(run.stderr.slice(-80))})`,
    });
  else if (Number(count[1] ?? count[2]) < errorLines.length)
    problems.push({ kind: 'other', text: `says ${count[1] ?? count[2]} errors but printed ${errorLines.length}` });
  return problems;
}

/** The problems of --json output: every line JSON, one error event whose every error has a line:column in the file. */
function jsonProblems(run: ChildRun, text: string): Problem[] {
  const problems = crashSigns(run);
  if (run.code !== 1) problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}, not 1` });
  const bad = badJsonLines(run.stdout);
  if (bad.length) problems.push({ kind: 'other', text: `${bad.length} stdout lines are not JSON, e.g. ${bad[0]}` });
  const events = run.stdout.split('\n').flatMap((l) => {
    try {
      return [
        JSON.parse(l) as {
          event?: string;
          message?: string;
          errors?: { line: number; column: number; message: string; path: string }[];
        },
      ];
    } catch {
      return [];
    }
  });
  const errorEvents = events.filter((e) => e.event === 'error');
  if (errorEvents.length !== 1) problems.push({ kind: 'other', text: `${errorEvents.length} error events, not 1` });
  const errors = errorEvents[0]?.errors ?? [];
  if (errorEvents.length && errors.length === 0)
    problems.push({
      kind: 'noPosition',
      text: `the error event has no errors[]: ${JSON.stringify(errorEvents[0]).slice(0, 200)}`,
    });
  const lengths = lineLengths(text);
  const misplaced = errors.filter((e) => !inFile(lengths, e.line, e.column) || !e.message);
  if (misplaced.length)
    problems.push({
      kind: 'noPosition',
      text: `${misplaced.length} errors without a line:column in the file, e.g. ${JSON.stringify(misplaced[0]).slice(0, 200)}`,
    });
  if (run.stderr.trim()) problems.push({ kind: 'other', text: `--json wrote to stderr: ${run.stderr.slice(0, 160)}` });
  return problems;
}

describe(`bad configs through the CLI (seed ${SEED})`, () => {
  it.each(sample.map((c, i) => [`${String(i).padStart(2, '0')} ${c.category}: ${c.name}`, c, i] as const))(
    '%s',
    async (title, c, i) => {
      const file = write(`case-${String(i).padStart(2, '0')}.dnn.json`, c.text);
      const [text, json] = await Promise.all([
        cli(['train', file, '--data', SHARED_MNIST]),
        cli(['train', file, '--data', SHARED_MNIST, '--json']),
      ]);
      const problems = [
        ...textProblems(text, file, c.text),
        ...jsonProblems(json, c.text).map((p) => ({ ...p, text: `--json: ${p.text}` })),
      ];
      expect(tally.record(title, problems)).toEqual([]);
    },
  );
});

describe('output through a pipe that is read slowly (more than 64 KiB of errors)', () => {
  // 150 unknown keys of 1000 characters: well over 64 KiB of messages, however many errors are listed one by one.
  const keys = Array.from({ length: 150 }, (_, i) => `"${String(i).padStart(3, '0')}${'k'.repeat(1000)}": ${i}`);
  const text = configText(BASE).replace('{', `{\n  ${keys.join(',\n  ')},`);
  const file = write('slow-pipe.dnn.json', text);
  it.each([
    ['text', [], '2>&1 >/dev/null | (sleep 1; cat) >&2'],
    ['--json', ['--json'], '| (sleep 1; cat)'],
  ] as const)('%s: the reader gets every byte a fast reader gets', async (label, json, pipe) => {
    const args = ['train', file, '--data', SHARED_MNIST, ...json];
    const direct = await cli(args);
    const slow = await cli([], { shell: `"$NODE" "$CLI" ${args.map((a) => `'${a}'`).join(' ')} ${pipe}` });
    const problems = label === 'text' ? textProblems(direct, file, text) : jsonProblems(direct, text);
    const [got, want] = label === 'text' ? [slow.stderr, direct.stderr] : [slow.stdout, direct.stdout];
    if (want.length <= 65_536)
      problems.push({
        kind: 'other',
        text: `the direct run printed only ${want.length} bytes; the case needs more than 64 KiB`,
      });
    if (got !== want) problems.push({ kind: 'other', text: `a slow reader got ${got.length} of ${want.length} bytes` });
    problems.push(...crashSigns(slow));
    expect(tally.record(`slow pipe, ${label}`, problems)).toEqual([]);
  });
});

const MAX_EPOCHS = SCHEMA.properties?.epochs.maximum as number;

describe('bad command-line overrides on a valid config', () => {
  const valid = () => write('valid.dnn.json', configText(BASE));
  it.each([
    [['--epochs', '1e9'], '--epochs'],
    [['--epochs', String(MAX_EPOCHS + 1)], '--epochs'],
    [['--epochs', '0x10'], '--epochs'],
    [['--epochs', '1.5'], '--epochs'],
    [['--epochs', '-1'], '--epochs'],
    [['--epochs', 'Infinity'], '--epochs'],
    [['--epochs', '--json'], '--epochs'],
    [['--data', '--json'], '--data'],
    [['--threads', '0x2'], '--threads'],
    [['--threads', '65'], '--threads'],
    [['--backend', '--json'], '--backend'],
  ] as const)('train valid.dnn.json %j is refused, naming %s', async (args, option) => {
    const started = (out: string, err: string) => /^Backend:|^Data:|"event":"(backend|data)"/m.test(out + err);
    const data = args[0] === '--data' ? [] : ['--data', SHARED_MNIST];
    const run = await cli(['train', valid(), ...data, ...args], {
      onOutput: (out, err, signal) => started(out, err) && signal('SIGKILL'),
    });
    const problems = crashSigns(run);
    if (started(run.stdout, run.stderr))
      problems.push({ kind: 'other', text: `accepted ${args.join(' ')} and started training` });
    else if (run.code !== 1 && run.code !== 2) problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}` });
    if (!run.stderr.includes(option) && !run.stdout.includes(option))
      problems.push({
        kind: 'other',
        text: `the message does not name ${option}: ${JSON.stringify((run.stderr || run.stdout).slice(0, 160))}`,
      });
    expect(tally.record(`override ${args.join(' ')}`, problems)).toEqual([]);
  });
});

describe('byte order marks and UTF-16', () => {
  const withError = configText({ ...BASE, epochs: 0 });
  const errorLine = withError.split('\n').findIndex((l) => l.includes('"epochs"')) + 1;
  const missingData = configText({ ...BASE, dataset: { path: 'no-such-folder' } });
  const encodings: [string, (text: string) => Buffer][] = [
    ['UTF-8 with BOM', (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])],
    ['UTF-16LE with BOM', (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
    ['UTF-16BE with BOM', (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()])],
  ];
  // The files get neutral names: a message naming the encoding must do so in its own words, not by the file name.
  const fileOf = (label: string, kind: string) =>
    `encoding-${encodings.findIndex(([l]) => l === label)}-${kind}.dnn.json`;
  it.each(encodings)(
    '%s, epochs 0: the one error is reported on its line, or the encoding is named',
    async (label, encode) => {
      const file = write(fileOf(label, 'error'), encode(withError));
      const run = await cli(['train', file, '--data', SHARED_MNIST]);
      const problems = crashSigns(run);
      const namesEncoding = /UTF-16/i.test(run.stderr) && run.code === 1;
      if (!namesEncoding) {
        if (/syntax error/.test(run.stderr))
          problems.push({
            kind: 'other',
            text: `syntax errors for a ${label} file: ${run.stderr.split('\n')[0].slice(0, 160)}`,
          });
        if (!run.stderr.includes(`${file}:${errorLine}:`) || !run.stderr.includes('epochs'))
          problems.push({
            kind: 'other',
            text: `no epochs error on line ${errorLine}: ${JSON.stringify(run.stderr.slice(0, 200))}`,
          });
      }
      expect(tally.record(`${label}, epochs 0`, problems)).toEqual([]);
    },
  );
  it.each(encodings)(
    '%s, valid config: read as the config it is (the missing data folder is what is reported)',
    async (label, encode) => {
      const file = write(fileOf(label, 'valid'), encode(missingData));
      const run = await cli(['train', file, '--json']);
      const problems = crashSigns(run);
      const namesEncoding = /UTF-16/i.test(run.stdout) && run.code === 1;
      if (!namesEncoding && !/no-such-folder/.test(run.stdout))
        problems.push({
          kind: 'other',
          text: `not read as a valid config: ${JSON.stringify(run.stdout.slice(0, 240))}`,
        });
      if (run.code !== 1) problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}, not 1` });
      expect(tally.record(`${label}, valid config`, problems)).toEqual([]);
    },
  );
});

const MAX_UNITS = (SCHEMA.definitions?.layer.properties?.units.maximum as number) ?? 100_000;
const MEMORY_MB = 2048;

describe('networks too big for memory', () => {
  it.each<[string, Record<string, Json>, RegExp]>([
    [
      'two hidden layers of the most units',
      {
        layers: [
          { units: MAX_UNITS, activation: 'relu' },
          { units: MAX_UNITS, activation: 'relu' },
          { units: 10, activation: 'softmax' },
        ],
      },
      /units|memory/i,
    ],
    [
      'a batch of 2^31 images',
      {
        batchSize: 2 ** 31,
        layers: [
          { units: 64, activation: 'relu' },
          { units: 10, activation: 'softmax' },
        ],
        trainSamples: 2000,
      },
      /batchSize|memory/i,
    ],
  ])(`%s: refused naming the field, or trained within ${MEMORY_MB} MB and 60 s`, async (title, fields, names) => {
    const file = write(`${title.replace(/\W+/g, '-')}.dnn.json`, configText({ ...BASE, ...fields }));
    const run = await runCliChild(['train', file, '--data', SHARED_MNIST, '--epochs', '1'], {
      timeoutMs: 60_000,
      cwd: workDir,
      measureRss: true,
    });
    const problems = crashSigns(run);
    if (run.code !== 0 && !(run.code === 1 && names.test(run.stderr)))
      problems.push({
        kind: 'other',
        text: `exit ${run.code ?? run.signal} without naming ${names}: ${JSON.stringify(run.stderr.slice(0, 200))}`,
      });
    if (run.maxRssMb !== undefined && run.maxRssMb > MEMORY_MB)
      problems.push({ kind: 'other', text: `peak memory ${run.maxRssMb.toFixed(0)} MB > ${MEMORY_MB} MB` });
    console.log(
      `fault harness [cli-configs]: ${title}: exit ${run.code ?? run.signal} in ${(run.ms / 1000).toFixed(1)} s, peak ${run.maxRssMb?.toFixed(0) ?? '?'} MB`,
    );
    expect(tally.record(`memory: ${title}`, problems)).toEqual([]);
  });
});

describe('training that diverges without a NaN', () => {
  const small = { batchSize: 50, epochs: 2, trainSamples: 3000, testSamples: 500 };
  it.each<[string, Record<string, Json>, RegExp]>([
    // Every relu unit dies after the first steps: delta^1 is 0 from then on and the loss stays near 14, finite.
    [
      'relu killed by sgd learningRate 1000',
      {
        layers: [
          { units: 64, activation: 'relu' },
          { units: 10, activation: 'softmax' },
        ],
        optimizer: { type: 'sgd', learningRate: 1000 },
      },
      /learningRate/,
    ],
    // z^1 around 1e11 saturates everything from the first pass: the loss sits at its clamp and nothing learns.
    [
      'randomNormal stddev 1e10',
      {
        layers: [
          { units: 64, activation: 'relu' },
          { units: 10, activation: 'softmax' },
        ],
        kernelInitializer: { type: 'randomNormal', stddev: 1e10 },
      },
      /kernelInitializer|stddev/,
    ],
    // The control: weights overflow to Infinity, which DNN Lab has always caught.
    [
      'sigmoid with sgd learningRate 50 on meanSquaredError',
      {
        layers: [
          { units: 64, activation: 'sigmoid' },
          { units: 10, activation: 'linear' },
        ],
        loss: 'meanSquaredError',
        optimizer: { type: 'sgd', learningRate: 50 },
      },
      /learningRate/,
    ],
  ])('%s: exit 1 with advice naming the field', async (title, fields, names) => {
    const file = write(`diverge-${title.replace(/\W+/g, '-')}.dnn.json`, configText({ ...BASE, ...small, ...fields }));
    const run = await runCliChild(['train', file, '--data', SHARED_MNIST], { timeoutMs: 60_000, cwd: workDir });
    const problems = crashSigns(run);
    if (run.code !== 1)
      problems.push({
        kind: 'other',
        text: `exit ${run.code ?? run.signal}: trained to the end as if it learned (${run.stdout.trim().split('\n').at(-2)?.slice(0, 120)})`,
      });
    else if (!names.test(run.stderr))
      problems.push({
        kind: 'other',
        text: `the message does not name ${names}: ${JSON.stringify(run.stderr.slice(-240))}`,
      });
    expect(tally.record(`divergence: ${title}`, problems)).toEqual([]);
  });
});

describe(`bad configs through dnn-lab grade (seed ${SEED})`, () => {
  const graded = sample.slice(0, 10);
  it.each(graded.map((c, i) => [`${String(i).padStart(2, '0')} ${c.category}: ${c.name}`, c, i] as const))(
    '%s',
    async (title, c, i) => {
      const file = write(`grade-${String(i).padStart(2, '0')}.dnn.json`, c.text);
      const out = (mode: string) => join(workDir, `grade-${String(i).padStart(2, '0')}-${mode}.json`);
      const args = (mode: string) => [
        'grade',
        file,
        '--problem',
        'corelab-1',
        '--data',
        SHARED_MNIST,
        '--out',
        out(mode),
      ];
      const [text, json] = await Promise.all([cli(args('text')), cli([...args('json'), '--json'])]);
      const lengths = lineLengths(c.text);
      const problems = [...crashSigns(text), ...crashSigns(json).map((p) => ({ ...p, text: `--json: ${p.text}` }))];
      for (const [mode, run] of [
        ['text', text],
        ['--json', json],
      ] as const)
        if (run.code !== 1) problems.push({ kind: 'other', text: `${mode}: exit ${run.code ?? run.signal}, not 1` });
      const errorLines = text.stdout.split('\n').filter((l) => l.startsWith(`${file}:`) && / error: /.test(l));
      if (errorLines.length === 0)
        problems.push({
          kind: 'noPosition',
          text: `no "${file}:line:col: error:" line: ${JSON.stringify(text.stdout.slice(0, 200))}`,
        });
      const misplaced = errorLines.find((l) => {
        const m = /^[^:]+:(\d+):(\d+): error: /.exec(l);
        return !m || !inFile(lengths, Number(m[1]), Number(m[2]));
      });
      if (misplaced)
        problems.push({ kind: 'noPosition', text: `not a position in the file: ${misplaced.slice(0, 160)}` });
      const bad = badJsonLines(json.stdout);
      if (bad.length)
        problems.push({ kind: 'other', text: `--json: ${bad.length} lines are not JSON, e.g. ${bad[0]}` });
      const requirements = json.stdout.split('\n').flatMap((l) => {
        try {
          const event = JSON.parse(l) as { event?: string; errors?: { line: number; column: number }[] };
          return event.event === 'requirements' ? [event] : [];
        } catch {
          return []; // counted by badJsonLines
        }
      });
      const located = requirements.flatMap((r) => r.errors ?? []);
      if (located.length === 0)
        problems.push({
          kind: 'noPosition',
          text: `--json: no requirements event with errors: ${JSON.stringify(json.stdout.slice(0, 200))}`,
        });
      else if (located.some((e) => !inFile(lengths, e.line, e.column)))
        problems.push({
          kind: 'noPosition',
          text: `--json: an error outside the file: ${JSON.stringify(located.find((e) => !inFile(lengths, e.line, e.column)))}`,
        });
      for (const mode of ['text', 'json']) {
        try {
          const results = JSON.parse(readFileSync(out(mode), 'utf8')) as { score?: unknown; tests?: unknown[] };
          if (results.score !== 0 || !Array.isArray(results.tests) || results.tests.length === 0)
            problems.push({
              kind: 'other',
              text: `${mode}: results.json scores ${String(results.score)} with ${results.tests?.length ?? 'no'} tests`,
            });
        } catch (err) {
          problems.push({
            kind: 'other',
            text: `${mode}: no readable results.json: ${(err as Error).message.slice(0, 120)}`,
          });
        }
      }
      expect(tally.record(`grade ${title}`, problems)).toEqual([]);
    },
  );
});

describe('config paths that are not a config file', () => {
  const made = (name: string, make: (path: string) => void) => () => {
    const path = join(workDir, name);
    make(path);
    return name;
  };
  it.each<[string, () => string]>([
    ['a FIFO no one writes', made('fifo.dnn.json', (p) => execFileSync('mkfifo', [p]))],
    ['a folder', made('folder.dnn.json', (p) => mkdirSync(p))],
    ['a symlink to /dev/zero', made('zero.dnn.json', (p) => symlinkSync('/dev/zero', p))],
    ['a symlink to itself', made('loop.dnn.json', (p) => symlinkSync(p, p))],
    ['a dangling symlink', made('dangling.dnn.json', (p) => symlinkSync(join(workDir, 'gone'), p))],
    ['missing', () => 'missing.dnn.json'],
    ['80 MB of base64', made('huge.dnn.json', (p) => writeFileSync(p, Buffer.alloc(80 << 20, 'QUJD')))],
    ['empty', made('empty.dnn.json', (p) => writeFileSync(p, ''))],
  ])('%s: exit 1 within 10 s naming the file, in bounded memory', async (title, make) => {
    const file = make();
    const run = await runCliChild(['train', file, '--data', SHARED_MNIST], {
      timeoutMs: 10_000,
      cwd: workDir,
      measureRss: true,
    });
    const problems = crashSigns(run);
    if (!run.timedOut && run.code !== 1)
      problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}, not 1` });
    if (!run.timedOut && !run.stderr.includes(file))
      problems.push({
        kind: 'other',
        text: `the message does not name ${file}: ${JSON.stringify(run.stderr.slice(0, 200))}`,
      });
    if (run.maxRssMb !== undefined && run.maxRssMb > 500)
      problems.push({ kind: 'other', text: `peak memory ${run.maxRssMb.toFixed(0)} MB > 500 MB` });
    expect(tally.record(`config path: ${title}`, problems)).toEqual([]);
  });
});

describe('grade --out where results.json cannot be written', () => {
  const bad = () => write('grade-out.dnn.json', configText({ ...BASE, epochs: 0 }));
  const at = (name: string, make?: (path: string) => void) => () => {
    const path = join(workDir, name);
    make?.(path);
    return path;
  };
  it.each<[string, () => string]>([
    ['a folder', at('out-folder', (p) => mkdirSync(p))],
    ['a FIFO no one reads', at('out.fifo', (p) => execFileSync('mkfifo', [p]))],
    ['in a folder that does not exist', at('no-such-folder/results.json')],
    ['below a file (ENOTDIR)', at('out-file/results.json', (p) => writeFileSync(join(p, '..'), 'a file'))],
    ['/dev/full (ENOSPC)', () => '/dev/full'],
  ])('%s: exit 1 within 10 s naming the path', async (title, out) => {
    const path = out();
    const run = await cli(['grade', bad(), '--problem', 'corelab-1', '--data', SHARED_MNIST, '--out', path], {
      timeoutMs: 10_000,
    });
    const problems = crashSigns(run);
    if (!run.timedOut && run.code !== 1 && run.code !== 2)
      problems.push({ kind: 'other', text: `exit ${run.code ?? run.signal}` });
    // The CLI may name the path as given or relative to where it runs.
    const named = [path, relative(workDir, path)].some((p) => `${run.stdout}${run.stderr}`.includes(p));
    if (!run.timedOut && !named)
      problems.push({ kind: 'other', text: `no message names ${path}: ${JSON.stringify(run.stderr.slice(-200))}` });
    expect(tally.record(`grade --out ${title}`, problems)).toEqual([]);
  });
});

describe('hostile run records through dnn-lab export and verify', () => {
  const special: [string, (path: string) => void][] = [
    ['a FIFO no one writes', (p) => execFileSync('mkfifo', [p])],
    ['a symlink to /dev/zero', (p) => symlinkSync('/dev/zero', p)],
    ['a folder', (p) => mkdirSync(p)],
    ['a 200 MB record', (p) => writeFileSync(p, `{"format":1,"id":"big","name":"${'n'.repeat(200 << 20)}"}`)],
  ];
  /** The page's cases as files; a record whose config verify may retrain gets a small one, so that takes seconds. */
  const asFile = (value: unknown) => (p: string) => {
    const config = (value as { config?: unknown } | null)?.config;
    const small =
      config && typeof config === 'object'
        ? { ...(value as object), config: { ...config, trainSamples: 500, testSamples: 200 } }
        : value;
    writeFileSync(p, JSON.stringify(small) ?? '');
  };
  const cases: [string, (path: string) => void][] = [
    ...PAGE_CASES.map((c): [string, (path: string) => void] => [c.name, asFile(c.value())]),
    ...special,
  ];
  it.each(cases.map(([name, make], i) => [`${String(i).padStart(2, '0')} ${name}`, make, i] as const))(
    '%s',
    async (title, make, i) => {
      const file = `record-${String(i).padStart(2, '0')}.json`;
      make(join(workDir, file));
      const runs = await Promise.all([
        cli(['export', file, '--format', 'csv'], { timeoutMs: 10_000, measureRss: true }),
        cli(['verify', file, '--data', SHARED_MNIST], { timeoutMs: 15_000, measureRss: true }),
      ]);
      const problems: Problem[] = [];
      runs.forEach((run, k) => {
        const command = k === 0 ? 'export' : 'verify';
        problems.push(...crashSigns(run).map((p) => ({ ...p, text: `${command}: ${p.text}` })));
        if (run.timedOut) return;
        // export and verify read only the fields they need: a record they can use is fine, one they cannot is refused by name.
        if (run.code !== 0 && run.code !== 1 && run.code !== 2)
          problems.push({ kind: 'other', text: `${command}: exit ${run.code ?? run.signal}` });
        const refused = run.code !== 0 && !/Not verified|do not match/.test(run.stdout);
        if (refused && !run.stderr.includes(file))
          problems.push({
            kind: 'other',
            text: `${command}: the message does not name ${file}: ${JSON.stringify(run.stderr.slice(0, 160))}`,
          });
        if (run.maxRssMb !== undefined && run.maxRssMb > 600)
          problems.push({ kind: 'other', text: `${command}: peak memory ${run.maxRssMb.toFixed(0)} MB > 600 MB` });
      });
      expect(tally.record(`record ${title}`, problems)).toEqual([]);
    },
  );
});
