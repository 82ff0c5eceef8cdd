import type { LayerSpec } from '../config/labConfig';
import type { LayerStats } from '../train/metrics';
import type { LayerSignal } from './layerSignal';

/**
 * Layer signals from a training run's statistics, so the annotations can follow training with the same
 * thresholds as the probe. A run measures neither dead units nor one unit's formula, so those stay empty.
 */
export function signalsFromStats(stats: readonly LayerStats[], layers: readonly LayerSpec[]): LayerSignal[] {
  return stats.map((s) => ({
    layer: s.layer,
    units: layers[s.layer - 1]?.units ?? 0,
    activation: layers[s.layer - 1]?.activation ?? 'linear',
    deltaRms: s.deltaRms,
    gradNorm: s.gradNorm,
    weightNorm: s.weightNorm,
    deadShare: 0,
    finite: Number.isFinite(s.deltaRms) && Number.isFinite(s.gradNorm),
  }));
}
