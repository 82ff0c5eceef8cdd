import type { InitializerSpec } from '../config/labConfig';
import type { Random } from './random';

// Keras draws its *Normal variance-scaling initializers from a normal truncated at 2 stddev, whose
// stddev shrinks by this factor; dividing by it keeps the intended variance (keras/initializers).
const TRUNCATED_NORMAL_STDDEV = 0.8796256610342398;

/**
 * Initial weights W^l for a layer with `fanIn` inputs and `units` outputs, laid out as the lesson's
 * W^l: `units` rows of `fanIn` values, W[i][j] connecting unit j of layer l-1 to unit i of layer l.
 */
export function initialWeights(spec: InitializerSpec, fanIn: number, units: number, random: Random): Float64Array {
  const weights = new Float64Array(units * fanIn);
  const fill = (draw: () => number): Float64Array => {
    for (let i = 0; i < weights.length; i++) weights[i] = draw();
    return weights;
  };
  const uniform = (limit: number) => () => (2 * random.next() - 1) * limit;
  const normal = (stddev: number) => () => stddev * random.normal();
  const truncated = (stddev: number) => () => {
    const scaled = stddev / TRUNCATED_NORMAL_STDDEV;
    for (;;) {
      const x = random.normal();
      if (Math.abs(x) <= 2) return x * scaled;
    }
  };
  switch (spec.type) {
    case 'zeros':
      return weights;
    case 'randomNormal':
      return fill(normal(spec.stddev ?? 0.05));
    case 'randomUniform':
      return fill(uniform(spec.limit ?? 0.05));
    case 'glorotNormal':
      return fill(truncated(Math.sqrt(2 / (fanIn + units))));
    case 'glorotUniform':
      return fill(uniform(Math.sqrt(6 / (fanIn + units))));
    case 'heNormal':
      return fill(truncated(Math.sqrt(2 / fanIn)));
    case 'heUniform':
      return fill(uniform(Math.sqrt(6 / fanIn)));
    case 'lecunNormal':
      return fill(truncated(Math.sqrt(1 / fanIn)));
  }
}

/**
 * The standard deviation of the weights `spec` draws for a layer of `units` with `fanIn` inputs (a uniform in
 * [-limit, limit] has limit / sqrt(3); the truncated normals are rescaled to their nominal spread above).
 */
export function initializerStddev(spec: InitializerSpec, fanIn: number, units: number): number {
  switch (spec.type) {
    case 'zeros':
      return 0;
    case 'randomNormal':
      return spec.stddev ?? 0.05;
    case 'randomUniform':
      return (spec.limit ?? 0.05) / Math.sqrt(3);
    case 'glorotNormal':
    case 'glorotUniform':
      return Math.sqrt(2 / (fanIn + units));
    case 'heNormal':
    case 'heUniform':
      return Math.sqrt(2 / fanIn);
    case 'lecunNormal':
      return Math.sqrt(1 / fanIn);
  }
}
