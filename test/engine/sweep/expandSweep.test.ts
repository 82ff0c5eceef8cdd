import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../../src/engine/config/parseLabConfig';
import { expandSweep, sweepRunCount } from '../../../src/engine/sweep/expandSweep';

function config(sweep: string) {
  const text = `{
    "layers": [{ "units": 8, "activation": "sigmoid" }, { "units": 6, "activation": "sigmoid" }, { "units": 10, "activation": "softmax", "kernelInitializer": "glorotUniform" }],
    "optimizer": { "type": "momentum", "learningRate": 0.05, "momentum": 0.8 },
    "batchSize": 100, "epochs": 3, "seed": 7${sweep}
  }`;
  const parsed = parseLabConfig(text);
  expect(parsed.errors).toEqual([]);
  return parsed.config!;
}

describe('expandSweep', () => {
  it('gives a config without a sweep as its one run, unlabelled', () => {
    const base = config('');
    expect(expandSweep(base)).toEqual([{ index: 0, label: '', settings: [], config: base }]);
    expect(sweepRunCount(base)).toBe(1);
  });

  it('runs every combination, the first key varying slowest, each label naming its values', () => {
    const runs = expandSweep(
      config(
        ', "sweep": { "learningRate": [0.1, 0.01], "kernelInitializer": ["zeros", { "type": "randomNormal", "stddev": 0.1 }, "heNormal"] }',
      ),
    );
    expect(runs.map((r) => r.label)).toEqual([
      'learningRate=0.1, kernelInitializer=zeros',
      'learningRate=0.1, kernelInitializer=randomNormal(stddev=0.1)',
      'learningRate=0.1, kernelInitializer=heNormal',
      'learningRate=0.01, kernelInitializer=zeros',
      'learningRate=0.01, kernelInitializer=randomNormal(stddev=0.1)',
      'learningRate=0.01, kernelInitializer=heNormal',
    ]);
    expect(runs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sweepRunCount(runs[0].config)).toBe(1);
  });

  it('changes only the swept field: the optimizer keeps its type and momentum, every layer takes the initializer', () => {
    const [, second] = expandSweep(
      config(
        ', "sweep": { "learningRate": [0.1, 0.01], "kernelInitializer": ["zeros", { "type": "randomNormal", "stddev": 0.1 }] }',
      ),
    );
    expect(second.config.optimizer).toEqual({ type: 'momentum', learningRate: 0.1, momentum: 0.8, nesterov: false });
    expect(second.config.layers.map((l) => l.kernelInitializer)).toEqual(
      Array(3).fill({ type: 'randomNormal', stddev: 0.1 }),
    );
    expect(second.config).not.toHaveProperty('sweep');
    expect(second.config.batchSize).toBe(100);
    expect(second.config.name).toBe('Untitled lab (learningRate=0.1, kernelInitializer=randomNormal(stddev=0.1))');
  });

  it.each([
    ['batchSize', '[32, 640]', (c: ReturnType<typeof config>) => c.batchSize, [32, 640]],
    ['epochs', '[1, 5]', (c: ReturnType<typeof config>) => c.epochs, [1, 5]],
    ['seed', '[1, 2, 3]', (c: ReturnType<typeof config>) => c.seed, [1, 2, 3]],
    [
      'activation',
      '["relu", "tanh"]',
      (c: ReturnType<typeof config>) => c.layers.map((l) => l.activation).join(','),
      ['relu,relu,softmax', 'tanh,tanh,softmax'],
    ],
  ])('sweeps %s %s', (key, values, read, expected) => {
    const runs = expandSweep(config(`, "sweep": { "${key}": ${values} }`));
    expect(runs.map((r) => read(r.config))).toEqual(expected);
  });
});
