import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Environment variable naming a folder that holds the four MNIST files. */
export const DATA_FOLDER_ENV = 'DNN_LAB_DATA';

/** The places a user can name a data folder; empty strings count as unset (a VS Code setting defaults to ""). */
export interface DataFolderChoices {
  /** The CLI's --data DIR. */
  readonly flag?: string;
  /** The dnnLab.dataFolder setting. */
  readonly setting?: string;
}

/**
 * The folder the user chose, or undefined to use the cache: the --data flag wins, then DNN_LAB_DATA,
 * then the dnnLab.dataFolder setting (the more specific to this one run, the higher). Returned as given;
 * the caller resolves relative paths against its own base (cwd or workspace folder).
 */
export function explicitDataFolder(
  choices: DataFolderChoices,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return [choices.flag, env[DATA_FOLDER_ENV], choices.setting].map((dir) => dir?.trim()).find((dir) => !!dir);
}

/** The cache folder for downloads: $XDG_CACHE_HOME/dnn-lab/mnist, or ~/.cache/dnn-lab/mnist when that is unset. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.cache');
  return join(base, 'dnn-lab', 'mnist');
}
