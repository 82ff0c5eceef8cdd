/** What a number must be, both for checking and for the "must be ..." part of messages. */
export interface NumberRule {
  /** The whole rule as a noun phrase, e.g. "a positive integer"; said when the value is not even a number. */
  readonly what: string;
  /** What the finite `value` fails to be, e.g. "at most 10000", or undefined when it passes. */
  readonly check: (value: number) => string | undefined;
}

function rule(
  what: string,
  passes: (value: number) => boolean,
  max = Infinity,
  maxText = `at most ${max}`,
): NumberRule {
  return { what, check: (value) => (!passes(value) ? what : value > max ? maxText : undefined) };
}

/** The largest float32: the kernels compute in float32, where anything larger is Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;
const WITHIN_FLOAT32 = 'at most 3.4e38, the largest number the float32 kernels hold (larger ones become Infinity)';

/** An integer from 1 to `max`; integers past 2^53 are refused because a double cannot hold them exactly. */
export function positiveInteger(max = Number.MAX_SAFE_INTEGER): NumberRule {
  return rule('a positive integer', (value) => Number.isInteger(value) && value >= 1, max);
}

/** 1, 2, 3, ... */
export const POSITIVE_INTEGER = positiveInteger();

/** 0, 1, 2, ... */
export const NON_NEGATIVE_INTEGER = rule(
  'a non-negative integer (0 or more)',
  (value) => Number.isInteger(value) && value >= 0,
  Number.MAX_SAFE_INTEGER,
);

/** Any number above 0 (learning rates, epsilons, slopes, spreads), up to float32's largest. */
export const POSITIVE_NUMBER = rule('a positive number', (value) => value > 0, FLOAT32_MAX, WITHIN_FLOAT32);

/** Any number from 0 up to float32's largest. */
export const NON_NEGATIVE_NUMBER = rule('a number of 0 or more', (value) => value >= 0, FLOAT32_MAX, WITHIN_FLOAT32);

/** A decay factor in [0, 1), such as adam's beta1 or rmsprop's rho. */
export const DECAY_FACTOR = rule('a number at least 0 and less than 1', (value) => value >= 0 && value < 1);
