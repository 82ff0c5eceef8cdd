import { describe, expect, it } from 'vitest';
import {
  atMostPositionals,
  integerOption,
  optionsSynopsis,
  parseArgs,
  UsageError,
  type CommandOptions,
} from '../../src/cli/args';

const TRAIN: CommandOptions = {
  valued: [
    { name: 'data', what: 'a folder', placeholder: 'DIR' },
    { name: 'epochs', what: 'a number of epochs', placeholder: 'N' },
  ],
  switches: ['json'],
};

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no UsageError');
}

describe('parseArgs', () => {
  it('reads positionals, --name value, --name=value and switches', () => {
    const args = parseArgs(['a.dnn.json', '--data', 'mnist', '--epochs=3', '--json', '--', '--odd.dnn.json'], TRAIN);
    expect(args.positionals).toEqual(['a.dnn.json', '--odd.dnn.json']);
    expect([...args.options]).toEqual([
      ['data', 'mnist'],
      ['epochs', '3'],
      ['json', true],
    ]);
  });

  it('takes a value after = as written, even one that starts with --', () => {
    expect(parseArgs(['--data=--odd'], TRAIN).options.get('data')).toBe('--odd');
  });

  it.each([
    [['--data', '--json'], '--data needs a folder, got --json; e.g. --data DIR'],
    [['--epochs', '--data', 'x'], '--epochs needs a number of epochs, got --data; e.g. --epochs N'],
    [['--data'], '--data needs a folder, e.g. --data DIR'],
    [['--data='], '--data needs a folder, e.g. --data DIR'],
    [['--json=1'], '--json takes no value, got --json=1; write --json'],
    [['--epochs', '2', '--epochs', '3'], '--epochs is given twice; give it once'],
    [['--json', '--json'], '--json is given twice; give it once'],
    [['-e', '3'], 'unknown option -e; options start with --, and the ones here are --data, --epochs, --json'],
    [['--lr', '1'], 'unknown option --lr; the options here are --data, --epochs, --json'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(() => parseArgs(argv, TRAIN))).toBe(message);
  });

  it('lists the options it parses as the usage shows them', () => {
    expect(optionsSynopsis(TRAIN)).toEqual(['[--data DIR]', '[--epochs N]', '[--json]']);
  });
});

describe('integerOption', () => {
  it.each(['0', '7', '0010'])('reads %s', (value) => {
    expect(integerOption('epochs', value, 'a positive integer', 5)).toBe(Number(value));
  });

  it.each(['1e9', '0x10', '5.0', ' 5', '-1', '+3', 'two', '', '99999999999999999999'])(
    'refuses %j, naming the flag, the value and the fix',
    (value) => {
      expect(usageError(() => integerOption('epochs', value, 'a positive integer', 5))).toBe(
        `--epochs must be a positive integer, got ${value}; write it in decimal digits, e.g. --epochs 5`,
      );
    },
  );
});

describe('atMostPositionals', () => {
  it('refuses arguments past the ones a command takes, instead of ignoring them', () => {
    const args = parseArgs(['a.dnn.json', 'b.dnn.json', '3'], TRAIN);
    expect(usageError(() => atMostPositionals(args, 1, 'train takes one config file, a.dnn.json'))).toBe(
      'train takes one config file, a.dnn.json; remove b.dnn.json 3',
    );
    expect(() => atMostPositionals(args, 3, '')).not.toThrow();
  });
});
