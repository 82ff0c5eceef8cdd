import type { OptimizerSpec } from '../config/labConfig';
import type { Kernels } from '../kernels/kernels';

/**
 * A gradient-descent rule: theta <- theta - eta * dC/dtheta and its refinements. `step` returns the new
 * parameters and leaves the old ones to the caller (who may compare them); it owns its own state.
 * The update rules and defaults are Keras's.
 */
export interface Optimizer<M> {
  step(params: readonly M[], grads: readonly M[]): M[];
  dispose(): void;
}

/** Makes the optimizer a config asks for. */
export function createOptimizer<M>(k: Kernels<M>, spec: OptimizerSpec): Optimizer<M> {
  switch (spec.type) {
    case 'sgd':
      return stateless(k, (theta, g) => k.sub(theta, k.scale(g, spec.learningRate)));
    case 'momentum':
      return withSlots(
        k,
        1,
        each((theta, g, [v]) => {
          // v <- m v - eta g;  theta <- theta + v (Nesterov looks ahead: theta + m v - eta g)
          const step = k.scale(g, spec.learningRate);
          const vNew = k.sub(k.scale(v, spec.momentum), step);
          const next = spec.nesterov ? k.sub(k.add(theta, k.scale(vNew, spec.momentum)), step) : k.add(theta, vNew);
          return [next, [vNew]];
        }),
      );
    case 'adagrad':
      return withSlots(
        k,
        1,
        each((theta, g, [sum]) => {
          const sumNew = k.add(sum, k.square(g));
          return [
            k.sub(theta, k.div(k.scale(g, spec.learningRate), k.addScalar(k.sqrt(sumNew), spec.epsilon))),
            [sumNew],
          ];
        }),
        spec.initialAccumulatorValue,
      );
    case 'rmsprop':
      return withSlots(
        k,
        2,
        each((theta, g, [meanSquare, moment]) => {
          const msNew = k.add(k.scale(meanSquare, spec.rho), k.scale(k.square(g), 1 - spec.rho));
          const increment = k.div(k.scale(g, spec.learningRate), k.addScalar(k.sqrt(msNew), spec.epsilon));
          const momentNew = spec.momentum > 0 ? k.add(k.scale(moment, spec.momentum), increment) : increment;
          return [k.sub(theta, momentNew), [msNew, momentNew]];
        }),
      );
    case 'adam': {
      let t = 0;
      const { beta1, beta2, epsilon } = spec;
      const adam = withSlots(k, 2, (params, grads, slots) => {
        // Bias correction folded into the step size, as Keras does.
        const stepSize = (spec.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        if (k.adamSteps) {
          const tensors = params.map((theta, i) => ({ theta, g: grads[i], m: slots[i][0], v: slots[i][1] }));
          return k
            .adamSteps(tensors, { stepSize, beta1, beta2, epsilon })
            .map((next): [M, M[]] => [next.theta, [next.m, next.v]]);
        }
        return params.map((theta, i): [M, M[]] => {
          const g = grads[i];
          const [m, v] = slots[i];
          const mNew = k.add(k.scale(m, beta1), k.scale(g, 1 - beta1));
          const vNew = k.add(k.scale(v, beta2), k.scale(k.square(g), 1 - beta2));
          return [k.sub(theta, k.div(k.scale(mNew, stepSize), k.addScalar(k.sqrt(vNew), epsilon))), [mNew, vNew]];
        });
      });
      return {
        step(params, grads) {
          t++;
          return adam.step(params, grads);
        },
        dispose: () => adam.dispose(),
      };
    }
  }
}

function stateless<M>(k: Kernels<M>, update: (theta: M, g: M) => M): Optimizer<M> {
  return {
    step: (params, grads) => k.scope(() => params.map((theta, i) => update(theta, grads[i]))),
    dispose() {},
  };
}

/** The update of every parameter as the same rule applied to each on its own. */
function each<M>(
  update: (theta: M, g: M, slots: M[]) => [M, M[]],
): (params: readonly M[], grads: readonly M[], slots: M[][]) => [M, M[]][] {
  return (params, grads, slots) => params.map((theta, i) => update(theta, grads[i], slots[i]));
}

/**
 * An optimizer keeping `count` slots per parameter (velocity, running averages), created on first use; `update`
 * takes every parameter of a step at once (fused kernels update them in one pass) and returns each one's new value
 * and slots, in order.
 */
function withSlots<M>(
  k: Kernels<M>,
  count: number,
  update: (params: readonly M[], grads: readonly M[], slots: M[][]) => [M, M[]][],
  initialValue = 0,
): Optimizer<M> {
  let slots: M[][] | undefined;
  return {
    step(params, grads) {
      slots ??= params.map((theta) =>
        Array.from({ length: count }, () => k.scope(() => k.addScalar(k.scale(theta, 0), initialValue))),
      );
      const current = slots;
      const results = k.scope(() => update(params, grads, current));
      for (const old of current.flat()) k.dispose(old);
      slots = results.map(([, s]) => s);
      return results.map(([next]) => next);
    },
    dispose() {
      for (const slot of slots?.flat() ?? []) k.dispose(slot);
      slots = undefined;
    },
  };
}
