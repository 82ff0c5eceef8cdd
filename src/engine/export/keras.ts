// A lab config as a Keras 3 script: DNN Lab's names are Keras's, so each field maps to its Keras argument
// (Dense units/activation/kernel_initializer, the optimizer and its parameters, loss, batch_size, epochs).
import { pythonReadIdx, pythonRunConstants } from './pythonMnist';
import type { InitializerSpec, LabConfig, OptimizerSpec } from '../config/labConfig';

const num = (x: number) => String(x);

const INITIALIZER_CLASS: Record<InitializerSpec['type'], string> = {
  zeros: 'Zeros',
  randomNormal: 'RandomNormal',
  randomUniform: 'RandomUniform',
  glorotNormal: 'GlorotNormal',
  glorotUniform: 'GlorotUniform',
  heNormal: 'HeNormal',
  heUniform: 'HeUniform',
  lecunNormal: 'LecunNormal',
};

/** The keras.initializers call for `spec`, seeded. */
function initializer(spec: InitializerSpec, seed: string): string {
  const name = `keras.initializers.${INITIALIZER_CLASS[spec.type]}`;
  if (spec.type === 'zeros') return `${name}()`;
  if (spec.type === 'randomNormal') return `${name}(mean=0.0, stddev=${num(spec.stddev ?? 0.05)}, seed=${seed})`;
  if (spec.type === 'randomUniform')
    return `${name}(minval=-${num(spec.limit ?? 0.05)}, maxval=${num(spec.limit ?? 0.05)}, seed=${seed})`;
  return `${name}(seed=${seed})`;
}

/** The keras.optimizers call for `spec`, every parameter written out. */
export function kerasOptimizer(spec: OptimizerSpec): string {
  const lr = `learning_rate=${num(spec.learningRate)}`;
  switch (spec.type) {
    case 'sgd':
      return `keras.optimizers.SGD(${lr})`;
    case 'momentum':
      return `keras.optimizers.SGD(${lr}, momentum=${num(spec.momentum)}, nesterov=${spec.nesterov ? 'True' : 'False'})`;
    case 'adagrad':
      return `keras.optimizers.Adagrad(${lr}, initial_accumulator_value=${num(spec.initialAccumulatorValue)}, epsilon=${num(spec.epsilon)})`;
    case 'rmsprop':
      return `keras.optimizers.RMSprop(${lr}, rho=${num(spec.rho)}, momentum=${num(spec.momentum)}, epsilon=${num(spec.epsilon)})`;
    case 'adam':
      return `keras.optimizers.Adam(${lr}, beta_1=${num(spec.beta1)}, beta_2=${num(spec.beta2)}, epsilon=${num(spec.epsilon)})`;
  }
}

/** A Keras script training `config` on MNIST; `python3 script.py --data DIR [--epochs N]` prints the final test accuracy last. */
export function kerasScript(config: LabConfig): string {
  const layers = config.layers.flatMap((l, i) => {
    const init = initializer(l.kernelInitializer, `SEED + ${i}`);
    if (l.activation === 'leakyRelu') {
      return [
        `        keras.layers.Dense(${l.units}, activation=None, kernel_initializer=${init}, bias_initializer="zeros"),`,
        `        keras.layers.LeakyReLU(negative_slope=${num(l.alpha)}),`,
      ];
    }
    return [
      `        keras.layers.Dense(${l.units}, activation=${JSON.stringify(l.activation)}, kernel_initializer=${init}, bias_initializer="zeros"),`,
    ];
  });
  const loss =
    config.loss === 'categoricalCrossentropy'
      ? 'keras.losses.CategoricalCrossentropy()'
      : 'keras.losses.MeanSquaredError()';
  return `#!/usr/bin/env python3
# ${config.name}: exported by dnn-lab export --format keras (Keras 3).
# Usage: python3 this.py --data DIR_WITH_THE_FOUR_MNIST_FILES [--epochs N]
# The last line printed is the final test accuracy, e.g. "test_accuracy 0.9712".
import argparse
import gzip
import os
import struct

import keras
import numpy as np

${pythonRunConstants(config)}


${pythonReadIdx('a uint8 array', 'np.frombuffer(data, dtype=np.uint8, offset=offset)')}


def load(folder, prefix, limit):
    images = read_idx(folder, f"{prefix}-images-idx3-ubyte")
    labels = read_idx(folder, f"{prefix}-labels-idx1-ubyte")
    if limit:
        images, labels = images[:limit], labels[:limit]
    return images.reshape(len(images), -1).astype("float32") / 255, keras.utils.to_categorical(labels, 10)


def main():
    parser = argparse.ArgumentParser(description=${JSON.stringify(`Train ${config.name} on MNIST with Keras.`)})
    parser.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()
    keras.utils.set_random_seed(SEED)
    x_train, y_train = load(args.data, "train", TRAIN_SAMPLES)
    x_test, y_test = load(args.data, "t10k", TEST_SAMPLES)
    model = keras.Sequential([
        keras.Input(shape=(x_train.shape[1],)),
${layers.join('\n')}
    ])
    model.compile(optimizer=${kerasOptimizer(config.optimizer)}, loss=${loss}, metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=args.epochs, shuffle=True, validation_data=(x_test, y_test), verbose=2)
    _, test_accuracy = model.evaluate(x_test, y_test, batch_size=BATCH_SIZE, verbose=0)
    print(f"test_accuracy {test_accuracy:.4f}")


if __name__ == "__main__":
    main()
`;
}
