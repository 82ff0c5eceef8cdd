/** Checks a lesson network file (7-1's stepper, 7-3's worked example) before the page computes with it. Pure. */
import type { LessonNetworkData } from '../protocol/lessonProtocol';

/** A lesson file is broken: names the file, the field and the value, shown in the panel. */
export class LessonContentError extends Error {
  override readonly name = 'LessonContentError';
}

/** Checks the shape of a lesson network: sizes that chain, finite numbers, a known activation and loss. */
export function checkLessonNetwork(json: unknown, file: string, defaultLoss: LessonNetworkData['loss']): LessonNetworkData {
  const fail = (field: string, problem: string): never => {
    throw new LessonContentError(`${file}: ${field} ${problem}`);
  };
  const numbers = (value: unknown, field: string, length?: number): number[] => {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) fail(field, `must be a non-empty array of numbers, got ${JSON.stringify(value)}`);
    const list = value as number[];
    if (length !== undefined && list.length !== length) fail(field, `must have ${length} numbers, got ${list.length}`);
    return list;
  };
  const data = (typeof json === 'object' && json !== null ? json : fail('the file', 'must hold a JSON object')) as Record<string, unknown>;
  const input = numbers(data.input, 'input');
  const loss = data.loss ?? defaultLoss;
  if (loss !== 'categoricalCrossentropy' && loss !== 'meanSquaredError') fail('loss', `must be "categoricalCrossentropy" or "meanSquaredError", got ${JSON.stringify(loss)}`);
  if (!Array.isArray(data.layers) || data.layers.length === 0) fail('layers', 'must be a non-empty array');
  let fanIn = input.length;
  const layers = (data.layers as unknown[]).map((raw, i) => {
    const layer = (raw ?? {}) as Record<string, unknown>;
    const activation = layer.activation;
    if (!['sigmoid', 'tanh', 'relu', 'linear', 'softmax'].includes(activation as string)) fail(`layers[${i}].activation`, `must be sigmoid, tanh, relu, linear or softmax, got ${JSON.stringify(activation)}`);
    const b = numbers(layer.b, `layers[${i}].b`);
    if (!Array.isArray(layer.W) || layer.W.length !== b.length) fail(`layers[${i}].W`, `must have ${b.length} rows (one per unit of b)`);
    const W = (layer.W as unknown[]).map((row, r) => numbers(row, `layers[${i}].W[${r}]`, fanIn));
    fanIn = b.length;
    return { activation: activation as LessonNetworkData['layers'][number]['activation'], W, b };
  });
  const target = numbers(data.target, 'target', fanIn);
  return { input, target, loss: loss as LessonNetworkData['loss'], layers };
}
