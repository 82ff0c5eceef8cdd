/**
 * The sweep's comparison table against VS Code's rule for virtual documents: a content provider's change to a
 * document the extension host does not hold yet is dropped (extHostDocumentContentProviders ignores it). A Markdown
 * preview asks for the text first and the document reaches the extension host later; the sweep here trains real
 * runs on MNIST and ends in between, as a quick sweep did in the labs e2e test, whose table then stayed at
 * "running". The fake below is VS Code's side only: the SweepRunner, the config parser, the sweep's expansion,
 * the training and the table are the real ones.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { chooseKernels } from '../../src/engine/kernels/backend';
import { train } from '../../src/engine/train/trainer';
// Imported after vi.mock('vscode') below, which vitest hoists above every import.
import { SweepRunner } from '../../src/labs/sweepRunner';
import { sharedMnist } from '../support/mnist';

interface FakeUri {
  scheme: string;
  path: string;
  fsPath: string;
  toString(): string;
}

// The parts of the vscode module the SweepRunner (and its table) use.
const vscodeFake = vi.hoisted(() => {
  class EventEmitter<T> {
    private listeners: ((value: T) => void)[] = [];
    event = (listener: (value: T) => void) => {
      this.listeners.push(listener);
      return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
    };
    fire(value: T): void {
      for (const l of [...this.listeners]) l(value);
    }
    dispose(): void {
      this.listeners = [];
    }
  }
  const uri = (scheme: string, path: string): FakeUri => ({
    scheme,
    path,
    fsPath: path,
    toString: () => `${scheme}:${path}`,
  });
  interface Provider {
    provideTextDocumentContent(u: FakeUri): string;
    onDidChange?: (listener: (u: FakeUri) => void) => { dispose(): void };
  }
  const providers = new Map<string, Provider>();
  const opened = new EventEmitter<{ uri: FakeUri }>();
  /** Documents as the workbench shows them (its text models), and those the extension host holds. */
  const models = new Map<string, string>();
  const held = new Set<string>();
  /**
   * What "markdown.showPreviewToSide" does: the text is asked for now; the document reaches the extension host
   * later, when the test calls the arrival kept here (so the race is the same on a fast machine and a slow one).
   */
  const previewArrivals: (() => void)[] = [];
  const showPreview = (u: FakeUri) => {
    models.set(u.toString(), providers.get(u.scheme)!.provideTextDocumentContent(u));
    previewArrivals.push(() => {
      held.add(u.toString());
      opened.fire({ uri: u });
    });
  };
  return {
    EventEmitter,
    uri,
    models,
    previewArrivals,
    module: {
      EventEmitter,
      Uri: { from: ({ scheme, path }: { scheme: string; path: string }) => uri(scheme, path) },
      TabInputCustom: class {},
      TabInputWebview: class {},
      l10n: { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i) => String(args[i])) },
      window: { tabGroups: { all: [] } },
      commands: {
        executeCommand: async (command: string, u: FakeUri) => {
          if (command === 'markdown.showPreviewToSide') showPreview(u);
        },
      },
      workspace: {
        onDidOpenTextDocument: opened.event,
        registerTextDocumentContentProvider: (scheme: string, provider: Provider) => {
          providers.set(scheme, provider);
          const sub = provider.onDidChange?.((u) => {
            // VS Code's rule: a change to a document the extension host does not hold is ignored.
            if (held.has(u.toString())) models.set(u.toString(), provider.provideTextDocumentContent(u));
          });
          return { dispose: () => sub?.dispose() };
        },
      },
    },
  };
});

vi.mock('vscode', () => vscodeFake.module);


const SWEEP = `{
  "name": "Unit sweep",
  "layers": [{ "units": 16, "activation": "sigmoid" }, { "units": 10, "activation": "softmax" }],
  "epochs": 1, "trainSamples": 300, "testSamples": 200,
  "sweep": { "kernelInitializer": ["zeros", "glorotUniform"] }
}`;

/** The training session's side: each run trains for real on MNIST and tells its start and epochs. */
function session() {
  const started = new vscodeFake.EventEmitter<unknown>();
  const epochs = new vscodeFake.EventEmitter<{ run: { documentUri: FakeUri }; metrics: unknown }>();
  return {
    onDidStartRun: started.event,
    onDidEndEpoch: epochs.event,
    async runDocument(document: { uri: FakeUri; getText(): string }, options?: { overrides?: object }) {
      const config = { ...parseLabConfig(document.getText()).config!, ...options?.overrides };
      const run = { documentUri: document.uri, config };
      started.fire({ run });
      const { kernels } = await chooseKernels('wasm');
      const result = await train({
        config,
        data: await sharedMnist(),
        kernels,
        onEpochEnd: (metrics) => epochs.fire({ run, metrics }),
      });
      return { status: result.status, run, result };
    },
  };
}

const log = { info: () => {}, warn: () => {} };
afterEach(() => vscodeFake.models.clear());

describe('SweepRunner: the comparison table in a preview opened while the sweep runs', () => {
  it('shows every run completed when the sweep ended before the preview’s document reached the host', async () => {
    const runner = new SweepRunner(session() as never, log as never);
    const document = { uri: vscodeFake.uri('file', '/w/sweep.dnn.json'), getText: () => SWEEP };
    await runner.run(document as never);
    // The sweep is over before the preview's document arrives (the race of the labs e2e test).
    expect(vscodeFake.previewArrivals).toHaveLength(1);
    const table = 'dnnlab-comparison:/sweep-comparison.md';
    expect(vscodeFake.models.get(table)).toMatch(/kernelInitializer=zeros \| running/);
    expect(vscodeFake.models.get(table)).toMatch(/kernelInitializer=glorotUniform \| waiting/);
    vscodeFake.previewArrivals[0]();
    await new Promise((resolve) => setTimeout(resolve, 0));

    const shown = vscodeFake.models.get(table);
    expect(shown).toMatch(/kernelInitializer=zeros \| completed \| \d+\.\d\d%/);
    expect(shown).toMatch(/kernelInitializer=glorotUniform \| completed \| \d+\.\d\d%/);
    expect(shown).not.toContain('running');
    runner.dispose();
  });
});
