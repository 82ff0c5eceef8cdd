/**
 * Practice exercises: a small network, its forward pass from the engine, and the steps a student computes by
 * hand (softmax, loss, every δ back to layer 1, chosen gradient entries), each with the right answer and the
 * wrong answers the usual mistakes give. Seed 0 is the lesson's own network; every other seed draws a new one.
 * Pure: no DOM, no vscode.
 */
import { runLessonNetwork, type LessonNetworkData, type NetworkPass } from '../lessonNetwork';
import { seededRandom, type Random } from '../model/random';
import {
  derivationNumbers,
  derive,
  roundTo,
  MISTAKE_IDS,
  mistakeApplies,
  type DerivationNumbers,
  type MistakeId,
  type StepShape,
} from './derivation';

/** The lessons that have practice: 7-1 (sigmoid output, mean squared error), 7-3 (softmax, cross-entropy). */
export type PracticeLesson = '7-1' | '7-3';

/** The hidden activations an exercise can draw. */
export const PRACTICE_ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;
export type PracticeActivation = (typeof PRACTICE_ACTIVATIONS)[number];

/** The decimals the page prints and the checker asks for. */
export const PRACTICE_DECIMALS = 4;
/**
 * How far an answer may be from a value and still equal it: one unit of the last decimal shown. A student who
 * computes from the printed (rounded) numbers lands within it; the checker also compares against the numbers
 * as printed, so rounding in the inputs does not count against them.
 */
export const PRACTICE_TOLERANCE = 1e-4;

/** One step of an exercise. */
export interface PracticeStep extends StepShape {
  /** Stable within an exercise: "softmax", "loss", "delta-2", "dW-2", "db-2". */
  id: string;
  /** The engine's exact value, entry by entry. */
  exact: number[];
  /** The same derivation from the numbers as the page prints them. */
  printed: number[];
  /** Each mistake possible here that gives a different answer, computed both ways. */
  mistakes: { id: MistakeId; exact: number[]; printed: number[] }[];
}

/** A whole exercise. */
export interface PracticeExercise {
  lesson: PracticeLesson;
  seed: number;
  network: LessonNetworkData;
  pass: NetworkPass;
  /** The numbers the page prints: the engine's, rounded to PRACTICE_DECIMALS. */
  printed: DerivationNumbers;
  steps: PracticeStep[];
}

/** What a new exercise is drawn with; the hover of a layer asks for that layer's activation. */
export interface ExerciseOptions {
  hiddenActivation?: PracticeActivation;
}

/** The exercise for `seed`: the lesson's network for seed 0, a newly drawn one for any other. */
export function practiceExercise(
  lesson: PracticeLesson,
  lessonNetwork: LessonNetworkData,
  seed: number,
  options: ExerciseOptions = {},
): PracticeExercise {
  if (seed === 0 && (options.hiddenActivation === undefined || usesOnly(lessonNetwork, options.hiddenActivation)))
    return build(lesson, 0, lessonNetwork, { dropColliding: true })!;
  // Draw until every mistake is told apart from the right answer; nearly every draw passes at once.
  for (let attempt = 0; attempt < 200; attempt++) {
    const network = drawNetwork(lesson, seededRandom(seed, attempt), options);
    if (network === undefined) continue;
    const exercise = build(lesson, seed, network, { dropColliding: false });
    if (exercise) return exercise;
  }
  throw new Error(`no practice exercise for seed ${seed}: every draw had a mistake that gives the right answer`);
}

function usesOnly(network: LessonNetworkData, activation: PracticeActivation): boolean {
  return network.layers.slice(0, -1).every((l) => l.activation === activation);
}

/** Layer sizes (input to output) an exercise can have; each has a square W for "W instead of Wᵀ". */
const SHAPES: Record<PracticeLesson, number[][]> = {
  '7-1': [
    [2, 3, 3, 2],
    [3, 2, 2, 2],
    [2, 2, 2],
  ],
  '7-3': [
    [2, 3, 3],
    [3, 3, 3],
    [2, 2, 3, 3],
  ],
};

/** A random network with one-decimal inputs, weights and biases; ReLU layers get at least one dead unit. */
function drawNetwork(lesson: PracticeLesson, random: Random, options: ExerciseOptions): LessonNetworkData | undefined {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)];
  const tenth = (lo: number, hi: number) => Math.round((lo + random.next() * (hi - lo)) * 10) / 10;
  const sizes = pick(SHAPES[lesson]);
  const hidden = options.hiddenActivation ?? pick(PRACTICE_ACTIVATIONS);
  const input = sizes.slice(0, 1).flatMap((n) => Array.from({ length: n }, () => tenth(-1, 1)));
  if (input.every((v) => v === 0)) return undefined;
  const outputs = sizes[sizes.length - 1];
  const hot = Math.floor(random.next() * outputs);
  const target = Array.from({ length: outputs }, (_, i) => (i === hot ? 1 : 0));
  const layers: LessonNetworkData['layers'] = sizes.slice(1).map((units, l) => ({
    activation: l === sizes.length - 2 ? (lesson === '7-3' ? 'softmax' : 'sigmoid') : hidden,
    W: Array.from({ length: units }, () => Array.from({ length: sizes[l] }, () => tenth(-1, 1))),
    b: Array.from({ length: units }, () => tenth(-0.5, 0.5)),
  }));
  return {
    input,
    target,
    loss: lesson === '7-3' ? 'categoricalCrossentropy' : 'meanSquaredError',
    layers,
  };
}

/** The exercise's steps, or undefined when a drawn network does not make a fair exercise. */
function build(
  lesson: PracticeLesson,
  seed: number,
  network: LessonNetworkData,
  { dropColliding }: { dropColliding: boolean },
): PracticeExercise | undefined {
  const pass = runLessonNetwork(network);
  const exact = derivationNumbers(network, pass);
  const printed = derivationNumbers(network, pass, PRACTICE_DECIMALS);
  const L = network.layers.length;
  if (!dropColliding) {
    for (let l = 1; l < L; l++) {
      const z = pass.layers[l - 1].z;
      // A z next to ReLU's kink, or a ReLU layer without a dead unit, makes σ′ ambiguous or invisible.
      if (network.layers[l - 1].activation === 'relu' && (z.some((v) => Math.abs(v) < 0.05) || z.every((v) => v > 0)))
        return undefined;
    }
    // Very small error signals make every mistake look like the right answer at 4 decimals.
    if (pass.layers.some((layer) => layer.delta.every((d) => Math.abs(d) < 5e-3))) return undefined;
  }
  const shapes: StepShape[] = [];
  if (network.layers[L - 1].activation === 'softmax') shapes.push({ kind: 'softmax', layer: L });
  shapes.push({ kind: 'loss', layer: L });
  const random = seededRandom(seed, 1000);
  for (let l = L; l >= 1; l--) {
    shapes.push({ kind: 'delta', layer: l });
    const weight = pickWeightEntry(exact, printed, l, random);
    if (weight === undefined) {
      if (!dropColliding) return undefined;
      shapes.push({ kind: 'weightGradient', layer: l, i: 0, j: 0 });
    } else shapes.push(weight);
    shapes.push({ kind: 'biasGradient', layer: l, i: pickBiasEntry(pass, l, random) });
  }
  const steps: PracticeStep[] = [];
  for (const shape of shapes) {
    const step = makeStep(exact, printed, shape);
    if (!dropColliding && !step.all.every((m) => distinct(m, step))) return undefined;
    // On a lesson's own network, keep each mistake whose answer, as typed to 4 decimals, is not the right one.
    const kept = dropColliding ? step.all.filter((m) => visible(m, step)) : step.all;
    steps.push({ ...shape, id: stepId(shape), exact: step.exact, printed: step.printed, mistakes: kept });
  }
  return { lesson, seed, network, pass, printed, steps };
}

/** The step's id, the same for the same step in every exercise of one shape. */
export function stepId(shape: StepShape): string {
  switch (shape.kind) {
    case 'softmax':
    case 'loss':
      return shape.kind;
    case 'delta':
      return `delta-${shape.layer}`;
    case 'weightGradient':
      return `dW-${shape.layer}`;
    case 'biasGradient':
      return `db-${shape.layer}`;
  }
}

function makeStep(exact: DerivationNumbers, printed: DerivationNumbers, shape: StepShape) {
  return {
    exact: derive(exact, shape),
    printed: derive(printed, shape),
    all: MISTAKE_IDS.filter((id) => mistakeApplies(exact, shape, id)).map((id) => ({
      id,
      exact: derive(exact, shape, id),
      printed: derive(printed, shape, id),
    })),
  };
}

/** A mistake is told apart when, in some entry, no answer can be within tolerance of both it and the right one. */
function distinct(
  mistake: { exact: number[]; printed: number[] },
  right: { exact: number[]; printed: number[] },
): boolean {
  return mistake.exact.some((_, e) =>
    [mistake.exact[e], mistake.printed[e]].every((m) =>
      [right.exact[e], right.printed[e]].every((r) => !(Math.abs(m - r) <= 2 * PRACTICE_TOLERANCE + 1e-12)),
    ),
  );
}

/** The mistake's answer, typed with the decimals the page prints, is not within tolerance of the right one. */
function visible(
  mistake: { exact: number[]; printed: number[] },
  right: { exact: number[]; printed: number[] },
): boolean {
  return [mistake.exact, mistake.printed].every((values) =>
    values.some((v, e) =>
      [right.exact[e], right.printed[e]].every(
        (r) => !(Math.abs(roundTo(v, PRACTICE_DECIMALS) - r) <= PRACTICE_TOLERANCE + 1e-9),
      ),
    ),
  );
}

/** A weight entry (i, j) of layer l whose gradient every possible mistake changes; seeded order. */
function pickWeightEntry(
  exact: DerivationNumbers,
  printed: DerivationNumbers,
  l: number,
  random: Random,
): StepShape | undefined {
  const W = exact.network.layers[l - 1].W;
  const candidates = W.flatMap((row, i) => row.map((_, j) => ({ i, j })));
  for (const { i, j } of shuffle(candidates, random)) {
    const shape: StepShape = { kind: 'weightGradient', layer: l, i, j };
    const step = makeStep(exact, printed, shape);
    if (Math.abs(step.exact[0]) < 1e-3) continue;
    if (step.all.every((m) => distinct(m, step))) return shape;
  }
  return undefined;
}

/** A bias entry of layer l, preferring a unit whose δ is not zero. */
function pickBiasEntry(pass: NetworkPass, l: number, random: Random): number {
  const delta = pass.layers[l - 1].delta;
  const live = delta.map((d, i) => ({ d, i })).filter(({ d }) => Math.abs(d) >= 1e-3);
  const from = live.length > 0 ? live : delta.map((d, i) => ({ d, i }));
  return from[Math.floor(random.next() * from.length)].i;
}

function shuffle<T>(items: T[], random: Random): T[] {
  const out = [...items];
  for (let k = out.length - 1; k > 0; k--) {
    const m = Math.floor(random.next() * (k + 1));
    [out[k], out[m]] = [out[m], out[k]];
  }
  return out;
}
