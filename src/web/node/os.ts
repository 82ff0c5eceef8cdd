// node:os for the browser bundles: the machine facts the engine and host ask for, from what a browser tells.
// esbuild.mjs maps `node:os` here.

const navigatorInfo = (globalThis as { navigator?: { hardwareConcurrency?: number; platform?: string } }).navigator;

/** Logical cores the browser reports (navigator.hardwareConcurrency), at least 1. */
export function availableParallelism(): number {
  return Math.max(1, navigatorInfo?.hardwareConcurrency ?? 1);
}

export function cpus(): unknown[] {
  return Array.from({ length: availableParallelism() }, () => ({}));
}

/** There is no home folder in a browser: '/' so that `~` expands to a path that names nothing local. */
export function homedir(): string {
  return '/';
}

export function platform(): string {
  return 'browser';
}

export default { availableParallelism, cpus, homedir, platform };
