import type { LabConfig } from '../config/labConfig';
import { DEFAULT_ALPHA } from '../config/labConfigFormat';
import { initializerStddev } from '../model/initializers';
import { initializerText } from '../sweep/expandSweep';
import { TrainingDivergedError } from './errors';

/**
 * How many images in a row a hidden layer may be dead on (sigma'(z^l) = 0 for every unit) before the run counts as
 * died: no error reaches that layer or any below it, so they cannot learn any more. A unit that fires for one digit
 * in ten is silent on 1000 images in a row with odds 0.9^1000, so a live layer is not mistaken for a dead one.
 */
export const DEAD_IMAGES = 1000;

/**
 * A dead layer stops the run only once the batch loss is this many times the untrained network's: a blow-up
 * (Adam at 1e6: 14.3 against 2.43), not the chance-level runs lab 3 shows on purpose (zeros at learning rate 0.1:
 * every sigmoid of layer 2 saturated, loss 2.31 against 2.30; its README explains their zero δ).
 */
export const DEAD_LOSS_RISE = 1.25;

/**
 * A dead output layer (delta^L = 0 on every image: no parameter gets any gradient) is a fit only once the loss fell
 * below this share of the untrained network's; above it training has stopped short (MSE with a saturated sigmoid
 * output: 0.11 against 0.26, every output 0).
 */
export const FITTED_LOSS_SHARE = 0.1;

/** Where a number was found no longer finite (or past float32's range), which says what to advise. */
export type Overflow = 'weights' | 'z' | 'loss' | 'gradient';

/** The advice for numbers that grew past float32 after training steps: the steps were too large. */
function stepAdvice(config: LabConfig): string {
  return `lower optimizer.learningRate (now ${config.optimizer.learningRate}) or use an initializer that suits the activation.`;
}

/** Training blew up after `updates` steps; `layer` is the lesson's l of the first layer found non-finite. */
export function overflowed(
  config: LabConfig,
  epoch: number,
  batch: number,
  layer: number,
  what: Overflow,
): TrainingDivergedError {
  const l = layer;
  const detail: Record<Overflow, string> = {
    weights: `the weights of layer ${l} (W^${l} or b^${l}) became NaN or Infinity (or too large for float32): the updates grew too large`,
    z: `z^${l} of layer ${l} overflowed to NaN or Infinity (or past 1.8e19, whose square overflows float32)`,
    loss: `the loss of the output layer ${l} became NaN or Infinity`,
    gradient: `the error signal delta^${l} or the gradient dC/dW^${l} of layer ${l} overflowed float32 (a value past 1.8e19 squares to Infinity)`,
  };
  return new TrainingDivergedError(epoch, batch, l, `${detail[what]}; ${stepAdvice(config)}`);
}

/**
 * The first forward pass overflowed at z^`layer` before any training step, which no learning rate can fix: the
 * initial weights are too large, or a leakyRelu slope is. Blames the widest factor up to there: an initializer's
 * spread against heNormal's sqrt(2 / fanIn), or a leakyRelu's alpha (a^l = alpha z^l for z^l < 0), and says what would do.
 */
export function initializationOverflow(config: LabConfig, inputs: number, layer: number): TrainingDivergedError {
  const fanIns = [inputs, ...config.layers.map((spec) => spec.units)];
  const before = config.layers.slice(0, layer);
  const spreads = before.map(
    (spec, i) => initializerStddev(spec.kernelInitializer, fanIns[i], spec.units) / heStddev(fanIns[i]),
  );
  // Only the slopes of layers before `layer` feed z^layer.
  const slopes = before.map((spec, i) => (spec.activation === 'leakyRelu' && i < layer - 1 ? spec.alpha : 0));
  const overflow = `makes the first forward pass overflow (z^${layer} is NaN, Infinity or past 1.8e19, whose square overflows float32, before any training step), so no learning rate can help`;
  if (Math.max(...slopes) > Math.max(...spreads)) {
    const culprit = slopes.indexOf(Math.max(...slopes));
    const { alpha } = config.layers[culprit];
    const detail =
      `layers[${culprit}].alpha ${alpha} ${overflow}: leakyRelu multiplies every z < 0 by alpha, so a^${culprit + 1} is ` +
      `up to ${alpha} times z^${culprit + 1}. Use a slope below 1, such as ${DEFAULT_ALPHA} (Keras's default)`;
    return new TrainingDivergedError(1, 1, layer, detail);
  }
  const culprit = spreads.indexOf(Math.max(...spreads));
  const spec = config.layers[culprit].kernelInitializer;
  const fanIn = fanIns[culprit];
  const spread =
    spec.stddev !== undefined ? `stddev ${spec.stddev}` : spec.limit !== undefined ? `limit ${spec.limit}` : 'spread';
  const near = heStddev(fanIn).toPrecision(2);
  const detail =
    `layers[${culprit}] kernelInitializer ${initializerText(spec)} ${overflow}: its ${spread} is too large. ` +
    `Use "heNormal" (stddev sqrt(2 / ${fanIn}) = ${near} for this layer's ${fanIn} inputs) or a stddev near ${near}`;
  return new TrainingDivergedError(1, 1, layer, detail);
}

/**
 * How a hidden layer is dead on a batch: 'flat' when sigma'(z^l) is 0 for every unit and image (relu below 0,
 * saturated sigmoid or tanh), 'silent' when delta^l is (below float32's squares, ~1e-19) while the output's is not.
 */
export type DeadLayer = 'flat' | 'silent';

/** Where and how a hidden layer died, and the losses that show the run did not learn. */
export interface LayerDeath {
  epoch: number;
  batch: number;
  /** The lesson's l. */
  layer: number;
  how: DeadLayer;
  /** Images in a row it was dead on. */
  images: number;
  loss: number;
  /** The untrained network's loss, on the first batch. */
  firstLoss: number;
}

/** A hidden layer died: no error signal reached it on each of the last `images` images, and the loss rose. */
export function layerDied(config: LabConfig, death: LayerDeath): TrainingDivergedError {
  const { layer: l, images } = death;
  const { activation } = config.layers[l - 1];
  const flat =
    activation === 'relu'
      ? 'below 0 on every image, where relu is flat'
      : `where ${activation} saturates on every image`;
  const what =
    death.how === 'flat'
      ? `every unit of layer ${l} (${activation}) has sigma'(z^${l}) = 0 on each of the last ${images} images`
      : `the error signal delta^${l} of layer ${l} is 0 (every value below 1e-19) on each of the last ${images} images`;
  const cause =
    death.how === 'flat' ? `the steps pushed z^${l} ${flat}` : 'the steps blew the weights up until no error gets back';
  const detail =
    `${what}, so no error signal reaches layer${l > 1 ? `s 1-${l}` : ' 1'} and ${l > 1 ? 'they' : 'it'} can no longer learn ` +
    `(batch loss ${death.loss.toPrecision(3)}, against ${death.firstLoss.toPrecision(3)} at the first batch): ${cause}; ${stepAdvice(config)}`;
  return new TrainingDivergedError(death.epoch, death.batch, l, detail);
}

/** Follows how long each layer has been dead, batch after batch, and stops the run once one died (see the constants). */
export class DeathWatch {
  /** Images in a row on which each layer was dead. */
  private readonly deadFor: number[];
  private readonly limit: number;
  /** The untrained network's loss: the first batch's. */
  private firstLoss: number | undefined;

  constructor(
    private readonly config: LabConfig,
    trainCount: number,
  ) {
    this.deadFor = config.layers.map(() => 0);
    this.limit = Math.min(DEAD_IMAGES, trainCount);
  }

  /**
   * After a step of `n` images whose layers were `dead` as given, with the batch's mean `loss` and each updated W^l's
   * sum of squares (0 for layers a zeros initializer left at 0, which the labs show on purpose): throws when a
   * layer died, the output short of a fit or a hidden layer while the loss rose.
   */
  afterStep(
    dead: readonly (DeadLayer | undefined)[],
    weightSquares: readonly number[],
    loss: number,
    n: number,
    epoch: number,
    batch: number,
  ): void {
    const firstLoss = (this.firstLoss ??= loss);
    dead.forEach((how, i) => (this.deadFor[i] = how ? this.deadFor[i] + n : 0));
    const L = this.config.layers.length - 1;
    const long = (i: number) => this.deadFor[i] >= this.limit && weightSquares[i] > 0;
    const died =
      long(L) && loss > FITTED_LOSS_SHARE * firstLoss
        ? L
        : this.deadFor.slice(0, L).findIndex((_, i) => long(i) && loss > DEAD_LOSS_RISE * firstLoss);
    if (died >= 0)
      throw layerDied(this.config, {
        epoch,
        batch,
        layer: died + 1,
        how: dead[died]!,
        images: this.deadFor[died],
        loss,
        firstLoss,
      });
  }
}

function heStddev(fanIn: number): number {
  return Math.sqrt(2 / fanIn);
}
