import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planGrading } from '../../../src/engine/grading/planGrading';
import { marked, textAt } from '../config/markedText';

const LABS = join(__dirname, '../../../labs');
const read = (path: string) => readFileSync(join(LABS, path), 'utf8');

/** The 5-layer answer with one field replaced by `override` (a «marked» fragment names where the error must be). */
function corelab1(
  override: Partial<Record<'layers' | 'optimizer' | 'batchSize' | 'epochs' | 'extra', string>>,
): string {
  const layers =
    override.layers ??
    '[{ "units": 256, "activation": "relu" }, { "units": 128, "activation": "relu" }, { "units": 64, "activation": "relu" }, { "units": 32, "activation": "relu" }, { "units": 10, "activation": "softmax" }]';
  return `{ "problem": "corelab-1", "layers": ${layers}, "optimizer": ${override.optimizer ?? '{ "type": "adam", "learningRate": 0.02 }'}, "batchSize": ${override.batchSize ?? '300'}, "epochs": ${override.epochs ?? '20'}${override.extra ?? ''} }`;
}

describe('planGrading on the lab files', () => {
  it.each(['corelab-1', 'corelab-2', 'corelab-3'])('accepts the reference solution of %s and plans its runs', (id) => {
    const plan = planGrading(read(`${id}/reference.dnn.json`));
    expect(plan.kind).toBe('ready');
    if (plan.kind !== 'ready') return;
    expect(plan.problem.id).toBe(id);
    expect(plan.runs.map((r) => r.label)).toEqual(
      id === 'corelab-3' ? ['learningRate=0.01', 'learningRate=0.001'] : [''],
    );
  });

  it('refuses the corelab-1 starter at the layers line, and every other wrong field at its own line', () => {
    const text = read('corelab-1/corelab-1.dnn.json');
    const plan = planGrading(text);
    expect(plan.kind).toBe('unmet');
    if (plan.kind !== 'unmet') return;
    expect(plan.errors.map((e) => [e.path, textAt(text, e.range).split('\n')[0]])).toEqual([
      ['layers', '['],
      ['optimizer.learningRate', '0.001'],
      ['batchSize', '128'],
      ['epochs', '5'],
    ]);
    expect(plan.errors[0].message).toBe(
      'layers has 3 layers; Corelab 1 asks for 5 Dense layers (4 hidden layers and the output layer), e.g. units 256, 128, 64, 32 and 10',
    );
  });
});

describe('checkRequirements', () => {
  it.each([
    [
      'batch size 640',
      corelab1({ batchSize: '«640»' }),
      'batchSize',
      'batchSize is 640; Corelab 1 asks for batch size 300: write "batchSize": 300',
    ],
    [
      'sgd',
      corelab1({ optimizer: '{ "type": «"sgd"», "learningRate": 0.02 }' }),
      'optimizer.type',
      'optimizer is "sgd"; Corelab 1 asks for adam: write "type": "adam"',
    ],
    [
      'the optimizer named only',
      corelab1({ optimizer: '«"adam"»' }),
      'optimizer',
      'optimizer.learningRate is 0.001 (the default, as it is not written); Corelab 1 asks for learning_rate=0.02: write "optimizer": { "type": "adam", "learningRate": 0.02 }',
    ],
    [
      'a sweep',
      corelab1({ extra: ', "sweep": «{ "seed": [1, 2] }»' }),
      'sweep',
      'Corelab 1 is a single run: remove sweep (Lab02 and Lab03 are where to compare settings)',
    ],
    [
      'a training subset',
      corelab1({ extra: ', "trainSamples": «1000»' }),
      'trainSamples',
      'trainSamples is 1000; Corelab 1 trains on all 60000 MNIST training images: remove trainSamples',
    ],
  ])('reports %s at its value', (_, source, path, message) => {
    const { text, range } = marked(source);
    const plan = planGrading(text);
    expect(plan.kind === 'unmet' && plan.errors).toEqual([{ path, message, range }]);
  });

  it('reports epochs left out at the opening brace, saying the default applies', () => {
    const { text, range } = marked(
      `«{» "problem": "corelab-2", "layers": [${'{ "units": 32, "activation": "relu" }, '.repeat(4)}{ "units": 10, "activation": "softmax" }], "optimizer": { "type": "adam", "learningRate": 0.02 }, "batchSize": 640 }`,
    );
    const plan = planGrading(text);
    expect(plan.kind === 'unmet' && plan.errors).toEqual([
      {
        path: 'epochs',
        range,
        message: 'epochs is 1 (the default, as it is not written); Corelab 2 asks for EPOCH=20: write "epochs": 20',
      },
    ]);
  });

  it.each([
    [
      'no sweep',
      '',
      '«{»',
      'sweep',
      'Corelab 3 trains both learning rates 0.01 and 0.001: add "sweep": { "learningRate": [0.01, 0.001] }',
    ],
    [
      'the wrong rates',
      ', "sweep": { "learningRate": «[0.01, 0.1]» }',
      '',
      'sweep.learningRate',
      'sweep.learningRate is [0.01, 0.1]; Corelab 3 compares exactly 0.01 and 0.001: write "sweep": { "learningRate": [0.01, 0.001] }',
    ],
    [
      'another swept field',
      ', "sweep": { "learningRate": [0.001, 0.01], "batchSize": «[32, 64]» }',
      '',
      'sweep.batchSize',
      'sweep.batchSize: Corelab 3 compares learning rates only; remove sweep.batchSize',
    ],
  ])('corelab-3 with %s', (_, sweep, brace, path, message) => {
    const body = ` "problem": "corelab-3", "layers": [${'{ "units": 32, "activation": "relu" }, '.repeat(4)}{ "units": 10, "activation": "softmax" }], "epochs": 3, "batchSize": 1000${sweep} }`;
    const { text, range } = marked(brace ? `${brace}${body}` : `{${body}`);
    const plan = planGrading(text);
    expect(plan.kind === 'unmet' && plan.errors).toEqual([{ path, message, range }]);
  });

  it('grades a config without "problem" when told which problem it answers, and says how to name one otherwise', () => {
    const text = corelab1({}).replace('"problem": "corelab-1", ', '');
    expect(planGrading(text, 'corelab-1').kind).toBe('ready');
    const plan = planGrading(text);
    expect(plan.kind === 'invalid' && plan.errors.map((e) => e.message)).toEqual([
      'this config names no problem to grade: add "problem": "corelab-1" (or corelab-2, corelab-3)',
    ]);
    const unknown = planGrading(corelab1({}).replace('corelab-1', 'corelab-9'));
    expect(unknown.kind === 'invalid' && unknown.errors.map((e) => e.message)).toEqual([
      'problem must be one of corelab-1, corelab-2, corelab-3 to be graded, got "corelab-9"',
    ]);
  });

  it('passes config syntax errors through rather than judging a broken config', () => {
    const plan = planGrading('{ "problem": "corelab-1", "layers": [{ "units": 10.5, "activation": "softmax" }] }');
    expect(plan.kind).toBe('invalid');
    expect(plan.problem?.id).toBe('corelab-1');
    expect(plan.kind === 'invalid' && plan.errors.map((e) => e.path)).toEqual(['layers[0].units']);
  });
});
