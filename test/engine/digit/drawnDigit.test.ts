// "Your own digit": strokes made into MNIST's 28 × 28 the way MNIST was made, and put through a network trained on
// real MNIST with its weights kept as the training panel keeps them (TrainResult.weights, the .weights.bin sidecar).
import { beforeAll, describe, expect, it } from 'vitest';
import { probeDigit } from '../../../src/engine/digit/digitProbe';
import {
  drawnDigitPixels,
  mnistPixels,
  rasterizeStrokes,
  type Stroke,
  type StrokePoint,
} from '../../../src/engine/digit/drawnDigit';
import { chooseKernels } from '../../../src/engine/kernels/backend';
import { decodeWeights, encodeWeights } from '../../../src/engine/record/runWeights';
import type { LayerWeights } from '../../../src/engine/train/metrics';
import { train } from '../../../src/engine/train/trainer';
import { sharedMnist } from '../../support/mnist';
import { labConfig, layer, randomValues } from '../../support/nets';

const config = labConfig({
  layers: [layer(128, 'relu'), layer(64, 'relu'), layer(10, 'softmax')],
  optimizer: { type: 'adam', learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  batchSize: 64,
  epochs: 1,
});
config.layers.forEach((l) => (l.kernelInitializer = { type: 'heNormal' }));
let weights: LayerWeights[] = [];
let trainedAccuracy = 0;

beforeAll(async () => {
  // The extension's own kernels, as its runs train.
  const { kernels } = await chooseKernels('dnn-wasm');
  const result = await train({ config, data: await sharedMnist(), kernels, keepWeights: true });
  trainedAccuracy = result.epochs.at(-1)!.testAccuracy;
  // Through the sidecar's bytes, as the panel reads them after the worker has ended.
  const decoded = decodeWeights(encodeWeights(result.weights!), config, 784);
  if ('problem' in decoded) throw new Error(decoded.problem);
  weights = decoded.weights;
}, 300_000);

/** A polyline through `points` (0..1 units), sampled every 0.01 as a mouse would report it. */
function line(...points: [number, number][]): Stroke {
  const out: StrokePoint[] = [];
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1];
    const [bx, by] = points[i];
    const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 0.01));
    for (let s = i === 1 ? 0 : 1; s <= steps; s++)
      out.push({ x: ax + ((bx - ax) * s) / steps, y: ay + ((by - ay) * s) / steps });
  }
  return out;
}

/** An arc of the ellipse at (cx, cy) with radii (rx, ry), from angle `from` to `to` (radians, 0 = right, y down). */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number): Stroke {
  const steps = Math.ceil((Math.abs(to - from) * Math.max(rx, ry)) / 0.01);
  return Array.from({ length: steps + 1 }, (_, s) => {
    const t = from + ((to - from) * s) / steps;
    return { x: cx + rx * Math.cos(t), y: cy + ry * Math.sin(t) };
  });
}

// Digits as a student draws them on the panel's square: off-centre, in a corner, larger or smaller than MNIST's.
const DRAWN: [number, Stroke[]][] = [
  [0, [arc(0.4, 0.45, 0.18, 0.3, 0, 2 * Math.PI)]],
  [1, [line([0.62, 0.2], [0.6, 0.85])]],
  [
    2,
    [[...arc(0.5, 0.33, 0.2, 0.16, Math.PI * 1.05, Math.PI * 2.25), ...line([0.64, 0.48], [0.3, 0.82], [0.75, 0.82])]],
  ],
  [
    3,
    [arc(0.45, 0.3, 0.17, 0.14, Math.PI * 1.1, Math.PI * 2.5), arc(0.45, 0.6, 0.2, 0.16, Math.PI * 1.5, Math.PI * 2.9)],
  ],
  [4, [line([0.45, 0.15], [0.28, 0.55], [0.72, 0.55]), line([0.62, 0.3], [0.62, 0.9])]],
  [7, [line([0.25, 0.2], [0.75, 0.2], [0.45, 0.85])]],
];

describe('your own digit (strokes → MNIST 28 × 28 → the run’s network)', () => {
  it('trains a network that keeps its weights through the sidecar’s bytes', () => {
    expect(trainedAccuracy).toBeGreaterThan(0.95);
    expect(weights.map((l) => [l.units, l.fanIn])).toEqual([
      [128, 784],
      [64, 128],
      [10, 64],
    ]);
  });

  it('makes a drawn digit MNIST-shaped: ink fits 20 × 20, centre of mass at the centre, grey edges', () => {
    const pixels = drawnDigitPixels([line([0.1, 0.1], [0.3, 0.4])]); // a short stroke in the top-left corner
    const at = (x: number, y: number) => pixels[y * 28 + x];
    let mass = 0;
    let cx = 0;
    let cy = 0;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++)
        if (at(x, y) > 0) {
          mass += at(x, y);
          cx += at(x, y) * (x + 0.5);
          cy += at(x, y) * (y + 0.5);
          xs.push(x);
          ys.push(y);
        }
    expect(Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) + 1).toBeLessThanOrEqual(20);
    expect(Math.max(Math.max(...ys) - Math.min(...ys)) + 1).toBeGreaterThanOrEqual(19);
    expect(Math.abs(cx / mass - 14)).toBeLessThan(1);
    expect(Math.abs(cy / mass - 14)).toBeLessThan(1);
    const values = new Set(pixels);
    expect([...values].some((v) => v > 0 && v < 255)).toBe(true); // anti-aliased, not black and white
    expect(Math.max(...pixels)).toBe(255);
    expect(drawnDigitPixels([]).every((v) => v === 0)).toBe(true);
  });

  it.each(DRAWN.map(([digit, strokes]) => [digit, strokes] as const))('predicts a drawn %i', (digit, strokes) => {
    const probe = probeDigit(config, weights, drawnDigitPixels(strokes), digit);
    const top = probe.outputs.map((p, d) => `${d}: ${p.toFixed(2)}`).join(', ');
    expect(probe.predicted, top).toBe(digit);
    expect(probe.outputs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('predicts MNIST test images redrawn as pen dots within 5 points of the originals', async () => {
    const { test } = await sharedMnist();
    const n = 500;
    let original = 0;
    let redrawn = 0;
    for (let i = 0; i < n; i++) {
      const image = test.images.subarray(i * 784, (i + 1) * 784);
      const label = test.labels[i];
      // Every inked pixel a tap of the pen at that place on the drawing area, shifted off-centre as a student would.
      const dots: Stroke[] = [];
      for (let p = 0; p < 784; p++)
        if (image[p] > 127) dots.push([{ x: 0.1 + ((p % 28) + 0.5) / 40, y: 0.2 + (Math.floor(p / 28) + 0.5) / 40 }]);
      if (probeDigit(config, weights, image, label).predicted === label) original++;
      if (probeDigit(config, weights, mnistPixels(rasterizeStrokes(dots, 112, 0.015)), label).predicted === label)
        redrawn++;
    }
    console.log(`first ${n} test images: ${original} right as stored, ${redrawn} right redrawn and re-centred`);
    expect(redrawn / n).toBeGreaterThan(original / n - 0.05);
  });

  it('gives δ of every layer as ∂C/∂z^l: δ^L = y − target for softmax, and each δ^l matches finite differences', () => {
    const small = labConfig({ layers: [layer(5, 'tanh'), layer(4, 'sigmoid'), layer(3, 'softmax')] });
    const shapes = [
      [5, 6],
      [4, 5],
      [3, 4],
    ];
    const net: LayerWeights[] = shapes.map(([units, fanIn], i) => ({
      units,
      fanIn,
      W: Float32Array.from(randomValues(units * fanIn, 10 + i, 0.8)),
      b: Float32Array.from(randomValues(units, 20 + i, 0.3)),
    }));
    const pixels = [0, 51, 255, 128, 10, 200];
    const probe = probeDigit(small, net, pixels, 2);
    expect(probe.deltas.map((d) => d.length)).toEqual([5, 4, 3]);
    probe.deltas[2].forEach((d, j) => expect(d).toBeCloseTo(probe.outputs[j] - (j === 2 ? 1 : 0), 12));
    // ∂C/∂b^l_j = δ^l_j for one image: nudge each bias and watch the loss.
    const h = 1e-3;
    for (let l = 0; l < 3; l++)
      for (let j = 0; j < shapes[l][0]; j++) {
        const nudged = (by: number) => {
          const copy = net.map((w) => ({ ...w, b: Float32Array.from(w.b) }));
          copy[l].b[j] += by;
          return probeDigit(small, copy, pixels, 2).loss;
        };
        // The bias is float32, so the nudge itself is rounded: divide by the step actually taken.
        const up = Math.fround(net[l].b[j] + h) - net[l].b[j];
        const down = net[l].b[j] - Math.fround(net[l].b[j] - h);
        expect((nudged(h) - nudged(-h)) / (up + down)).toBeCloseTo(probe.deltas[l][j], 5);
      }
    expect(() => probeDigit(small, net, pixels, 3)).toThrow('target must be a whole number from 0 to 2, got 3');
    expect(() => probeDigit(small, net, [1, 2], 0)).toThrow(
      "the image has 2 pixels, but the network's first layer takes 6",
    );
  });
});
