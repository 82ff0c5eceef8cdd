import type { LayerSignal } from '../engine/probe/layerSignal';
import type { ProbeFingerprint } from '../engine/probe/layerAnchors';

/** Where the numbers came from: the probe at initialization, or a training run's statistics. */
export type SignalSource =
  | { kind: 'probe'; kernels: string; millis: number; batchSize: number; seed: number }
  | { kind: 'training'; epoch: number; batch?: number };

/** One set of readings for every layer, and the text they were measured on. */
export interface SignalSnapshot {
  layers: LayerSignal[];
  source: SignalSource;
  fingerprint: ProbeFingerprint;
}

// Enough history for a sparkline to show a trend, short enough to read at a glance.
const HISTORY = 16;

/** The signals of one config document: the latest snapshot and each layer's recent history. */
export class DocumentSignals {
  latest?: SignalSnapshot;
  /** Per layer (index 0 = layer 1): deltaRms then gradNorm readings, oldest first. */
  readonly history: { deltaRms: number[]; gradNorm: number[] }[] = [];

  /** Adds a snapshot; a change in the number of layers starts the history afresh, since layer l is another layer now. */
  record(snapshot: SignalSnapshot): void {
    if (this.history.length !== snapshot.layers.length) {
      this.history.length = 0;
      for (let i = 0; i < snapshot.layers.length; i++) this.history.push({ deltaRms: [], gradNorm: [] });
    }
    snapshot.layers.forEach((layer, i) => {
      const h = this.history[i];
      h.deltaRms.push(layer.deltaRms);
      h.gradNorm.push(layer.gradNorm);
      if (h.deltaRms.length > HISTORY) h.deltaRms.shift();
      if (h.gradNorm.length > HISTORY) h.gradNorm.shift();
    });
    this.latest = snapshot;
  }
}
