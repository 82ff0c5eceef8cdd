import { availableParallelism } from 'node:os';

/**
 * Threads for a training run when the user leaves it to us: one per core, as PyTorch takes, up to 4
 * (the products of Corelab-sized networks stop gaining beyond that), less `spare` cores left to others.
 * VS Code keeps one for its window: measured in code-server on 2 cores, a second training thread
 * competing with the window made Corelab 1 slower (37 s of epochs against 27 s) and the window laggier.
 */
export function automaticThreads(spare = 0): number {
  return Math.max(1, Math.min(4, availableParallelism() - spare));
}
