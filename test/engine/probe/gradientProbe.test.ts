import { beforeAll, describe, expect, it } from 'vitest';
import type { Activation, InitializerName, LayerSpec } from '../../../src/engine/config/labConfig';
import type { BatchBuffers } from '../../../src/engine/data';
import { JsKernels } from '../../../src/engine/kernels/jsKernels';
import { chooseKernels } from '../../../src/engine/kernels/backend';
import { deadShare, probeGradients } from '../../../src/engine/probe/gradientProbe';
import { probeBatch } from '../../../src/engine/probe/probeBatch';
import { signalProblems } from '../../../src/engine/probe/signalHealth';
import { sharedMnist } from '../../support/mnist';
import { labConfig } from '../../support/nets';

const k = new JsKernels();
let batch: BatchBuffers;
beforeAll(async () => {
  // 64 images keep the float64 kernels fast; the extension probes 256.
  batch = probeBatch((await sharedMnist()).train, 64);
});

function deepNet(activation: Activation, initializer: InitializerName, hidden = 5, units = 64) {
  const layer = (u: number, a: Activation): LayerSpec => ({
    units: u,
    activation: a,
    kernelInitializer: { type: initializer },
    alpha: 0.3,
  });
  return labConfig({
    layers: [...Array.from({ length: hidden }, () => layer(units, activation)), layer(10, 'softmax')],
    seed: 3,
  });
}

describe('the gradient probe on real MNIST', () => {
  it('sees delta vanish through 5 sigmoid layers (glorotUniform): layer 1 below 1/100 of the output layer', () => {
    const { layers } = probeGradients(k, deepNet('sigmoid', 'glorotUniform'), batch);
    expect(layers).toHaveLength(6);
    expect(layers[0].deltaRms / layers[5].deltaRms).toBeLessThan(1e-2);
    // Each sigmoid layer multiplies delta by sigma' <= 1/4, so delta grows layer after layer towards the output.
    for (let l = 0; l < 4; l++) expect(layers[l].deltaRms).toBeLessThan(layers[l + 1].deltaRms);
    for (const layer of layers.slice(0, 5)) expect(layer.meanSigmaPrime).toBeLessThanOrEqual(0.25);
    expect(
      signalProblems(layers)
        .filter((p) => p.kind === 'vanishing')
        .map((p) => p.layer),
    ).toContain(1);
  });

  it('keeps delta within a factor of 10 of the output layer through 5 relu layers (heNormal), with no problems', () => {
    const { layers } = probeGradients(k, deepNet('relu', 'heNormal'), batch);
    for (const layer of layers) expect(layer.deltaRms / layers[5].deltaRms).toBeGreaterThan(0.1);
    expect(signalProblems(layers)).toEqual([]);
  });

  it('reports zero initial weights as dead: no signal reaches the hidden layers', () => {
    const { layers } = probeGradients(k, deepNet('relu', 'zeros', 2), batch);
    expect(layers[0].deltaRms).toBe(0);
    expect(layers[0].deadShare).toBe(1);
    expect(signalProblems(layers)).toContainEqual({ kind: 'deadUnits', layer: 1, share: 1 });
  });

  it('gives the numbers of the formula for one unit, which multiply back to its delta', () => {
    const { layers } = probeGradients(k, deepNet('tanh', 'glorotNormal', 3), batch);
    for (const layer of layers.slice(0, 3)) {
      const t = layer.trace;
      if (t?.kind !== 'hidden') throw new Error('expected a hidden trace');
      expect(t.sigmaPrime).toBeCloseTo(1 - Math.tanh(t.z) ** 2, 12);
      expect(t.sigmaPrime * t.backprop).toBeCloseTo(t.delta, 12);
    }
    const out = layers[3].trace;
    if (out?.kind !== 'output') throw new Error('expected an output trace');
    expect(out.delta).toBeCloseTo(out.y - out.target, 12); // softmax with cross-entropy
  });

  it('is deterministic: the same config twice gives the same numbers, another seed other ones', () => {
    const a = probeGradients(k, deepNet('relu', 'heNormal', 2), batch);
    const b = probeGradients(k, deepNet('relu', 'heNormal', 2), batch);
    const c = probeGradients(k, { ...deepNet('relu', 'heNormal', 2), seed: 4 }, batch);
    expect(b.layers.map((l) => l.deltaRms)).toEqual(a.layers.map((l) => l.deltaRms));
    expect(c.layers[0].deltaRms).not.toBe(a.layers[0].deltaRms);
  });

  it('agrees with tfjs (float32, cpu backend) within 1e-4 relative', async () => {
    const tf = (await chooseKernels('cpu')).kernels;
    const config = deepNet('sigmoid', 'glorotUniform', 3, 32);
    const exact = probeGradients(k, config, batch).layers;
    const float32 = probeGradients(tf, config, batch).layers;
    exact.forEach((layer, i) => {
      expect(Math.abs(float32[i].deltaRms - layer.deltaRms) / layer.deltaRms).toBeLessThan(1e-4);
      expect(Math.abs(float32[i].gradNorm - layer.gradNorm) / layer.gradNorm).toBeLessThan(1e-4);
    });
    expect(tf.liveMatrices()).toBe(0);
  });
});

describe('deadShare', () => {
  it.each([
    [[0, 1, 0, 2], 2, 0.5],
    [[0, 0, 0, 0], 2, 1],
    [[1, 2, 3, 4], 2, 0],
    [[0, 5, 0, 0, 0, 0], 2, 2 / 3],
  ])('of %j with %i rows is %d', (values, rows, share) => {
    expect(deadShare(values, rows)).toBeCloseTo(share, 12);
  });
});
