import { join } from 'node:path';
import { makeMnistData, makeSplit, type MnistData } from './dataset';
import { DataError, describeFileError, errnoOf } from './errors';
import { nodeFileSystem, type DataFileSystem, type PathInfo } from './fileSystem';
import { decodeIdx, readIdx, type IdxArray } from './idx';
import { localCopyHint, MNIST_FILES, type MnistFile } from './mnistFiles';
import { readError, statRegularFile } from './regularFile';

/** One MNIST file's bytes, gzip or raw, and where they were read from (for error messages). */
export interface MnistFileBytes {
  readonly file: MnistFile;
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Where a data folder comes from, so its errors point at what the user wrote. */
export interface IdxFolderOptions {
  readonly fs?: DataFileSystem;
  /** The config field that named the folder ("dataset.path"); unset for --data, DNN_LAB_DATA or dnnLab.dataFolder. */
  readonly field?: string;
}

/** How many folder entries a missing-files error lists, so pointing at a big folder gives a readable message. */
const LISTED_ENTRIES = 12;

/** Decodes the four files (in MNIST_FILES order) into the train and test splits. */
export async function decodeMnist(files: readonly MnistFileBytes[]): Promise<MnistData> {
  const arrays = await Promise.all(files.map(({ file, path, bytes }) => decodeIdx(bytes, path, file.kind)));
  return assembleMnist(
    arrays,
    files.map((f) => f.path),
  );
}

/** Pairs the four parsed files (in MNIST_FILES order) into the train and test splits, checking they fit. */
function assembleMnist(arrays: readonly IdxArray[], paths: readonly string[]): MnistData {
  const [trainImages, trainLabels, testImages, testLabels] = arrays;
  const [trainImagesPath, trainLabelsPath, testImagesPath, testLabelsPath] = paths;
  const train = makeSplit(trainImages, trainLabels, trainImagesPath, trainLabelsPath);
  const test = makeSplit(testImages, testLabels, testImagesPath, testLabelsPath);
  return makeMnistData(train, test, testImagesPath);
}

/**
 * Loads MNIST-format IDX files from a folder, under their .gz names or their uncompressed ones. Only regular
 * files are read, each no further than its IDX header promises; every failure is a DataError naming the path
 * and the fix, prefixed with `options.field` when the folder came from a config.
 */
export async function loadIdxFolder(dir: string, options: IdxFolderOptions = {}): Promise<MnistData> {
  const { fs = nodeFileSystem, field } = options;
  try {
    return await readFolder(dir, fs, field);
  } catch (err) {
    if (field === undefined || !(err instanceof DataError) || err.field !== undefined) throw err;
    throw new DataError(err.code, `${field}: ${err.message}`, err.file, field);
  }
}

async function readFolder(dir: string, fs: DataFileSystem, field: string | undefined): Promise<MnistData> {
  const entries = await listFolder(dir, fs, field);
  const present = new Set(entries);
  const chosen = MNIST_FILES.map((file) => [file.name, ...file.rawNames].find((name) => present.has(name)));
  const missing = MNIST_FILES.filter((_, i) => chosen[i] === undefined);
  if (missing.length > 0) throw missingFilesError(dir, missing, entries);

  const paths = chosen.map((name) => join(dir, name as string));
  // Every file is checked before any is read, so a FIFO or a loop is reported at once, not after 47 MB.
  const infos = await Promise.all(
    MNIST_FILES.map((file, i) =>
      statRegularFile(
        fs,
        paths[i],
        `replace it with the MNIST file ${file.name} (or ${file.rawNames.join(' or ')})`,
        true,
      ),
    ),
  );
  const arrays = await Promise.all(
    MNIST_FILES.map(async (file, i) => {
      try {
        return await readIdx(fs.readChunks(paths[i]), paths[i], file.kind, (infos[i] as PathInfo).size);
      } catch (err) {
        throw readError(err, paths[i]);
      }
    }),
  );
  return assembleMnist(arrays, paths);
}

/** The names in the data folder, or a DataError saying why `dir` is not a folder that can be listed. */
async function listFolder(dir: string, fs: DataFileSystem, field: string | undefined): Promise<string[]> {
  const fix = field === undefined ? localCopyHint() : `set ${field} to the folder holding the four MNIST files.`;
  // For a config, the message starts with the field and says what it points to (the brief's wording).
  const fail = (code: 'folder-not-found' | 'not-a-folder' | 'unreadable', problem: string): DataError =>
    new DataError(
      code,
      field === undefined
        ? `The data folder ${dir} ${problem}. ${fix}`
        : `${field} points to ${dir}, which ${problem}; ${fix}`,
      dir,
      field,
    );
  let info: PathInfo | undefined;
  try {
    info = await fs.stat(dir);
  } catch (err) {
    throw fail(errnoOf(err) === 'ENOTDIR' ? 'folder-not-found' : 'unreadable', describeFileError(err));
  }
  if (info === undefined) throw fail('folder-not-found', 'does not exist');
  if (info.kind === 'file') {
    throw new DataError(
      'not-a-folder',
      field === undefined
        ? `The data folder ${dir} is a file, not a folder. ${fix}`
        : `${field} points to a file, not a folder: ${dir}; ${fix}`,
      dir,
      field,
    );
  }
  if (info.kind !== 'folder') throw fail('not-a-folder', `is a ${info.kind}, not a folder`);
  try {
    const entries = await fs.readdir(dir);
    if (entries === undefined) throw fail('folder-not-found', 'does not exist');
    return entries;
  } catch (err) {
    throw err instanceof DataError ? err : fail('unreadable', describeFileError(err));
  }
}

function missingFilesError(dir: string, missing: readonly MnistFile[], entries: readonly string[]): DataError {
  const wanted = missing.map((f) => `${f.name} (or ${f.rawNames.join(' or ')})`).join(', ');
  const sorted = [...entries].sort();
  const shown = sorted.slice(0, LISTED_ENTRIES).join(', ');
  const more = sorted.length > LISTED_ENTRIES ? ` and ${sorted.length - LISTED_ENTRIES} more` : '';
  const found = sorted.length === 0 ? 'the folder is empty' : `found: ${shown}${more}`;
  return new DataError(
    'missing-files',
    `The data folder ${dir} lacks ${wanted}; ${found}. It needs the four MNIST files: ${MNIST_FILES.map((f) => f.name).join(', ')} ` +
      'or the same names without .gz.',
    dir,
  );
}
