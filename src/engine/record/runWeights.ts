// A run's final weights, kept beside its record as `.dnnlab/runs/<id>.weights.bin` so the training panel can put a
// digit the student draws through the run's own network after the worker has ended (also after a reload).
//
// The file, little-endian: "DNNW", format 1 (uint32), the number of layers L (uint32), then per layer its units and
// fan-in (uint32 each), then per layer W^l (units × fanIn float32, row-major) and b^l (units float32). Written through
// a temporary file and a rename like the record; read only as a regular file (never through a link), at most
// MAX_WEIGHTS_BYTES, and only when every size matches the record's config and every number is finite.
// Saved and read by the one run store (runFolderStore.ts: saveWeights, loadWeights), on disk and through
// vscode.workspace.fs alike.
import type { LabConfig } from '../config/labConfig';
import type { LayerWeights } from '../train/metrics';
import { isRunId } from './runRecord';

const MAGIC = 0x574e4e44; // "DNNW" read as a little-endian uint32
const FORMAT = 1;

/**
 * The largest weights file read or written: 16 M float32. Corelab 1's 784-128-64-10 network is 0.43 MB; the
 * config's own memory rule keeps any lab far below this.
 */
export const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;

/** The sidecar's name for run `id`. */
export function weightsFileName(id: string): string {
  return `${id}.weights.bin`;
}

/** The run id a sidecar's name holds, or undefined. */
export function runIdOfWeightsFile(name: string): string | undefined {
  const id = name.endsWith('.weights.bin') ? name.slice(0, -'.weights.bin'.length) : undefined;
  return isRunId(id) ? id : undefined;
}

/** The bytes of the sidecar for `weights`. */
export function encodeWeights(weights: readonly LayerWeights[]): Uint8Array {
  const header = 12 + 8 * weights.length;
  const floats = weights.reduce((n, l) => n + l.units * l.fanIn + l.units, 0);
  const bytes = header + 4 * floats;
  if (bytes > MAX_WEIGHTS_BYTES)
    throw new Error(`the weights take ${bytes} bytes, more than the ${MAX_WEIGHTS_BYTES} a weights file may`);
  const buffer = new ArrayBuffer(bytes);
  const view = new DataView(buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT, true);
  view.setUint32(8, weights.length, true);
  weights.forEach((l, i) => {
    if (l.W.length !== l.units * l.fanIn || l.b.length !== l.units)
      throw new Error(`layer ${i + 1}: W has ${l.W.length} numbers and b ${l.b.length}, for ${l.units} × ${l.fanIn}`);
    view.setUint32(12 + 8 * i, l.units, true);
    view.setUint32(16 + 8 * i, l.fanIn, true);
  });
  const out = new Float32Array(buffer, header, floats);
  let at = 0;
  for (const l of weights) {
    out.set(l.W, at);
    at += l.W.length;
    out.set(l.b, at);
    at += l.b.length;
  }
  return new Uint8Array(buffer);
}

/**
 * The weights in `bytes`, checked against `config` (layer count and units) and `inputs` (the first layer's fan-in),
 * or what is wrong with them, saying which number and what it should be.
 */
export function decodeWeights(
  bytes: Uint8Array,
  config: Pick<LabConfig, 'layers'>,
  inputs: number,
): { weights: LayerWeights[] } | { problem: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC)
    return { problem: 'not a DNN Lab weights file (it does not start with "DNNW")' };
  const format = view.getUint32(4, true);
  if (format !== FORMAT) return { problem: `weights format ${format}, but this DNN Lab reads format ${FORMAT}` };
  const layers = view.getUint32(8, true);
  if (layers !== config.layers.length)
    return { problem: `${layers} layer(s) of weights, but the run's config has ${config.layers.length}` };
  const header = 12 + 8 * layers;
  if (bytes.byteLength < header) return { problem: `cut short: ${bytes.byteLength} bytes, fewer than its header` };
  let fanIn = inputs;
  let floats = 0;
  const shapes: { units: number; fanIn: number }[] = [];
  for (let i = 0; i < layers; i++) {
    const units = view.getUint32(12 + 8 * i, true);
    const stored = view.getUint32(16 + 8 * i, true);
    if (units !== config.layers[i].units || stored !== fanIn)
      return {
        problem: `layer ${i + 1} is ${units} × ${stored}, but the run's config makes it ${config.layers[i].units} × ${fanIn}`,
      };
    shapes.push({ units, fanIn });
    floats += units * fanIn + units;
    fanIn = units;
  }
  if (bytes.byteLength !== header + 4 * floats)
    return { problem: `${bytes.byteLength} bytes, but these layers take exactly ${header + 4 * floats}` };
  // Copied out: the file's bytes need not sit on a 4-byte boundary, and a Node Buffer's slice() is a view, not a copy.
  const numbers = new Uint8Array(bytes.byteLength - header);
  numbers.set(bytes.subarray(header));
  const all = new Float32Array(numbers.buffer);
  const bad = all.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) return { problem: `number ${bad} of the weights is ${all[bad]}, not a finite number` };
  let at = 0;
  const weights = shapes.map(({ units, fanIn: n }) => {
    const W = all.subarray(at, at + units * n);
    at += units * n;
    const b = all.subarray(at, at + units);
    at += units;
    return { units, fanIn: n, W, b };
  });
  return { weights };
}
