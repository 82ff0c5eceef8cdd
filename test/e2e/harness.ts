/**
 * End-to-end harness: a real VS Code (code-server, installed by scripts/e2e/install.sh) with one
 * packaged extension, driven through Debian's Chromium by playwright-core. See test/e2e/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { startIsolatingProxy, type IsolatingProxy } from './isolatingProxy.js';

/** Options of {@link startVsCode}. */
export interface VsCodeOptions {
  /** Folder opened as the workspace; must exist. */
  workspace: string;
  /** The extension under test, as a `.vsix` made by `vsce package`. */
  vsixPath: string;
  /** Colour theme: Default Light Modern, Dark Modern, High Contrast or High Contrast Light. Default 'light'. */
  theme?: keyof typeof THEMES;
  /** Extra user settings, merged over the harness's clean-screen settings. */
  settings?: Record<string, unknown>;
  /** Names the log file written on close (test-results/e2e/<label>.log). Default: workspace folder name + theme. */
  label?: string;
  /** Browser viewport. Default 1280x800. */
  viewport?: { width: number; height: number };
  /** 'untrusted' opens the workspace in Restricted Mode (trust on, never asked); default: trust off, as a trusted folder. */
  workspaceTrust?: 'off' | 'untrusted';
  /**
   * VS Code's display language (code-server's --locale), e.g. 'zh-tw': vscode.env.language and so the extension's
   * l10n and pages follow it. No language pack is installed (no network), so VS Code's own words stay English.
   */
  locale?: string;
  /**
   * Open the window through {@link startIsolatingProxy}, which adds COOP and COEP to every response as vscode.dev does
   * with `?vscode-coi`: the window and its web-worker extension host are then cross-origin isolated
   * (SharedArrayBuffer). Default false, as code-server and github.dev serve it.
   */
  crossOriginIsolated?: boolean;
}

/** A running VS Code with the extension installed and the workspace open. */
export interface VsCode {
  /** The workbench page, for anything the helpers below don't cover. */
  page: Page;
  /** Runs a command by its palette title ("Hello Panel" or "Category: Hello Panel"), retrying while the extension host starts. */
  runCommand(title: string, options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Shows the output channel `name` in the Output view, retrying while it is not listed yet: the list is read when
   * the pick opens, and an extension makes its channel only once it has activated (seconds, in a web worker).
   */
  showOutputChannel(name: string, options?: { timeoutMs?: number }): Promise<void>;
  /** The inner frame of the visible webview (strict: fails if two webviews are visible). */
  webview(): FrameLocator;
  /** Opens a workspace file in an editor by its path relative to the workspace; resolves when its tab is active. */
  openFile(relPath: string): Promise<void>;
  /** Saves a PNG of the whole window to test-results/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** The harness's steps with times, code-server's output, VS Code's server-side logs (extension host and output channels included) and the browser console. Still readable after close(). */
  logs(): string;
  /** Closes the browser, kills code-server's process group, deletes the temp folder; writes logs() to test-results/e2e/<label>.log. Idempotent. */
  close(): Promise<void>;
}

/**
 * Registers an afterEach that saves a screenshot of the window when a test failed, as
 * test-results/e2e/FAILED-<name>-<start of the test's name>.png; `vscode` is read when the test has run.
 */
export function screenshotOnFailure(vscode: () => VsCode | undefined, name: string): void {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const test = ctx.task.name.slice(0, 40).replace(/[^\p{L}\p{N}]+/gu, '-');
    await vscode()
      ?.screenshot(`FAILED-${name}-${test}`)
      .catch(() => undefined);
  });
}

/**
 * Waits until the training panel `page` shows its run ended, then expects it completed with no error shown: a failed
 * run fails the test with the panel's error box as the message, so the log says what went wrong, not only "failed".
 */
export async function expectRunCompleted(page: FrameLocator, timeoutMs = 150_000): Promise<void> {
  const status = page.locator('.run-status');
  await expect
    .poll(() => status.getAttribute('data-status'), { timeout: timeoutMs, interval: 500 })
    .toMatch(/completed|failed/);
  const errorBox = page.locator('.error-box');
  expect(await errorBox.isHidden(), (await errorBox.textContent()) ?? '').toBe(true);
  expect(await status.getAttribute('data-status')).toBe('completed');
}

/**
 * Replaces every `find` with `replace` in `editor` (an `.editor-instance`, or a group holding one) through VS Code's
 * Find/Replace widget, as a student edits: the text changes as typed text does, so DNN Lab sees each change.
 */
export async function replaceAllInEditor(page: Page, editor: Locator, find: string, replace: string): Promise<void> {
  await editor.locator('.view-lines').first().click();
  await page.keyboard.press('Control+H');
  await page.locator('.find-widget .find-part textarea, .find-widget .find-part input').first().fill(find);
  const replaceInput = page.locator('.find-widget .replace-part textarea, .find-widget .replace-part input').first();
  await replaceInput.fill(replace);
  await replaceInput.press('Control+Alt+Enter');
  await page.keyboard.press('Escape');
}

/** Where scripts/e2e/install.sh put Node 24, code-server and Chromium. */
interface InstalledPaths {
  node: string;
  codeServer: string;
  chromium: string;
}

/** Workspace Trust on, the folder opened untrusted without asking: Restricted Mode from the start. */
const RESTRICTED_MODE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
};

/** Settings that keep the screen free of welcome pages, trust prompts, AI panels and update checks. */
const CLEAN_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
};

const THEMES = {
  light: 'Default Light Modern',
  dark: 'Default Dark Modern',
  hc: 'Default High Contrast',
  hcLight: 'Default High Contrast Light',
} as const;

/** Flags without which Chromium keeps trying to reach Google's hosts on a closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The themes a multi-theme test runs in: all of `themes`, or only the first where DNN_LAB_E2E_ONE_THEME=1 (CI, to
 * keep the suite's time in check; the first is the theme each file's single-theme cases use). The accessibility
 * test does not use this: it always runs in the four themes.
 */
export function e2eThemes<T extends string>(themes: readonly T[]): T[] {
  return process.env.DNN_LAB_E2E_ONE_THEME === '1' ? themes.slice(0, 1) : [...themes];
}

/** Folder for screenshots and logs; the repo's test-results/e2e unless DNN_LAB_E2E_RESULTS says otherwise. */
export const RESULTS_DIR = process.env.DNN_LAB_E2E_RESULTS ?? path.resolve(__dirname, '../../test-results/e2e');

/** The packaged extension the tests install: $DNN_LAB_VSIX, else this repository's dist/dnn-lab.vsix (`npm run package`). */
export const VSIX = process.env.DNN_LAB_VSIX ?? path.resolve(__dirname, '../../dist/dnn-lab.vsix');

/** The shared MNIST copy beside the repository (../shared/datasets/mnist); tests never download it. */
export const SHARED_MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');

/** Options of {@link smallLab}: what the e2e files' small labs differ in. */
export interface SmallLabOptions {
  /** The config's `"name"`, which the panel and the run files show. */
  name: string;
  epochs: number;
  trainSamples: number;
  /** Default 1000. */
  testSamples?: number;
  /** Units of the hidden relu layers, before the 10-unit softmax. Default [64, 32]. */
  hidden?: readonly number[];
  /** Default 3. */
  seed?: number;
  /** A `//` comment written as the first line inside the object (lab files are JSON with comments). */
  comment?: string;
}

/**
 * A small lab config: relu hidden layers and a softmax output, heNormal, Adam 0.005, batch 100, on a subset of
 * MNIST; a few seconds per epoch on the wasm backend at 3,000 images.
 */
export function smallLab(options: SmallLabOptions): string {
  const layers = [...(options.hidden ?? [64, 32]).map((units) => [units, 'relu'] as const), [10, 'softmax'] as const];
  return `{
${options.comment === undefined ? '' : `  // ${options.comment}\n`}  "name": ${JSON.stringify(options.name)},
  "dataset": "mnist",
  "layers": [
${layers.map(([units, activation]) => `    { "units": ${units}, "activation": "${activation}" }`).join(',\n')}
  ],
  "kernelInitializer": "heNormal",
  "optimizer": { "type": "adam", "learningRate": 0.005 },
  "batchSize": 100,
  "epochs": ${options.epochs},
  "trainSamples": ${options.trainSamples},
  "testSamples": ${options.testSamples ?? 1000},
  "seed": ${options.seed ?? 3}
}
`;
}

/** A config with one mistake on line 4 (`"units": 10.9`), for the error paths. */
export const BAD_LAB = `{
  "name": "Bad lab",
  "layers": [
    { "units": 10.9, "activation": "relu" },
    { "units": 10, "activation": "softmax" }
  ]
}
`;

/** The cache folder of scripts/e2e/install.sh. */
export const CACHE_DIR = process.env.DNN_LAB_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'dnn-lab-e2e');

/** Reads $CACHE_DIR/paths.json; throws with the fix if the install script has not run. */
export function installedPaths(): InstalledPaths {
  const file = path.join(CACHE_DIR, 'paths.json');
  let paths: InstalledPaths;
  try {
    paths = JSON.parse(fs.readFileSync(file, 'utf8')) as InstalledPaths;
  } catch {
    throw new Error(`e2e: ${file} not found; run \`bash scripts/e2e/install.sh\` first`);
  }
  for (const key of ['node', 'codeServer', 'chromium'] as const) {
    if (typeof paths[key] !== 'string' || !fs.existsSync(paths[key])) {
      throw new Error(
        `e2e: ${file}: ${key} is ${JSON.stringify(paths[key])}, which does not exist; run \`bash scripts/e2e/install.sh\``,
      );
    }
  }
  return paths;
}

/** Process groups and temp folders still alive; removed if the test process exits or is interrupted without close(). */
const liveGroups = new Set<number>();
const liveRoots = new Set<string>();
function emergencyCleanup(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
  for (const root of liveRoots) fs.rmSync(root, { recursive: true, force: true });
  liveRoots.clear();
}
process.on('exit', emergencyCleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = (): void => {
    emergencyCleanup();
    // Listening for a signal cancels its default action: if no one else (Playwright, the runner) handles it, die as it asked.
    if (process.listenerCount(signal) === 1) {
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  process.on(signal, onSignal);
}

/**
 * Runs a command as the leader of a new process group that dies with the test process: if the test
 * process is killed outright (SIGKILL, OOM) and no handler runs, the loop notices within a second and
 * kills the group (code-server, its extension host, its pty host). Exits with the command's status.
 */
const WATCHDOG = `
parent=$1; shift
"$@" & child=$!
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
kill -0 "$child" 2>/dev/null && kill -KILL 0
wait "$child"`;

const TEMP_PREFIX = 'dnn-lab-e2e-';

/** Deletes temp folders left by test processes that were killed outright (each records its owner's pid). */
function sweepStaleRoots(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const root = path.join(os.tmpdir(), name);
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(root, 'owner.pid'), 'utf8'));
    } catch {
      continue; // Not ours, or still being created.
    }
    if (Number.isInteger(owner) && !isAlive(owner)) fs.rmSync(root, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Records a harness step with the time since start, for logs(). */
type Trace = (message: string) => void;

/** Resolves when `check` returns a value other than undefined, polling; rejects with `what` after `timeoutMs`. */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`e2e: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Environment for code-server: its own XDG folders and TMPDIR, and nothing that would make it talk to another VS Code. */
function isolatedEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // VSCODE_IPC_HOOK_CLI and friends (tests started from a VS Code terminal) turn the CLI into a remote control;
    // NODE_OPTIONS from the test runner is not meant for Node 24; DNN_LAB_DATA (set by CI for packaging) would
    // hide where the extension itself finds MNIST: tests that want the shared copy name it in settings.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS' || key === 'DNN_LAB_DATA')
      continue;
    env[key] = value;
  }
  for (const [key, dir] of [
    ['XDG_CONFIG_HOME', 'xdg-config'],
    ['XDG_DATA_HOME', 'xdg-data'],
    ['XDG_CACHE_HOME', 'xdg-cache'],
    ['TMPDIR', 'tmp'],
  ] as const) {
    env[key] = path.join(root, dir);
    fs.mkdirSync(env[key], { recursive: true });
  }
  return env;
}

/** Runs code-server's CLI to completion; rejects with its output when it fails. */
function runCli(paths: InstalledPaths, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(paths.node, [paths.codeServer, '--config', '/dev/null', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`e2e: code-server ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/** All *.log files under `dir`, each under a header, oldest folders first. */
function readLogTree(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log')) {
        const text = fs.readFileSync(full, 'utf8');
        if (text.trim()) parts.push(`----- ${path.relative(dir, full)}\n${text}`);
      }
    }
  };
  walk(dir);
  return parts.join('\n');
}

/**
 * Installs the extension into a fresh VS Code, starts it with the workspace open, and resolves once the
 * workbench shows the workspace. Always pair with `close()` (in `afterEach`/`afterAll`): on failure here,
 * everything started so far is cleaned up before the error (with the logs' tail) is thrown.
 */
export async function startVsCode(options: VsCodeOptions): Promise<VsCode> {
  const paths = installedPaths();
  const workspace = path.resolve(options.workspace);
  const vsixPath = path.resolve(options.vsixPath);
  if (!fs.statSync(workspace).isDirectory()) throw new Error(`e2e: workspace ${workspace} is not a folder`);
  if (!fs.existsSync(vsixPath)) throw new Error(`e2e: vsix ${vsixPath} not found`);
  const theme = options.theme ?? 'light';
  const untrusted = options.workspaceTrust === 'untrusted';
  const label = (options.label ?? `${path.basename(workspace)}-${theme}`).replace(/[^\w.-]+/g, '_');

  sweepStaleRoots();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  fs.writeFileSync(path.join(root, 'owner.pid'), String(process.pid));
  liveRoots.add(root);
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const env = isolatedEnv(root);

  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let proxy: IsolatingProxy | undefined;
  let serverOutput = '';
  const browserLog: string[] = [];
  const t0 = Date.now();
  const steps: string[] = [];
  const trace: Trace = (message) => steps.push(`[+${((Date.now() - t0) / 1000).toFixed(1)} s] ${message}`);
  let closed = false;
  let finalLogs: string | undefined;

  const logs = (): string =>
    finalLogs ??
    [
      `===== harness steps\n${steps.join('\n')}`,
      `===== code-server output\n${serverOutput}`,
      `===== VS Code logs (${path.join(userDataDir, 'logs')})\n${readLogTree(path.join(userDataDir, 'logs'))}`,
      `===== browser console\n${browserLog.join('\n')}`,
    ].join('\n\n');

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    // Logs first: the temp folder holding the extension host log goes below.
    finalLogs = logs();
    try {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, `${label}.log`), finalLogs);
    } catch {
      // Diagnostics must never mask the test's own result.
    }
    await context?.close().catch(() => undefined);
    await proxy?.close();
    if (server?.pid !== undefined) {
      const pid = server.pid;
      const exited =
        server.exitCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => server!.once('exit', () => resolve()));
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // The extension host and pty host can outlive the leader for a moment.
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    }
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    liveRoots.delete(root);
  };

  try {
    trace(`installing ${vsixPath}`);
    await runCli(
      paths,
      ['--install-extension', vsixPath, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
      env,
    );

    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify(
        {
          ...CLEAN_SETTINGS,
          ...(untrusted ? RESTRICTED_MODE_SETTINGS : {}),
          'workbench.colorTheme': THEMES[theme],
          ...options.settings,
        },
        null,
        2,
      ),
    );

    if (options.locale && !options.locale.startsWith('en')) {
      // What an installed language pack leaves in the user data folder, with no translations: VS Code then takes
      // the locale as its language (it falls back to English without one) and shows its own messages in English.
      const translations = path.join(userDataDir, 'e2e-language-pack.i18n.json');
      fs.writeFileSync(translations, JSON.stringify({ contents: {} }));
      fs.writeFileSync(
        path.join(userDataDir, 'languagepacks.json'),
        JSON.stringify({
          [options.locale]: {
            hash: 'e2e',
            label: options.locale,
            extensions: [{ extensionIdentifier: { id: 'e2e.language-pack' }, version: '1.0.0' }],
            translations: { vscode: translations },
          },
        }),
      );
    }
    trace('starting code-server');
    // Port 0: code-server takes a free port and prints it, so two runs can never race for one.
    server = spawn(
      '/bin/sh',
      [
        '-c',
        WATCHDOG,
        'e2e-watchdog',
        String(process.pid),
        paths.node,
        paths.codeServer,
        '--config',
        '/dev/null',
        '--bind-addr',
        '127.0.0.1:0',
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(untrusted ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--ignore-last-opened',
        ...(options.locale ? ['--locale', options.locale] : []),
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        workspace,
      ],
      // Its own process group, so close() can kill the extension host and the pty host with it.
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const pid = server.pid;
    if (pid === undefined) throw new Error(`e2e: could not start ${paths.node}`);
    liveGroups.add(pid);
    server.stdout!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));

    const started = server;
    const baseUrl = await waitFor('code-server to listen', 60_000, () => {
      if (started.exitCode !== null) throw new Error(`e2e: code-server exited with ${started.exitCode}`);
      return /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serverOutput)?.[1];
    });
    await waitFor(`${baseUrl}/healthz`, 30_000, async () => {
      const response = await fetch(`${baseUrl}/healthz`).catch(() => undefined);
      return response?.ok ? true : undefined;
    });

    trace(`code-server healthy at ${baseUrl}; launching Chromium`);
    context = await chromium.launchPersistentContext(path.join(root, 'chromium'), {
      executablePath: paths.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: theme === 'light' || theme === 'hcLight' ? 'light' : 'dark',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => browserLog.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.message}`));
    if (options.crossOriginIsolated) {
      proxy = await startIsolatingProxy(baseUrl);
      trace(`cross-origin isolating proxy at ${proxy.url}`);
    }
    await page.goto(`${proxy?.url ?? baseUrl}/?folder=${encodeURIComponent(workspace)}`);
    trace('page loaded; waiting for the workbench');

    // Ready: the workbench is laid out and the explorer lists the workspace (or, for an empty one, exists).
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const explorer =
      fs.readdirSync(workspace).length > 0 ? '.explorer-folders-view .monaco-list-row' : '.explorer-folders-view';
    await page.locator(explorer).first().waitFor({ timeout: 60_000 });
    trace('workbench ready');

    const vscode: VsCode = {
      page,
      runCommand: (title, runOptions) => runCommand(page, trace, title, runOptions?.timeoutMs ?? 60_000),
      showOutputChannel: (name, channelOptions) =>
        showOutputChannel(page, trace, name, channelOptions?.timeoutMs ?? 60_000),
      webview: () => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame'),
      openFile: (relPath) => openFile(page, trace, relPath),
      screenshot: async (name) => {
        const file = path.join(RESULTS_DIR, `${name}.png`);
        fs.mkdirSync(RESULTS_DIR, { recursive: true });
        await page.screenshot({ path: file });
        trace(`screenshot ${file}`);
        return file;
      },
      logs,
      close,
    };
    return vscode;
  } catch (error) {
    trace(`failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    const tail = logs().split('\n').slice(-60).join('\n');
    await close();
    if (error instanceof Error) {
      error.message += `\n\ne2e: last lines of the logs (all in ${path.join(RESULTS_DIR, `${label}.log`)}):\n${tail}`;
    }
    throw error;
  }
}

/** Options of {@link startWorkspace}: a temp workspace's files and settings, and {@link startVsCode}'s options. */
export interface WorkspaceOptions extends Omit<VsCodeOptions, 'workspace' | 'vsixPath'> {
  /** Start of the temp folder's name (under the OS temp folder). */
  prefix: string;
  /** Files to write, by path relative to the workspace. */
  files?: Record<string, string>;
  /**
   * Name {@link SHARED_MNIST} as `dnnLab.dataFolder` in the workspace's settings: code-server is a remote window,
   * where the machine-overridable setting is not read from the user settings. Default false (the packaged MNIST).
   */
  sharedMnist?: boolean;
  /** More workspace settings (.vscode/settings.json), merged over the data folder. */
  workspaceSettings?: Record<string, unknown>;
  /** Default {@link VSIX}. */
  vsixPath?: string;
}

/**
 * Makes a temp workspace with `files` (and the shared MNIST in its settings when asked) and starts VS Code on it.
 * On a loaded two-core machine the first page load can exceed the harness's limits, so a failed start is retried
 * once. Pair with `vscode.close()`.
 */
export async function startWorkspace(options: WorkspaceOptions): Promise<{ vscode: VsCode; workspace: string }> {
  const { prefix, files = {}, sharedMnist = false, workspaceSettings = {}, vsixPath = VSIX, ...rest } = options;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const settings = { ...(sharedMnist ? { 'dnnLab.dataFolder': SHARED_MNIST } : {}), ...workspaceSettings };
  if (Object.keys(settings).length > 0) {
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings));
  }
  for (const [relPath, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, relPath)), { recursive: true });
    fs.writeFileSync(path.join(workspace, relPath), text);
  }
  const vsCodeOptions: VsCodeOptions = { ...rest, workspace, vsixPath };
  const vscode = await startVsCode(vsCodeOptions).catch((err: unknown) => {
    console.warn(`[${rest.label ?? prefix}] VS Code did not start (${String(err).split('\n')[0]}); retrying once`);
    return startVsCode(vsCodeOptions);
  });
  return { vscode, workspace };
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/**
 * Waits until the command palette is gone: the widget hid, or a command's own quick pick took its place
 * in the same widget (the input no longer starts with '>'), which can happen before a hidden state shows.
 */
async function paletteGone(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await page.locator(QUICK_INPUT).isVisible())) return;
    const value = await page
      .locator(QUICK_INPUT_BOX)
      .inputValue({ timeout: 1_000 })
      .catch(() => '');
    if (!value.startsWith('>')) return;
    if (Date.now() > deadline) throw new Error(`e2e: the command palette was still open after ${timeoutMs} ms`);
    // A poll interval: the widget gives no event for "now showing another pick".
    await page.waitForTimeout(100);
  }
}

/** Opens the command palette and runs `title`; the palette lists commands as of when it opens, so reopen until it is there. */
async function runCommand(page: Page, trace: Trace, title: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, 'F1');
    await page.locator(QUICK_INPUT_BOX).fill(`>${title}`);
    if (await pickRow(page, (label) => label === title || label.endsWith(`: ${title}`))) {
      await paletteGone(page);
      trace(`ran command "${title}" (attempt ${attempt})`);
      return;
    }
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    if (Date.now() > deadline) {
      trace(`command "${title}" never listed`);
      throw new Error(`e2e: command "${title}" not in the command palette after ${attempt} tries in ${timeoutMs} ms`);
    }
    trace(`command "${title}" not listed yet (attempt ${attempt}); the extension host may still be starting`);
    // A poll interval, not a guess: nothing in the page says when the extension host has registered its commands.
    await page.waitForTimeout(1_000);
  }
}

/** See {@link VsCode.showOutputChannel}. */
async function showOutputChannel(page: Page, trace: Trace, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, trace, 'Output: Show Output Channels...', timeoutMs);
    await page.locator(QUICK_INPUT_BOX).fill(name);
    if (await pickRow(page, (label) => label === name)) {
      await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
      trace(`showed output channel "${name}" (attempt ${attempt})`);
      return;
    }
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    if (Date.now() > deadline) throw new Error(`e2e: output channel "${name}" not listed after ${attempt} tries`);
    trace(`output channel "${name}" not listed yet (attempt ${attempt}); the extension may still be activating`);
    // A poll interval: nothing in the page says when an extension has made its channel.
    await page.waitForTimeout(1_000);
  }
}

/** Opens the quick-open box and picks the workspace file `relPath`, then waits for its editor tab. */
async function openFile(page: Page, trace: Trace, relPath: string): Promise<void> {
  const normalized = relPath.replace(/\\/g, '/');
  const base = path.posix.basename(normalized);
  const dir = path.posix.dirname(normalized);
  // A row's aria-label is "<name>, <folder>" ("a.txt, src") or, at the workspace root, "<name>".
  const matches = (_label: string, aria: string): boolean =>
    aria === base || (aria.startsWith(`${base}, `) && (dir === '.' || aria.includes(dir)));
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, 'Control+P');
    await page.locator(QUICK_INPUT_BOX).fill(normalized);
    // The first file search of a session can take seconds; closing the box early would start it over.
    if (await pickRow(page, matches, 30_000)) {
      await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
      break;
    }
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    if (Date.now() > deadline) throw new Error(`e2e: "${relPath}" not found by quick open after ${attempt} tries`);
    trace(`"${relPath}" not in quick open yet (attempt ${attempt})`);
    await page.waitForTimeout(1_000);
  }
  await page.locator(`.tabs-container .tab.active[aria-label^="${base}"]`).waitFor();
  trace(`opened ${relPath}`);
}

/** Focuses the workbench (keys typed into a webview or nowhere are lost) and opens the quick input with `key`. */
async function openQuickInput(page: Page, key: string): Promise<void> {
  // The middle of the status bar: items sit at its ends, and a click there changes nothing else.
  const statusBar = page.locator('.monaco-workbench .part.statusbar');
  const box = await statusBar.boundingBox();
  await statusBar.click({ position: box ? { x: box.width / 2, y: box.height / 2 } : undefined });
  await page.keyboard.press(key);
  await page.locator(QUICK_INPUT_BOX).waitFor();
}

/**
 * Clicks the first quick-input row matching `match`, found by its aria-label: the list can re-render
 * between reading and clicking (quick open's file results replace a first guess), so an index may point
 * at a row that is gone. False when no row matched or the row vanished before the click.
 */
async function pickRow(
  page: Page,
  match: (label: string, aria: string) => boolean,
  timeoutMs?: number,
): Promise<boolean> {
  const aria = await findRow(page, match, timeoutMs);
  if (aria === undefined) return false;
  const row = page
    .locator(QUICK_INPUT_ROWS)
    .and(page.locator(`[aria-label=${JSON.stringify(aria)}]`))
    .first();
  return row.click({ timeout: 5_000 }).then(
    () => true,
    () => false,
  );
}

/**
 * The aria-label of the first quick-input row matching `match(label, ariaLabel)`. Undefined once the
 * list has settled without one: a "No matching ..." row, or the same non-empty rows for half a second (an empty
 * list is still loading), or after `timeoutMs`.
 */
async function findRow(
  page: Page,
  match: (label: string, aria: string) => boolean,
  timeoutMs = 5_000,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  let stableSince = Date.now();
  for (;;) {
    const rows = await page
      .locator(QUICK_INPUT_ROWS)
      .evaluateAll((elements) =>
        elements.map((e) => ({
          label: (e.querySelector('.label-name')?.textContent ?? e.textContent ?? '').trim(),
          aria: e.getAttribute('aria-label') ?? '',
        })),
      )
      .catch(() => []);
    const found = rows.find((r) => match(r.label, r.aria));
    if (found !== undefined) return found.aria;
    if (rows.some((r) => /^No matching/.test(r.label))) return undefined;
    const current = JSON.stringify(rows);
    if (current !== previous) {
      previous = current;
      stableSince = Date.now();
    } else if (rows.length > 0 && Date.now() - stableSince > 500) {
      return undefined;
    }
    if (Date.now() > deadline) return undefined;
    await page.waitForTimeout(100);
  }
}
