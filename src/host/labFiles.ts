import * as path from 'node:path';
import { RUNS_FOLDER } from '../engine/record/runHistory';

// Lab config files: which documents are lab files, and the folders their runs and data count from. Plain Node:
// tested without VS Code.

/** The file name pattern of lab configs, for document selectors, file watchers and searches. */
export const LAB_FILE_PATTERN = '**/*.dnn.json';

/**
 * Whether a URI names a lab config, by its file name and whatever its scheme: a file in or outside the workspace,
 * an untitled document that has a name (`code new.dnn.json`), a side of a diff. Matches what LAB_FILE_PATTERN does.
 */
export function isLabFile(uri: { readonly path: string }): boolean {
  return uri.path.endsWith('.dnn.json');
}

/** Where a lab file sits among the window's folders, as plain paths. */
export interface LabFilePlace {
  /** The workspace folder that holds the file, if any. */
  readonly workspaceFolder?: string;
  /** The window's first workspace folder, if the window has a folder open. */
  readonly firstWorkspaceFolder?: string;
  /** The file's path on disk; undefined for an untitled or virtual document. */
  readonly file?: string;
}

/**
 * The folder that keeps a lab file's runs: `.dnnlab/runs` of its workspace folder. A file in no workspace folder
 * (File > Open File) keeps them in its own folder, where the student finds them and where they show up again once
 * that folder is opened; an untitled document in the first workspace folder, else in `storage` (the extension's).
 */
export function runsFolder(place: LabFilePlace, storage: string): string {
  const base =
    place.workspaceFolder ??
    (place.file !== undefined ? path.dirname(place.file) : undefined) ??
    place.firstWorkspaceFolder ??
    storage;
  return path.join(base, RUNS_FOLDER);
}

/**
 * The absolute folder a chosen data folder (dnnLab.dataFolder or DNN_LAB_DATA) names: `~` is the home folder; a
 * relative path counts from the file's workspace folder, else the window's first one (where a workspace setting
 * was written), and with no folder open from the file's own folder, else from the home folder.
 */
export function absoluteDataFolder(chosen: string, place: LabFilePlace, home: string): string {
  const expanded = chosen.startsWith('~') ? path.join(home, chosen.slice(1)) : chosen;
  if (path.isAbsolute(expanded)) return expanded;
  const base =
    place.workspaceFolder ?? place.firstWorkspaceFolder ?? (place.file !== undefined ? path.dirname(place.file) : home);
  return path.join(base, expanded);
}
