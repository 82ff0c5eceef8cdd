// @vitest-environment happy-dom
// The "your own digit" section in a DOM: a picked test image goes to the run's network (the engine's probeDigit on
// a seeded network here) and comes back as ten outputs, the prediction and a δ strip per layer.
import { describe, expect, it } from 'vitest';
import { probeDigit } from '../../../src/engine/digit/digitProbe';
import type { LayerWeights, PredictedDigit } from '../../../src/engine/train/metrics';
import { OwnDigit } from '../../../webview/training/ownDigit';
import { labConfig, layer, randomValues } from '../../support/nets';

const config = labConfig({ layers: [layer(16, 'relu'), layer(10, 'softmax')] });
const weights: LayerWeights[] = [
  { units: 16, fanIn: 784, W: Float32Array.from(randomValues(16 * 784, 1, 0.1)), b: new Float32Array(16) },
  { units: 10, fanIn: 16, W: Float32Array.from(randomValues(160, 2, 0.5)), b: new Float32Array(10) },
];
const image = (index: number, label: number): PredictedDigit => ({
  index,
  label,
  predicted: label,
  rows: 28,
  cols: 28,
  pixels: Array.from({ length: 784 }, (_, p) => ((p * (index + 3)) % 29 === 0 ? 255 : 0)),
  probabilities: Array.from({ length: 10 }, () => 0.1),
});

describe('OwnDigit', () => {
  it('lists the run’s test images, and shows the network’s answer for the one picked, per target', async () => {
    const asked: { target: number }[] = [];
    const pad = new OwnDigit({
      probe: async (pixels, target) => {
        asked.push({ target });
        return probeDigit(config, weights, pixels, target);
      },
    });
    document.body.append(pad.root);
    pad.show('run-1', [image(4, 7), image(9, 2)]);
    expect(pad.root.hidden).toBe(false);
    const test = pad.root.querySelector<HTMLSelectElement>('#own-digit-test')!;
    expect([...test.options].map((o) => o.textContent)).toEqual(['—', 'test image 4 (a 7)', 'test image 9 (a 2)']);

    test.value = '1';
    test.dispatchEvent(new Event('change'));
    await expect.poll(() => pad.root.querySelectorAll('.own-digit-outputs li').length).toBe(10);
    const expected = probeDigit(config, weights, image(9, 2).pixels, 0).predicted;
    expect(pad.root.dataset.predicted).toBe(String(expected));
    expect(pad.root.querySelectorAll('.own-digit-delta')).toHaveLength(2);
    expect(pad.root.querySelectorAll('.own-digit-delta')[0].querySelectorAll('.own-digit-cells span')).toHaveLength(16);
    // "The prediction" as target asks again with the predicted digit, so δ^L is y − (that digit).
    expect(asked.at(-1)?.target).toBe(expected);

    const target = pad.root.querySelector<HTMLSelectElement>('#own-digit-target')!;
    target.value = String((expected + 1) % 10);
    target.dispatchEvent(new Event('change'));
    await expect.poll(() => asked.at(-1)?.target).toBe((expected + 1) % 10);
    await expect
      .poll(() => pad.root.querySelectorAll('.own-digit-cells.output span')[(expected + 1) % 10]?.className)
      .toBe('neg');

    // Clear empties the answer; a run that kept no network says why, in the section.
    pad.root.querySelector<HTMLElement>('#own-digit-clear')!.click();
    expect(pad.root.querySelectorAll('.own-digit-outputs li')).toHaveLength(0);
    const broken = new OwnDigit({ probe: () => Promise.reject(new Error('This run kept no network to draw with')) });
    document.body.append(broken.root);
    broken.show('run-2', [image(1, 1)]);
    const pick = broken.root.querySelector<HTMLSelectElement>('#own-digit-test')!;
    pick.value = '0';
    pick.dispatchEvent(new Event('change'));
    await expect
      .poll(() => broken.root.querySelector('.own-digit-problem')?.textContent)
      .toBe('This run kept no network to draw with');
  });
});
