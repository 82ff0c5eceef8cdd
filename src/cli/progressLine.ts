import { formatDuration } from '../engine/eta';

/** Where training stands, for the one-line progress display. */
export interface Progress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  /** Seconds left (src/engine/eta.ts), undefined while not yet known. */
  remaining: number | undefined;
}

/** "epoch 3/20 [######--------------] 31%  batch 62/200  loss 0.2345  ETA 1:23", fitting `width` columns. */
export function progressLine(p: Progress, width: number): string {
  const done = (p.epoch - 1) * p.batches + p.batch;
  const total = p.epochs * p.batches;
  const fraction = done / total;
  const text = `  ${Math.round(fraction * 100)}%  batch ${p.batch}/${p.batches}  loss ${p.loss.toFixed(4)}  ETA ${formatDuration(p.remaining ?? NaN)}`;
  const head = `epoch ${p.epoch}/${p.epochs} `;
  const barWidth = Math.max(10, Math.min(30, width - head.length - text.length - 2));
  const filled = Math.round(fraction * barWidth);
  return `${head}[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${text}`.slice(0, Math.max(width - 1, 20));
}
