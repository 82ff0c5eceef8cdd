// Where one epoch's time goes: the trainer runs in this thread on kernels wrapped so that every call is
// timed (exclusive of the calls it makes itself), grouped into phases. Used by `npm run bench` (BENCH_PROFILE=1).
// The host loop, the time outside every kernel call, is broken down further by V8's sampling profiler
// (node:inspector in this thread): which of the trainer's functions the samples outside kernel calls fell in.
import { Session, type Profiler } from 'node:inspector';
import type { LabConfig } from '../src/engine/config/labConfig';
import type { MnistData } from '../src/engine/data';
import type { Kernels } from '../src/engine/kernels/kernels';
import { createWasmKernels, type WasmKernels } from '../src/engine/kernels/wasm/wasmKernels';
import { train } from '../src/engine/train/trainer';

/** Seconds spent per phase in one epoch, and the epoch's wall time. */
export interface EpochProfile {
  seconds: number;
  phases: Map<string, { seconds: number; calls: number }>;
  /** The host loop's seconds by what the sampling profiler found running (HOST_PARTS), largest first. */
  hostParts: [string, number][];
  /** Multiply-adds the epoch's products performed (zeros of sparse operands skipped), and what dense ones would do. */
  multiplyAdds: number;
  denseMultiplyAdds: number;
  /** Seconds of the epoch inside products (GEMM or sparse, their fused passes included). */
  productSeconds: number;
}

/** The phase a kernel call belongs to; products are named by their shape, the operands as stored. */
function phaseOf(method: string, args: unknown[], k: WasmKernels): string {
  const shape = (m: unknown) => `${k.rows(m as never)}x${k.cols(m as never)}`;
  switch (method) {
    case 'product': {
      // Every product (matMul's, and a fused layer step's) comes through here; with an epilogue (args[5]) the
      // threads that split it also ran the layer's element-wise pass on their blocks.
      const [a, b, ta, tb, , epilogue] = args as [unknown, unknown, boolean, boolean, unknown, number?];
      const fused = epilogue ? ' (+ its fused pass, when threaded)' : '';
      return `product ${shape(a)}${ta ? 'ᵀ' : ''} · ${shape(b)}${tb ? 'ᵀ' : ''}${fused}`;
    }
    case 'weightGradient': {
      // ∂C/∂W = δᵀ·a/batch: a sparse product scaled as it is transposed into place; a dense one is timed as a product.
      const [delta, a] = args;
      return `product ${shape(delta)}ᵀ · ${shape(a)}, scaled (weightGradient)`;
    }
    case 'activate':
    case 'activationDerivative':
      return `${method} ${String(args[0])}`;
    case 'layerForward':
      return `fused bias + ${String(args[0])} (layerForward)`;
    case 'layerBackward':
      return `fused ${String(args[0])}' ⊙ (layerBackward)`;
    case 'adamSteps':
      return 'optimizer (adamSteps, every tensor in one pass)';
    case 'sumSquares':
      return 'statistics (sumSquares)';
    case 'fromBytes':
      return 'transfer (fromBytes: / 255, and the pixels compressed on the way)';
    case 'fromArray':
    case 'toArray':
      return `transfer (${method})`;
    default:
      return `element-wise ${method}`;
  }
}

/** Methods that are plumbing, not phases: called through unprofiled. */
const UNTIMED = new Set([
  'scope',
  'rows',
  'cols',
  'make',
  'activationCode',
  'binary',
  'withScalar',
  'unary',
  'epilogue',
  // matMul only checks shapes and calls product, which is timed.
  'matMul',
]);

/** The name the sampling profiler sees for a timed kernel call: samples under it are kernel time, not host loop. */
const TIMED_CALL = 'timedKernelCall';

/**
 * The kernels with every call timed into `phases`, exclusive of the kernel calls it makes itself (a fused
 * layer's product is counted as a product, the rest as the fused pass); sparse compression is split out.
 */
function profiled(k: WasmKernels, phases: EpochProfile['phases']): Kernels {
  const children: number[] = []; // per open call, the seconds its nested calls took
  const proxy: WasmKernels = new Proxy(k, {
    get(target, property) {
      const value = Reflect.get(target, property, proxy) as unknown;
      if (typeof value !== 'function' || UNTIMED.has(String(property))) {
        return typeof value === 'function' ? (value as () => unknown).bind(proxy) : value;
      }
      const method = String(property);
      return function timedKernelCall(...args: unknown[]) {
        const phase = phaseOf(method, args, target);
        const compressBefore = target.sparseCompressSeconds;
        children.push(0);
        const start = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(proxy, args);
        } finally {
          const seconds = (performance.now() - start) / 1000;
          const nested = children.pop() ?? 0;
          if (children.length > 0) children[children.length - 1] += seconds;
          const compress = target.sparseCompressSeconds - compressBefore;
          add(phases, phase, seconds - nested - compress);
          if (compress > 0) add(phases, 'sparse compression', compress, 0);
        }
      };
    },
  });
  return proxy as unknown as Kernels;
}

function add(phases: EpochProfile['phases'], phase: string, seconds: number, calls = 1): void {
  const entry = phases.get(phase) ?? { seconds: 0, calls: 0 };
  entry.seconds += seconds;
  entry.calls += calls;
  phases.set(phase, entry);
}

/**
 * The host loop's parts: a sample outside kernel calls counts for the first of these functions on its stack,
 * from the innermost out (the engine's function names, as esbuild keeps them).
 */
const HOST_PARTS: [string, string[]][] = [
  ['garbage collection', ['(garbage collector)']],
  ['output layer: softmax, loss, δ^L (float64)', ['outputLayer']],
  ['batch copy and shuffle (fillPixels, shuffleInto)', ['fillPixels', 'shuffleInto', 'scalePixels']],
  ['messages (structured clone of batch figures)', ['structuredClone']],
  ['test-set evaluation outside the kernels', ['evaluate']],
  ['layer figures, dead-unit watch, divergence checks', ['layerFigures', 'afterStep', 'optimizerStep']],
  ['optimizer bookkeeping (slots, scopes)', ['step']],
  ['forward/backward bookkeeping (model/network.ts)', ['forward', 'backward', 'computeGradients']],
  ['trainer loop (trainStep, train)', ['trainStep', 'train']],
];

/**
 * The host loop's `seconds` shared out as the samples outside kernel calls fell, by HOST_PARTS (the rest as
 * "other"): the parts add up to the host loop, the sampling only says how it divides.
 */
function hostBreakdown(profile: Profiler.Profile, hostSeconds: number): [string, number][] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const partOf = new Map<number, string | null>(); // node id -> its part, or null inside a kernel call
  const classify = (id: number): string | null => {
    const known = partOf.get(id);
    if (known !== undefined) return known;
    let part: string | null = 'other (JavaScript outside the kernels)';
    let found = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)?.callFrame;
      const name = frame?.functionName ?? '';
      // Wasm is kernel time wherever it shows: V8 may inline the wrapper, leaving no TIMED_CALL frame above it.
      if (name === TIMED_CALL || name.startsWith('wasm-function') || frame?.url.startsWith('wasm://')) {
        part = null;
        break;
      }
      if (!found) {
        const hit = HOST_PARTS.find(([, names]) => names.includes(name));
        if (hit) {
          part = hit[0];
          found = true;
        }
      }
      if (name === '(idle)' || name === '(program)') part = found ? part : 'idle, or V8 outside JavaScript';
    }
    partOf.set(id, part);
    return part;
  };
  const seconds = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const part = classify(samples[i]);
    if (part !== null) seconds.set(part, (seconds.get(part) ?? 0) + (deltas[i] ?? 0) / 1e6);
  }
  seconds.delete('messages (structured clone of batch figures)'); // timed on its own
  const sampled = [...seconds.values()].reduce((sum, value) => sum + value, 0);
  return [...seconds.entries()]
    .map(([part, value]): [string, number] => [part, sampled > 0 ? (hostSeconds * value) / sampled : 0])
    .sort((a, b) => b[1] - a[1]);
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** One epoch of `config` on our kernels with `threads` threads, every kernel call timed; the rest is the host loop. */
export async function profileEpoch(config: LabConfig, data: MnistData, threads: number): Promise<EpochProfile> {
  const k = await createWasmKernels({ threads });
  const phases: EpochProfile['phases'] = new Map();
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 250 });
    let messages = 0;
    await post(session, 'Profiler.start');
    const started = performance.now();
    await train({
      config: { ...config, epochs: 1 },
      data,
      kernels: profiled(k, phases),
      // What the training worker does with every batch's figures: a structured clone to the host.
      onBatchEnd: (metrics) => {
        const start = performance.now();
        structuredClone(metrics);
        messages += performance.now() - start;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
    add(phases, 'messages (structured clone of batch figures)', messages / 1000);
    const kernelSeconds = [...phases.values()].reduce((sum, p) => sum + p.seconds, 0);
    const hostSeconds = seconds - kernelSeconds;
    phases.set('host loop (trainer, output layer, loss, data)', { seconds: hostSeconds, calls: 0 });
    const hostParts = hostBreakdown(profile, hostSeconds);
    const { multiplyAdds, denseMultiplyAdds } = k.productCounts;
    const productSeconds = [...phases.entries()]
      .filter(([phase]) => phase.startsWith('product '))
      .reduce((sum, [, p]) => sum + p.seconds, 0);
    return { seconds, phases, hostParts, multiplyAdds, denseMultiplyAdds, productSeconds };
  } finally {
    session.disconnect();
    await k.close();
  }
}

/** The profile as lines, largest phase first, the host loop's parts indented under it. */
export function formatProfile(label: string, profile: EpochProfile): string[] {
  const lines = [`Profile, ${label}: ${profile.seconds.toFixed(2)} s in this thread, kernel calls timed`];
  const sorted = [...profile.phases.entries()].sort((a, b) => b[1].seconds - a[1].seconds);
  const line = (share: number, seconds: number, calls: string, phase: string) =>
    `  ${share.toFixed(1).padStart(5)}%  ${(seconds * 1000).toFixed(0).padStart(6)} ms  ${calls}  ${phase}`;
  for (const [phase, { seconds, calls }] of sorted) {
    if (seconds < 0.0005 * profile.seconds) continue;
    const count = calls > 0 ? `${String(calls).padStart(6)} calls` : ''.padStart(12);
    lines.push(line((100 * seconds) / profile.seconds, seconds, count, phase));
    if (!phase.startsWith('host loop')) continue;
    // The host loop as the samples divide it.
    for (const [part, partSeconds] of profile.hostParts) {
      if (partSeconds < 0.0005 * profile.seconds) continue;
      lines.push(line((100 * partSeconds) / profile.seconds, partSeconds, ''.padStart(12), `  of which ${part}`));
    }
  }
  return lines;
}
