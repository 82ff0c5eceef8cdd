import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { MNIST_FILES } from '../engine/data/mnistFiles';
import { AutograderSpecError, defaultSpec, parseSeeds, type AutograderSpec } from '../engine/grading/autograderSpec';
import { isProblemId, PROBLEM_IDS, type ProblemId } from '../engine/grading/problems';
import { integerOption, optionValue, UsageError, type ParsedArgs } from './args';
import { shownPath, type CliIo } from './io';
import { zipArchive, type ZipEntry } from './zip';

/** The Node that setup.sh installs unless --node-tarball brings another: Node 24, VS Code's runtime. */
export const PINNED_NODE = '24.21.0';

/** Where the CLI's own files are: dist/ (this bundle, the worker, the wasm kernels) and the repo's scripts/autograder. */
const DIST = __dirname;
const ROOT = resolve(DIST, '..');

/**
 * What the graded CLI needs at run time with the dnn-wasm kernels, beside dist/: tfjs-core and its cpu backend are
 * loaded by the backend chooser (one bundled file each, plus seedrandom); tfjs-node and tfjs-wasm are never asked for.
 */
const RUNTIME_FILES = [
  'bin/dnn-lab.js',
  'dist/cli.js',
  'dist/worker.js',
  'dist/dnn-kernels-simd.wasm',
  'dist/dnn-kernels-relaxed-simd.wasm',
  'node_modules/@tensorflow/tfjs-core/package.json',
  'node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js',
  'node_modules/@tensorflow/tfjs-backend-cpu/package.json',
  'node_modules/@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.node.js',
  'node_modules/seedrandom/package.json',
  'node_modules/seedrandom/index.js',
  'node_modules/seedrandom/seedrandom.js',
  'node_modules/seedrandom/lib/alea.js',
  'node_modules/seedrandom/lib/tychei.js',
  'node_modules/seedrandom/lib/xor128.js',
  'node_modules/seedrandom/lib/xor4096.js',
  'node_modules/seedrandom/lib/xorshift7.js',
  'node_modules/seedrandom/lib/xorwow.js',
];

/**
 * `dnn-lab autograder <problem>... [--out FILE] [--format gradescope|github] [--data DIR] [--hidden-seeds 7,11]
 * [--require-record] [--node-tarball FILE --node-version V] [--node-sha256 HEX]`: writes a Gradescope autograder zip,
 * or a GitHub Actions workflow with the same grader in a folder beside it.
 */
export async function autograderCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const problems = args.positionals;
  if (problems.length === 0)
    throw new UsageError(
      `autograder needs the problems to grade, e.g. dnn-lab autograder corelab-1 (one of ${PROBLEM_IDS.join(', ')})`,
    );
  for (const p of problems)
    if (!isProblemId(p))
      throw new UsageError(`autograder: the problem must be one of ${PROBLEM_IDS.join(', ')}, got "${p}"`);
  const format = (args.options.get('format') as string | undefined) ?? 'gradescope';
  if (format !== 'gradescope' && format !== 'github')
    throw new UsageError(`--format must be gradescope or github, got ${format}`);
  let spec: AutograderSpec;
  try {
    spec = { ...defaultSpec(problems as ProblemId[]), requireRecord: args.options.has('require-record') };
    const seeds = args.options.get('hidden-seeds');
    if (typeof seeds === 'string') spec.hiddenSeeds = parseSeeds(seeds);
    const limit = optionValue(args, 'time-limit');
    if (limit !== undefined)
      spec.timeLimitSeconds = integerOption(
        'time-limit',
        limit,
        'a whole number of seconds under 600 (Gradescope stops at 10 minutes)',
        480,
      );
    if (spec.timeLimitSeconds < 1 || spec.timeLimitSeconds >= 600)
      throw new UsageError(
        `--time-limit must be from 1 to 599 seconds (Gradescope stops at 10 minutes), got ${spec.timeLimitSeconds}`,
      );
  } catch (err) {
    if (err instanceof AutograderSpecError) throw new UsageError(err.message);
    throw err;
  }
  const dataFlag = (args.options.get('data') as string | undefined) ?? process.env.DNN_LAB_DATA;
  if (!dataFlag)
    throw new UsageError(
      'autograder needs MNIST to put in the zip: pass --data DIR (the folder with the four .gz files) or set DNN_LAB_DATA',
    );
  const dataDir = resolve(io.cwd, dataFlag);

  const missing = RUNTIME_FILES.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length > 0) {
    io.stderr(
      `Error: the CLI's own files are missing (${missing.join(', ')}): run npm ci and node esbuild.mjs in DNN Lab's folder first.\n`,
    );
    return 1;
  }
  const mnist = await mnistEntries(dataDir, spec);
  if (typeof mnist === 'string') {
    io.stderr(`Error: ${mnist}\n`);
    return 1;
  }
  // GitHub's runner installs Node with actions/setup-node; only Gradescope's image needs setup.sh to.
  const node =
    format === 'github'
      ? {
          version: (args.options.get('node-version') as string | undefined) ?? PINNED_NODE,
          sha256: '',
          entry: undefined,
        }
      : await nodeChoice(args, io);
  if (typeof node === 'string') {
    io.stderr(`Error: ${node}\n`);
    return 1;
  }
  const template = async (name: string) => readFile(join(ROOT, 'scripts/autograder', name), 'utf8');
  const fill = (text: string, values: Record<string, string>) =>
    text.replace(/@@([A-Z0-9_]+)@@/g, (_, key: string) => {
      if (!(key in values)) throw new Error(`the template has @@${key}@@, which nothing fills`);
      return values[key];
    });
  const values = { NODE_VERSION: node.version, NODE_SHA256: node.sha256, NODE_TARBALL: node.entry?.name ?? '' };
  const entries: ZipEntry[] = [
    { name: 'setup.sh', data: Buffer.from(fill(await template('setup.sh'), values)), mode: 0o755 },
    { name: 'run_autograder', data: Buffer.from(await template('run_autograder')), mode: 0o755 },
    { name: 'autograder.json', data: Buffer.from(`${JSON.stringify(spec, null, 2)}\n`) },
    ...(await Promise.all(
      RUNTIME_FILES.map(async (f) => ({
        name: `dnn-lab/${f}`,
        data: await readFile(join(ROOT, f)),
        mode: f.startsWith('bin/') ? 0o755 : 0o644,
      })),
    )),
    ...mnist,
    ...(node.entry ? [node.entry] : []),
  ];

  if (format === 'github') {
    const out = resolve(io.cwd, (args.options.get('out') as string | undefined) ?? '.');
    const dir = '.dnn-lab-autograder';
    // setup.sh is Gradescope's image build; on GitHub, actions/setup-node installs Node and the step checks MNIST.
    for (const entry of entries.filter((e) => e.name !== 'setup.sh')) {
      const path = join(out, dir, entry.name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, entry.data, { mode: entry.mode ?? 0o644 });
    }
    const workflow = join(out, '.github/workflows/dnn-lab-autograder.yml');
    await mkdir(dirname(workflow), { recursive: true });
    await writeFile(workflow, fill(await template('github-workflow.yml'), { NODE_VERSION: node.version, DIR: dir }));
    io.stdout(
      `GitHub Actions workflow written to ${shownPath(io.cwd, workflow)}, its grader to ${shownPath(io.cwd, join(out, dir))}/: commit both.\n`,
    );
    return 0;
  }
  const out = resolve(io.cwd, (args.options.get('out') as string | undefined) ?? 'autograder.zip');
  const zip = zipArchive(entries);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, zip);
  io.stdout(
    `Gradescope autograder for ${problems.join(', ')} written to ${shownPath(io.cwd, out)} (${(zip.length / 1e6).toFixed(1)} MB): ` +
      `upload it as a zip file in the assignment's Configure Autograder page.\n`,
  );
  return 0;
}

/** The four MNIST files checked by SHA-256 and a SHA256SUMS for setup.sh; a string says which file is wrong. */
async function mnistEntries(dataDir: string, spec: AutograderSpec): Promise<ZipEntry[] | string> {
  const entries: ZipEntry[] = [];
  const sums: string[] = [];
  for (const file of MNIST_FILES) {
    const path = join(dataDir, file.name);
    const data = await readFile(path).catch(() => undefined);
    if (!data)
      return `${path} is missing: --data must name the folder of the four gzip MNIST files (${MNIST_FILES.map((f) => f.name).join(', ')})`;
    const sha = createHash('sha256').update(data).digest('hex');
    if (sha !== file.sha256) return `${path} has SHA-256 ${sha}, not MNIST's ${file.sha256}: download it again`;
    entries.push({ name: `${spec.mnist.folder}/${file.name}`, data });
    sums.push(`${sha}  ${file.name}`);
  }
  entries.push({ name: `${spec.mnist.folder}/SHA256SUMS`, data: Buffer.from(`${sums.join('\n')}\n`) });
  return entries;
}

/** The Node setup.sh installs: a bundled tarball (its SHA-256 taken here), or the pinned version with its SHA-256. */
async function nodeChoice(
  args: ParsedArgs,
  io: CliIo,
): Promise<{ version: string; sha256: string; entry?: ZipEntry } | string> {
  const tarball = args.options.get('node-tarball') as string | undefined;
  const version = (args.options.get('node-version') as string | undefined) ?? PINNED_NODE;
  if (!/^\d+\.\d+\.\d+$/.test(version))
    return `--node-version must be a version such as ${PINNED_NODE}, got ${version}`;
  if (tarball) {
    const path = resolve(io.cwd, tarball);
    const data = await readFile(path).catch(() => undefined);
    if (!data)
      return `--node-tarball ${tarball} cannot be read: name a Node tarball for Linux x64, e.g. node-v${PINNED_NODE}-linux-x64.tar.xz`;
    if (!/\.tar(\.(gz|xz))?$|\.tgz$/.test(path))
      return `--node-tarball must be a .tar.xz, .tar.gz or .tgz, got ${basename(path)}`;
    return {
      version,
      sha256: createHash('sha256').update(data).digest('hex'),
      entry: { name: `node/${basename(path)}`, data },
    };
  }
  const sha = args.options.get('node-sha256') as string | undefined;
  if (sha !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(sha)) return `--node-sha256 must be 64 hexadecimal digits, got ${sha}`;
    return { version, sha256: sha };
  }
  // The checksum is pinned now, on the instructor's machine, from nodejs.org's signed list; setup.sh checks the download against it.
  const url = `https://nodejs.org/dist/v${version}/SHASUMS256.txt`;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const line = (await response.text()).split('\n').find((l) => l.endsWith(`  node-v${version}-linux-x64.tar.xz`));
    if (!line) throw new Error(`it lists no node-v${version}-linux-x64.tar.xz`);
    return { version, sha256: line.split(' ')[0] };
  } catch (err) {
    return `cannot read ${url} to pin Node's SHA-256 (${(err as Error).message}): pass --node-tarball FILE to bundle Node, or --node-sha256 HEX`;
  }
}

/** Files of a submission folder, relative to it, skipping what a repository or editor keeps beside the work. */
export async function submissionFiles(root: string, exclude: readonly string[] = []): Promise<string[]> {
  const skip = new Set(['.git', 'node_modules', '__MACOSX', ...exclude]);
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8 || found.length > 2000) return;
    const names = (await readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of names) {
      const path = join(dir, entry.name);
      if (skip.has(entry.name) || skip.has(relative(root, path))) continue;
      const info = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : entry;
      if (info?.isDirectory()) await walk(path, depth + 1);
      else if (info?.isFile()) found.push(relative(root, path));
    }
  };
  await walk(root, 0);
  return found;
}
