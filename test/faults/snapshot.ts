import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Each path under `root` with what it is (not following links): a file's size and change time, a link's target. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const key = relative(root, path);
      if (st.isSymbolicLink()) out.set(key, `link -> ${readlinkSync(path)}`);
      else if (st.isDirectory()) {
        out.set(key, 'folder');
        walk(path);
      } else if (st.isFIFO()) out.set(key, 'FIFO');
      else out.set(key, `file ${st.size} bytes, changed ${st.ctimeMs}`);
    }
  };
  walk(root);
  return out;
}

/** What differs between two snapshots: paths gone, changed or new. */
export function snapshotChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [path, what] of before) {
    if (!after.has(path)) changes.push(`deleted ${path} (${what})`);
    else if (after.get(path) !== what) changes.push(`changed ${path}: ${what} -> ${after.get(path)}`);
  }
  for (const [path, what] of after) if (!before.has(path)) changes.push(`created ${path} (${what})`);
  return changes;
}
