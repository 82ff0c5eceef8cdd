// How long a run has left, as the status bar and the CLI's progress line both show it.

/** "m:ss", or "h:mm:ss" from an hour on; "--:--" while unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** Batches the pace must be measured over before an ETA is shown. */
export const ETA_MIN_BATCHES = 3;
/** Seconds the pace must be measured over before an ETA is shown. */
export const ETA_MIN_SECONDS = 2;

/**
 * Seconds left in a run, from the pace since the first batch it saw ended. The time before that (loading MNIST and
 * the kernels, warming up) says nothing about the rest: counting it made a 4-20 s run's first ETA read 19:34 or
 * 1:03:23. Undefined until the pace was measured over ETA_MIN_BATCHES batches and ETA_MIN_SECONDS seconds.
 */
export class RemainingTime {
  private first?: { step: number; seconds: number };

  /** `totalSteps`: every batch of the run, epochs × batches per epoch. */
  constructor(private readonly totalSteps: number) {}

  /** After batch `step` (counted from 1 across epochs) ended at `seconds` on any clock: the seconds left, if known. */
  update(step: number, seconds: number): number | undefined {
    if (!this.first || step < this.first.step) {
      this.first = { step, seconds };
      return undefined;
    }
    const steps = step - this.first.step;
    const elapsed = seconds - this.first.seconds;
    if (steps < ETA_MIN_BATCHES || elapsed < ETA_MIN_SECONDS) return undefined;
    return (elapsed / steps) * Math.max(0, this.totalSteps - step);
  }
}
