import { describe, expect, it } from 'vitest';
import { closestMatch } from '../../../src/engine/config/didYouMean';

const KEYS = ['units', 'activation', 'kernelInitializer', 'alpha', 'learningRate', 'epochs', 'batchSize'];

describe('closestMatch', () => {
  it.each([
    ['learningrate', 'learningRate'],
    ['LEARNINGRATE', 'learningRate'],
    ['lerningRate', 'learningRate'],
    ['learning_rate', 'learningRate'],
    ['activaiton', 'activation'],
    ['unit', 'units'],
    ['epoch', 'epochs'],
    ['batch_size', 'batchSize'],
    ['kernel_initializer', 'kernelInitializer'],
    ['apha', 'alpha'],
  ])('suggests for %s: %s', (word, expected) => {
    expect(closestMatch(word, KEYS)).toBe(expected);
  });

  it.each(['lr', 'dropout', 'bias', 'x', '', 'optimizer'])('suggests nothing for %j', (word) => {
    expect(closestMatch(word, KEYS)).toBeUndefined();
  });

  it('prefers the closest of several candidates', () => {
    expect(closestMatch('leakyrelu', ['relu', 'leakyRelu'])).toBe('leakyRelu');
    expect(closestMatch('rel', ['relu', 'leakyRelu'])).toBe('relu');
  });
});
