import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Node 24 (VS Code's runtime) as scripts/e2e/install.sh leaves it, if it has run on this machine. */
export function node24(): string | undefined {
  const paths = join(homedir(), '.cache/dnn-lab-e2e/paths.json');
  if (!existsSync(paths)) return undefined;
  const node = (JSON.parse(readFileSync(paths, 'utf8')) as { node?: string }).node;
  return node && existsSync(node) ? node : undefined;
}
