/** "m:ss" (or "h:mm:ss") for an ETA. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** Seconds left, extrapolated from the time so far and the fraction of batches done; undefined before any progress. */
export function estimateRemaining(
  elapsedSeconds: number,
  epoch: number,
  batch: number,
  batches: number,
  epochs: number,
): number | undefined {
  const done = (epoch - 1 + batch / batches) / epochs;
  return done > 0 ? (elapsedSeconds * (1 - done)) / done : undefined;
}
