#!/usr/bin/env node
// The repeated Ctrl-C trial: trains Corelab 1 with `dnn-lab train` under load, sends SIGINT after a random
// delay, and counts the runs that do not exit within a bound as hangs (they are then killed). Every run
// must exit 130 (or, for a signal that lands before the CLI installed its handler, die of SIGINT).
//
//   node scripts/faults/sigint-trial.mjs [--runs 500] [--parallel 2] [--load 2] [--bound 20]
//        [--min-delay 100] [--max-delay 4000] [--threads 2] [--node PATH] [--cli bin/dnn-lab.js]
//        [--config labs/corelab-1/reference.dnn.json] [--data ../shared/datasets/mnist] [--seed 1] [--report]
//        [--after-data]
//
// --load starts that many busy-loop processes (default: one per core) so that the training threads are
// descheduled at random points, which is when races between them show. --report starts each run with
// --report-on-signal and asks a hung run for a diagnostic report (its threads' JavaScript stacks) before
// killing it. --after-data counts the delay from the moment training starts (the CLI's "Data:" line)
// instead of from the start of the process, so that every signal lands in training. Prints one line per
// run that went wrong, then the counts as a JSON line on stdout.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const defaults = {
  runs: 500,
  parallel: 2,
  load: availableParallelism(),
  bound: 20,
  'min-delay': 100,
  'max-delay': 4000,
  threads: 2,
  node: process.execPath,
  cli: join(repo, 'bin/dnn-lab.js'),
  config: join(repo, 'labs/corelab-1/reference.dnn.json'),
  data: process.env.DNN_LAB_DATA ?? resolve(repo, '../shared/datasets/mnist'),
  seed: 1,
  report: false,
  'after-data': false,
};
const numeric = new Set(['runs', 'parallel', 'load', 'bound', 'min-delay', 'max-delay', 'threads', 'seed']);

function parseOptions(argv) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(name in defaults))
      fail(`unknown option ${argv[i]}; the options are --${Object.keys(defaults).join(', --')}`);
    if (typeof defaults[name] === 'boolean') {
      options[name] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) fail(`--${name} needs a value`);
    if (numeric.has(name)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got ${value}`);
      options[name] = n;
    } else {
      options[name] = resolve(value);
    }
  }
  if (options.parallel < 1) fail(`--parallel must be at least 1, got ${options.parallel}`);
  if (options['max-delay'] < options['min-delay'])
    fail(`--max-delay (${options['max-delay']}) must not be below --min-delay (${options['min-delay']})`);
  return options;
}

function fail(message) {
  process.stderr.write(`sigint-trial: ${message}\n`);
  process.exit(2);
}

/** mulberry32: the delays repeat with the seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One run: spawn, SIGINT after `delayMs`, and how it ended. */
function trialRun(options, delayMs, reportDir) {
  return new Promise((done) => {
    const nodeArgs = options.report
      ? ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${reportDir}`]
      : [];
    const args = [
      ...nodeArgs,
      options.cli,
      'train',
      options.config,
      '--data',
      options.data,
      '--threads',
      String(options.threads),
    ];
    const child = spawn(options.node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let training = false;
    let signal;
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => {
      output += chunk;
      const started = !training && (output.includes('\nData: ') || output.startsWith('Data: '));
      training ||= started;
      if (started && options['after-data']) signal = setTimeout(interrupt, delayMs);
    });
    let signalledAt = 0;
    let trainingAtSignal = false;
    let hung = false;
    const interrupt = () => {
      signalledAt = performance.now();
      trainingAtSignal = training;
      child.kill('SIGINT');
      deadline = setTimeout(() => {
        hung = true;
        if (options.report) {
          child.kill('SIGUSR2');
          setTimeout(() => child.kill('SIGKILL'), 3000);
        } else {
          child.kill('SIGKILL');
        }
      }, options.bound * 1000);
    };
    if (!options['after-data']) signal = setTimeout(interrupt, delayMs);
    let deadline;
    child.on('exit', (code, sig) => {
      clearTimeout(signal);
      clearTimeout(deadline);
      const exitMs = signalledAt ? performance.now() - signalledAt : undefined;
      done({ code, signal: sig, hung, delayMs, exitMs, trainingAtSignal, finishedFirst: !signalledAt, output });
    });
  });
}

function startLoad(n, node) {
  return Array.from({ length: n }, () => spawn(node, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const reportDir = mkdtempSync(join(tmpdir(), 'sigint-trial-'));
  const next = random(options.seed);
  const delays = Array.from({ length: options.runs }, () =>
    Math.round(options['min-delay'] + next() * (options['max-delay'] - options['min-delay'])),
  );
  const load = startLoad(options.load, options.node);
  const stopLoad = () => load.forEach((p) => p.kill('SIGKILL'));
  process.on('SIGINT', () => {
    stopLoad();
    process.exit(130);
  });
  const version = await new Promise((done) => {
    const p = spawn(options.node, ['--version']);
    let v = '';
    p.stdout.on('data', (c) => (v += c));
    p.on('exit', () => done(v.trim()));
  });
  process.stderr.write(
    `sigint-trial: ${options.runs} runs of ${options.cli} on node ${version}, ${options.parallel} at a time, ${options.load} busy-loop processes, SIGINT after ${options['min-delay']}-${options['max-delay']} ms, bound ${options.bound} s\n`,
  );

  const started = performance.now();
  const results = [];
  let index = 0;
  async function lane() {
    while (index < delays.length) {
      const i = index++;
      const result = await trialRun(options, delays[i], reportDir);
      results.push(result);
      const expected = result.code === 130 || (result.signal === 'SIGINT' && !result.trainingAtSignal);
      if (result.hung || (!expected && !result.finishedFirst)) {
        const tail = result.output.trim().split('\n').slice(-4).join(' | ');
        process.stderr.write(
          `run ${i + 1}: ${result.hung ? 'HUNG' : 'unexpected exit'} (code ${result.code}, signal ${result.signal}, SIGINT after ${result.delayMs} ms, training ${result.trainingAtSignal}): ${tail}\n`,
        );
      }
      if (results.length % 50 === 0)
        process.stderr.write(
          `sigint-trial: ${results.length}/${options.runs} runs, ${results.filter((r) => r.hung).length} hung, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
        );
    }
  }
  try {
    await Promise.all(Array.from({ length: options.parallel }, lane));
  } finally {
    stopLoad();
  }

  const exitCodes = {};
  for (const r of results) {
    const key = r.hung ? 'hung' : r.code !== null ? String(r.code) : `signal ${r.signal}`;
    exitCodes[key] = (exitCodes[key] ?? 0) + 1;
  }
  // Seconds from SIGINT to exit, for signals that reached training and for those that came during start-up.
  const exitTimes = (keep) => {
    const ms = results
      .filter((r) => !r.hung && r.exitMs !== undefined && keep(r))
      .map((r) => r.exitMs)
      .sort((a, b) => a - b);
    return {
      median: Math.round(percentile(ms, 0.5) ?? 0),
      p95: Math.round(percentile(ms, 0.95) ?? 0),
      max: Math.round(ms.at(-1) ?? 0),
    };
  };
  const reports = readdirSync(reportDir).filter((f) => f.endsWith('.json'));
  for (const file of reports.slice(0, 3)) {
    const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8'));
    const stacks = [report.javascriptStack, ...(report.workers ?? []).map((w) => w.javascriptStack)].map((s) =>
      s?.stack?.slice(0, 6).join(' < '),
    );
    process.stderr.write(`report ${file}:\n  ${stacks.join('\n  ')}\n`);
  }
  const summary = {
    node: version,
    cli: options.cli,
    runs: results.length,
    signalled: results.filter((r) => !r.finishedFirst).length,
    signalledWhileTraining: results.filter((r) => r.trainingAtSignal).length,
    finishedBeforeSignal: results.filter((r) => r.finishedFirst).length,
    hangs: results.filter((r) => r.hung).length,
    exitCodes,
    exitAfterSignalMs: {
      training: exitTimes((r) => r.trainingAtSignal),
      startUp: exitTimes((r) => !r.trainingAtSignal),
    },
    load: options.load,
    parallel: options.parallel,
    seconds: Math.round((performance.now() - started) / 1000),
    reportDir: reports.length > 0 ? reportDir : undefined,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = summary.hangs > 0 ? 1 : 0;
}

await main();
