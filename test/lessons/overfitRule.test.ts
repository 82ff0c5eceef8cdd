import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { createWasmKernels } from '../../src/engine/kernels/wasm/wasmKernels';
import { detectOverfitting } from '../../src/engine/train/overfitting';
import { train } from '../../src/engine/train/trainer';
import { turningPoint } from '../../webview/lesson/model/overfitCurves';
import { sharedMnist } from '../support/mnist';

// Lesson 7-2's experiments trained for real: the training panel's band and the lesson's turning point
// are one rule, so a student sees the same epoch on both screens.
describe("lesson 7-2's experiments under the one overfitting rule", () => {
  it.each(['baseline', 'more-data', 'smaller-model'])('%s: the panel and the lesson name the same epoch', async (name) => {
    const parsed = parseLabConfig(readFileSync(`lessons/7-2-experiments/${name}.dnn.json`, 'utf8'));
    if (!parsed.config) throw new Error(parsed.errors.map((e) => e.message).join('; '));
    const kernels = await createWasmKernels({ threads: 1 });
    const { epochs } = await train({ config: parsed.config, data: await sharedMnist(), kernels });
    await kernels.close();
    const panel = detectOverfitting(epochs);
    const lesson = turningPoint(epochs);
    console.log(`${name}: test losses ${epochs.map((e) => e.testLoss.toFixed(3)).join(' ')}; turning point ${lesson?.epoch ?? 'none'}`);
    expect(lesson?.epoch).toBe(panel?.bestEpoch);
    // The lesson's premise: the big network on 500 images overfits.
    if (name === 'baseline') expect(panel).toBeDefined();
  });
});
