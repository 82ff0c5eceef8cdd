// A lab config as a PyTorch script that trains the same network the same way: the Dense layers and their
// activations, each layer's kernel initializer as Keras draws it (zero biases), the optimizer with DNN Lab's (Keras's)
// update rule written out, since torch.optim.Adam puts epsilon elsewhere, the loss, batch size and epochs, shuffling
// every epoch and keeping the last short batch. It reads the same four MNIST IDX files (.gz or not) from --data DIR.
import { pythonReadIdx, pythonRunConstants } from './pythonMnist';
import type { Activation, InitializerSpec, LabConfig, OptimizerSpec } from '../config/labConfig';

const ACTIVATION: Record<Activation, string> = {
  sigmoid: 'torch.sigmoid(z)',
  tanh: 'torch.tanh(z)',
  relu: 'torch.relu(z)',
  leakyRelu: 'torch.nn.functional.leaky_relu(z, alpha)',
  linear: 'z',
  softmax: 'torch.softmax(z, dim=1)',
};

/** Python source for one number: integers keep a ".0" off, floats as JavaScript prints them (which Python reads). */
function py(x: number): string {
  return Number.isInteger(x) ? `${x}` : String(x);
}

/** The torch.nn.init call that draws `spec` for a weight of shape (units, fan_in), as Keras does. */
function initializer(spec: InitializerSpec): string {
  const truncated = (std: string) => `trunc_normal(w, ${std})`;
  switch (spec.type) {
    case 'zeros':
      return 'torch.nn.init.zeros_(w)';
    case 'randomNormal':
      return `torch.nn.init.normal_(w, 0.0, ${py(spec.stddev ?? 0.05)})`;
    case 'randomUniform':
      return `torch.nn.init.uniform_(w, -${py(spec.limit ?? 0.05)}, ${py(spec.limit ?? 0.05)})`;
    case 'glorotNormal':
      return truncated('math.sqrt(2 / (fan_in + units))');
    case 'glorotUniform':
      return 'torch.nn.init.uniform_(w, -math.sqrt(6 / (fan_in + units)), math.sqrt(6 / (fan_in + units)))';
    case 'heNormal':
      return truncated('math.sqrt(2 / fan_in)');
    case 'heUniform':
      return 'torch.nn.init.uniform_(w, -math.sqrt(6 / fan_in), math.sqrt(6 / fan_in))';
    case 'lecunNormal':
      return truncated('math.sqrt(1 / fan_in)');
  }
}

/** The body of `step(params, grads)` for the optimizer, as DNN Lab's optimizers.ts (Keras's rules). */
function optimizerStep(spec: OptimizerSpec): string[] {
  const lr = py(spec.learningRate);
  switch (spec.type) {
    case 'sgd':
      return [`p -= ${lr} * g`];
    case 'momentum':
      return [
        `v = slot(p, 0)`,
        `v.mul_(${py(spec.momentum)}).sub_(${lr} * g)`,
        spec.nesterov ? `p += ${py(spec.momentum)} * v - ${lr} * g` : 'p += v',
      ];
    case 'adagrad':
      return [
        `s = slot(p, 0, ${py(spec.initialAccumulatorValue)})`,
        's += g * g',
        `p -= ${lr} * g / (s.sqrt() + ${py(spec.epsilon)})`,
      ];
    case 'rmsprop':
      return [
        `ms = slot(p, 0)`,
        `ms.mul_(${py(spec.rho)}).add_((1 - ${py(spec.rho)}) * g * g)`,
        `increment = ${lr} * g / (ms.sqrt() + ${py(spec.epsilon)})`,
        ...(spec.momentum > 0
          ? [`moment = slot(p, 1)`, `moment.mul_(${py(spec.momentum)}).add_(increment)`, 'p -= moment']
          : ['p -= increment']),
      ];
    case 'adam':
      return [
        `m, v = slot(p, 0), slot(p, 1)`,
        `m.mul_(${py(spec.beta1)}).add_((1 - ${py(spec.beta1)}) * g)`,
        `v.mul_(${py(spec.beta2)}).add_((1 - ${py(spec.beta2)}) * g * g)`,
        `# Keras's Adam: bias correction folded into the step size, epsilon added to sqrt(v) before correction.`,
        `step_size = ${lr} * math.sqrt(1 - ${py(spec.beta2)} ** t) / (1 - ${py(spec.beta1)} ** t)`,
        `p -= step_size * m / (v.sqrt() + ${py(spec.epsilon)})`,
      ];
  }
}

/** A PyTorch script training `config` on MNIST; `python3 script.py --data DIR [--epochs N]` prints the final test accuracy last. */
export function pytorchScript(config: LabConfig): string {
  const layers = config.layers
    .map(
      (l) =>
        `    (${l.units}, ${JSON.stringify(l.activation)}, ${py(l.alpha)}),  # kernelInitializer ${l.kernelInitializer.type}`,
    )
    .join('\n');
  const inits = config.layers
    .map((l, i) => `    if index == ${i}:\n        ${initializer(l.kernelInitializer)}`)
    .join('\n');
  const activations = (Object.keys(ACTIVATION) as Activation[])
    .map((a) => `    if name == ${JSON.stringify(a)}:\n        return ${ACTIVATION[a]}`)
    .join('\n');
  const loss =
    config.loss === 'categoricalCrossentropy'
      ? '-(target * y.clamp(1e-7, 1 - 1e-7).log()).sum(dim=1)'
      : '((y - target) ** 2).mean(dim=1)';
  return `#!/usr/bin/env python3
# ${config.name}: exported by dnn-lab export --format pytorch. Trains the same network the same way as DNN Lab:
# ${config.layers.map((l) => l.units).join('-')} Dense layers, ${config.optimizer.type} (learning rate ${config.optimizer.learningRate}), batch size ${config.batchSize}, ${config.epochs} epochs, ${config.loss}.
# Usage: python3 this.py --data DIR_WITH_THE_FOUR_MNIST_FILES [--epochs N]
# The last line printed is the final test accuracy, e.g. "test_accuracy 0.9712".
import argparse
import gzip
import math
import os
import struct

import torch

LAYERS = [  # (units, activation, alpha of leakyRelu)
${layers}
]
${pythonRunConstants(config)}


${pythonReadIdx('a uint8 tensor', 'torch.frombuffer(bytearray(data[offset:]), dtype=torch.uint8)')}


def load(folder, prefix, limit):
    images = read_idx(folder, f"{prefix}-images-idx3-ubyte")
    labels = read_idx(folder, f"{prefix}-labels-idx1-ubyte")
    if limit:
        images, labels = images[:limit], labels[:limit]
    x = images.reshape(images.shape[0], -1).to(torch.float32) / 255
    return x, torch.nn.functional.one_hot(labels.long(), 10).to(torch.float32)


def trunc_normal(w, std):
    # Keras's truncated normal: cut at 2 standard deviations, the stddev scaled up to keep the variance.
    scaled = std / 0.8796256610342398
    return torch.nn.init.trunc_normal_(w, 0.0, scaled, -2 * scaled, 2 * scaled)


def init_weight(index, w, fan_in, units):
${inits}


def activate(name, z, alpha):
${activations}
    raise ValueError(name)


def main():
    parser = argparse.ArgumentParser(description=${JSON.stringify(`Train ${config.name} on MNIST as DNN Lab does.`)})
    parser.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()
    torch.manual_seed(SEED)
    x_train, y_train = load(args.data, "train", TRAIN_SAMPLES)
    x_test, y_test = load(args.data, "t10k", TEST_SAMPLES)

    params = []
    fan_in = x_train.shape[1]
    for index, (units, _, _) in enumerate(LAYERS):
        w = torch.empty(units, fan_in)
        with torch.no_grad():
            init_weight(index, w, fan_in, units)
        params += [w.requires_grad_(), torch.zeros(units, requires_grad=True)]
        fan_in = units

    def forward(x):
        a = x
        for index, (_, name, alpha) in enumerate(LAYERS):
            z = a @ params[2 * index].T + params[2 * index + 1]
            a = activate(name, z, alpha)
        return a

    def loss_rows(y, target):
        return ${loss}

    slots = {}

    def slot(p, k, value=0.0):
        if (id(p), k) not in slots:
            slots[(id(p), k)] = torch.full_like(p, value)
        return slots[(id(p), k)]

    t = 0
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(x_train.shape[0])
        loss_sum, correct = 0.0, 0
        for start in range(0, x_train.shape[0], BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            y = forward(x_train[batch])
            rows = loss_rows(y, y_train[batch])
            for p in params:
                p.grad = None
            rows.mean().backward()
            t += 1
            with torch.no_grad():
                for p in params:
                    g = p.grad
                    ${optimizerStep(config.optimizer).join('\n                    ')}
            loss_sum += rows.sum().item()
            correct += (y.argmax(dim=1) == y_train[batch].argmax(dim=1)).sum().item()
        with torch.no_grad():
            y = forward(x_test)
            test_loss = loss_rows(y, y_test).mean().item()
            test_accuracy = (y.argmax(dim=1) == y_test.argmax(dim=1)).float().mean().item()
        n = x_train.shape[0]
        print(f"epoch {epoch}/{args.epochs} train loss {loss_sum / n:.4f} acc {correct / n:.4f} test loss {test_loss:.4f} acc {test_accuracy:.4f}", flush=True)
    print(f"test_accuracy {test_accuracy:.4f}")


if __name__ == "__main__":
    main()
`;
}
