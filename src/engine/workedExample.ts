import { runLessonNetwork, type LessonNetworkData } from './lessonNetwork';

/** The worked example's network as stored in lessons/7-3-worked-example.json. */
export type WorkedExampleData = Omit<LessonNetworkData, 'loss'>;

/** Every number of one forward and backward pass, per layer, in the lesson's names. */
export interface WorkedExampleLayer {
  activation: LessonNetworkData['layers'][number]['activation'];
  W: number[][];
  b: number[];
  z: number[];
  a: number[];
  delta: number[];
  dW: number[][];
  db: number[];
}

/** The whole worked example: what `dnn-lab example 7-3 --json` prints and the lesson shows. */
export interface WorkedExample {
  input: number[];
  target: number[];
  layers: WorkedExampleLayer[];
  /** y = softmax(z^L). */
  softmax: number[];
  loss: {
    /** C = -sum_i ŷ_i ln(y_i) with y unrounded. */
    value: number;
    /** The same with y first rounded to 3 decimals, as the source prints it: -ln(0.321) = 1.1363. */
    withRoundedProbabilities: number;
  };
}

/**
 * Runs the worked example through the engine's own forward and backward pass, in float64 (the lesson
 * network's pass), so `dnn-lab example 7-3` prints exactly the numbers the lesson shows.
 */
export function runWorkedExample(data: WorkedExampleData): WorkedExample {
  const pass = runLessonNetwork({ ...data, loss: 'categoricalCrossentropy' });
  const rounded = pass.y.map((p) => Math.round(p * 1000) / 1000);
  return {
    input: data.input,
    target: data.target,
    layers: pass.layers.map(({ activation, W, b, z, a, delta, dW, db }) => ({ activation, W, b, z, a, delta, dW, db })),
    softmax: pass.y,
    loss: { value: pass.cost, withRoundedProbabilities: crossEntropy(data.target, rounded) },
  };
}

function crossEntropy(target: number[], y: number[]): number {
  return -target.reduce((sum, t, i) => sum + (t === 0 ? 0 : t * Math.log(y[i])), 0);
}
