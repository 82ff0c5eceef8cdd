import type { LayerSignal } from './layerSignal';

/** Where a layer's delta sits against the output layer's, on a log scale: the colour of its annotation. */
export type SignalBand = 'vanishing' | 'low' | 'healthy' | 'high' | 'exploding' | 'nonFinite';

/** A problem worth a Diagnostic, with what the quick fix may offer. */
export type SignalProblem =
  | { kind: 'nonFinite'; layer: number }
  | { kind: 'vanishing'; layer: number; ratio: number }
  | { kind: 'exploding'; layer: number; ratio: number }
  | { kind: 'deadUnits'; layer: number; share: number };

/**
 * Thresholds, as orders of magnitude of deltaRms^l / deltaRms^L. Two orders (x100) either way is where
 * the first layers learn a hundred times slower or faster than the last, which a few epochs make visible.
 */
export const SIGNAL_THRESHOLDS = {
  /** log10 ratio below which delta has vanished (warning). */
  vanishing: -2,
  /** log10 ratio below which delta is weakening (colour only). */
  low: -1,
  /** log10 ratio above which delta is growing (colour only). */
  high: 1,
  /** log10 ratio above which delta has exploded (warning). */
  exploding: 2,
  /** Share of units with zero delta on the whole batch from which a layer counts as dying (warning). */
  deadShare: 0.25,
} as const;

/** deltaRms^l / deltaRms^L: how much of the output layer's error signal reaches layer l. */
export function signalRatio(layer: Pick<LayerSignal, 'deltaRms'>, output: Pick<LayerSignal, 'deltaRms'>): number {
  return layer.deltaRms / output.deltaRms;
}

/** The colour band of one layer, given the output layer. */
export function signalBand(
  layer: Pick<LayerSignal, 'deltaRms' | 'finite'>,
  output: Pick<LayerSignal, 'deltaRms' | 'finite'>,
): SignalBand {
  if (!layer.finite || !output.finite || !Number.isFinite(layer.deltaRms)) return 'nonFinite';
  if (output.deltaRms === 0) return layer.deltaRms === 0 ? 'healthy' : 'exploding';
  if (layer.deltaRms === 0) return 'vanishing';
  const orders = Math.log10(signalRatio(layer, output));
  const t = SIGNAL_THRESHOLDS;
  if (orders < t.vanishing) return 'vanishing';
  if (orders < t.low) return 'low';
  if (orders > t.exploding) return 'exploding';
  if (orders > t.high) return 'high';
  return 'healthy';
}

/** Every problem in a probe's layers, in layer order; the output layer is the reference, so only its NaN/Inf counts. */
export function signalProblems(layers: readonly LayerSignal[]): SignalProblem[] {
  const output = layers[layers.length - 1];
  if (output === undefined) return [];
  const problems: SignalProblem[] = [];
  for (const layer of layers) {
    const band = signalBand(layer, output);
    if (band === 'nonFinite') {
      problems.push({ kind: 'nonFinite', layer: layer.layer });
      continue;
    }
    if (layer !== output && (band === 'vanishing' || band === 'exploding')) {
      problems.push({ kind: band, layer: layer.layer, ratio: signalRatio(layer, output) });
    }
    if (layer.deadShare >= SIGNAL_THRESHOLDS.deadShare)
      problems.push({ kind: 'deadUnits', layer: layer.layer, share: layer.deadShare });
  }
  return problems;
}
