// Where one epoch's time goes: the trainer runs in this thread on kernels wrapped so that every call is
// timed (exclusive of the calls it makes itself), grouped into phases. Used by `npm run bench` (BENCH_PROFILE=1).
import type { LabConfig } from '../src/engine/config/labConfig';
import type { MnistData } from '../src/engine/data';
import type { Kernels } from '../src/engine/kernels/kernels';
import { createWasmKernels, type WasmKernels } from '../src/engine/kernels/wasm/wasmKernels';
import { train } from '../src/engine/train/trainer';

/** Seconds spent per phase in one epoch, and the epoch's wall time. */
export interface EpochProfile {
  seconds: number;
  phases: Map<string, { seconds: number; calls: number }>;
}

/** The phase a kernel call belongs to; products are named by their shape, the operands as stored. */
function phaseOf(method: string, args: unknown[], k: WasmKernels): string {
  const shape = (m: unknown) => `${k.rows(m as never)}x${k.cols(m as never)}`;
  switch (method) {
    case 'matMul': {
      const [a, b, ta, tb] = args as [unknown, unknown, boolean?, boolean?];
      return `product ${shape(a)}${ta ? 'ᵀ' : ''} · ${shape(b)}${tb ? 'ᵀ' : ''}`;
    }
    case 'activate':
    case 'activationDerivative':
      return `${method} ${String(args[0])}`;
    case 'layerForward':
      return `fused bias + ${String(args[0])} (layerForward)`;
    case 'layerBackward':
      return `fused ${String(args[0])}' ⊙ (layerBackward)`;
    case 'adamStep':
      return 'optimizer (adamStep)';
    case 'sumSquares':
      return 'statistics (sumSquares)';
    case 'fromBytes':
    case 'fromArray':
    case 'toArray':
      return `transfer (${method})`;
    default:
      return `element-wise ${method}`;
  }
}

/** Methods that are plumbing, not phases: called through unprofiled. */
const UNTIMED = new Set(['scope', 'rows', 'cols', 'make', 'activationCode', 'binary', 'withScalar', 'unary']);

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
      return (...args: unknown[]) => {
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

/** One epoch of `config` on our kernels with `threads` threads, every kernel call timed; the rest is the host loop. */
export async function profileEpoch(config: LabConfig, data: MnistData, threads: number): Promise<EpochProfile> {
  const k = await createWasmKernels({ threads });
  const phases: EpochProfile['phases'] = new Map();
  try {
    let messages = 0;
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
    add(phases, 'messages (structured clone of batch figures)', messages / 1000);
    const kernelSeconds = [...phases.values()].reduce((sum, p) => sum + p.seconds, 0);
    phases.set('host loop (trainer, output layer, loss, data)', { seconds: seconds - kernelSeconds, calls: 0 });
    return { seconds, phases };
  } finally {
    await k.close();
  }
}

/** The profile as lines, largest phase first. */
export function formatProfile(label: string, profile: EpochProfile): string[] {
  const lines = [`Profile, ${label}: ${profile.seconds.toFixed(2)} s in this thread, kernel calls timed`];
  const sorted = [...profile.phases.entries()].sort((a, b) => b[1].seconds - a[1].seconds);
  for (const [phase, { seconds, calls }] of sorted) {
    if (seconds < 0.0005 * profile.seconds) continue;
    const share = ((100 * seconds) / profile.seconds).toFixed(1).padStart(5);
    const count = calls > 0 ? `${String(calls).padStart(6)} calls` : ''.padStart(12);
    lines.push(`  ${share}%  ${(seconds * 1000).toFixed(0).padStart(6)} ms  ${count}  ${phase}`);
  }
  return lines;
}
