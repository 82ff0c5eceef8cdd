// What the predictions view draws, from whatever a record's predictions hold: DOM-free, so it is tested without a
// page. Records are checked by checkRunRecord before they get here; this is the page's own second line, so one odd
// value (a digit that is not an object, a 1e5 x 1e5 image, a confusion row that is a number) costs that digit or
// that cell, never the page.
import { MAX_CLASSES, MAX_DIGIT_SIDE, MAX_PREDICTED_DIGITS } from '../../src/engine/record/runRecord';

/** One test digit, ready to draw: `pixels` has exactly rows x cols values from 0 to 255. */
export interface DigitView {
  index: number;
  rows: number;
  cols: number;
  pixels: Uint8ClampedArray;
  label: number;
  predicted: number;
  /** The outputs, NaN where one was not a number. */
  probabilities: number[];
  /** The output for the predicted class, 0 when there is none. */
  confidence: number;
}

/** A predictions sample, ready to draw. */
export interface PredictionsView {
  epoch: number;
  digits: DigitView[];
  /** Square, with counts of 0 or more; empty when the sample had none that reads as a matrix. */
  confusion: number[][];
  testCount: number;
  /** Digits left out because they could not be drawn. */
  skipped: number;
}

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
const side = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_DIGIT_SIDE ? v : undefined;
const numberOr = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

function digitView(value: unknown): DigitView | undefined {
  if (!isObject(value)) return undefined;
  const rows = side(value.rows);
  const cols = side(value.cols);
  if (rows === undefined || cols === undefined || !Array.isArray(value.pixels) || value.pixels.length !== rows * cols)
    return undefined;
  // Uint8ClampedArray rounds and clamps to 0..255, and turns anything not a number into 0.
  const pixels = Uint8ClampedArray.from(value.pixels as unknown[], (p) => numberOr(p, 0));
  const probabilities = Array.isArray(value.probabilities)
    ? (value.probabilities as unknown[]).slice(0, MAX_CLASSES).map((p) => numberOr(p, NaN))
    : [];
  const predicted = count(value.predicted);
  const confidence = probabilities[predicted];
  return {
    index: count(value.index),
    rows,
    cols,
    pixels,
    label: count(value.label),
    predicted,
    probabilities,
    confidence: Number.isFinite(confidence) ? confidence : 0,
  };
}

function confusionView(value: unknown): number[][] {
  if (!Array.isArray(value)) return [];
  const rows = value.slice(0, MAX_CLASSES);
  if (!rows.every((row) => Array.isArray(row) && row.length === rows.length)) return [];
  return rows.map((row: unknown[]) => row.map(count));
}

/** The view of `sample`, or undefined when there is nothing to draw (no sample, or not an object). */
export function predictionsView(sample: unknown): PredictionsView | undefined {
  if (!isObject(sample)) return undefined;
  const listed = Array.isArray(sample.digits) ? (sample.digits as unknown[]) : [];
  const digits = listed.slice(0, MAX_PREDICTED_DIGITS).flatMap((d) => digitView(d) ?? []);
  return {
    epoch: count(sample.epoch),
    digits,
    confusion: confusionView(sample.confusion),
    testCount: count(sample.testCount),
    skipped: listed.length - digits.length,
  };
}
