import { join } from 'node:path';
import { makeMnistData, makeSplit, type MnistData } from './dataset';
import { DataError } from './errors';
import { nodeFileSystem, type DataFileSystem } from './fileSystem';
import { decodeIdx } from './idx';
import { localCopyHint, MNIST_FILES, type MnistFile } from './mnistFiles';

/** One MNIST file's bytes, gzip or raw, and where they were read from (for error messages). */
export interface MnistFileBytes {
  readonly file: MnistFile;
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** How many folder entries a missing-files error lists, so pointing at a big folder gives a readable message. */
const LISTED_ENTRIES = 12;

/** Decodes the four files (in MNIST_FILES order) into the train and test splits. */
export async function decodeMnist(files: readonly MnistFileBytes[]): Promise<MnistData> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    files.map(({ file, path, bytes }) => decodeIdx(bytes, path, file.kind)),
  );
  const [trainImagesPath, trainLabelsPath, testImagesPath, testLabelsPath] = files.map((f) => f.path);
  const train = makeSplit(trainImages, trainLabels, trainImagesPath, trainLabelsPath);
  const test = makeSplit(testImages, testLabels, testImagesPath, testLabelsPath);
  return makeMnistData(train, test, testImagesPath);
}

/** Loads MNIST-format IDX files from a folder, under their .gz names or their uncompressed ones. */
export async function loadIdxFolder(dir: string, fs: DataFileSystem = nodeFileSystem): Promise<MnistData> {
  const entries = await fs.readdir(dir);
  if (entries === undefined) {
    throw new DataError('folder-not-found', `The data folder ${dir} does not exist. ${localCopyHint()}`, dir);
  }
  const present = new Set(entries);
  const chosen = MNIST_FILES.map((file) => [file.name, ...file.rawNames].find((name) => present.has(name)));
  const missing = MNIST_FILES.filter((_, i) => chosen[i] === undefined);
  if (missing.length > 0) throw missingFilesError(dir, missing, entries);

  const files = await Promise.all(
    MNIST_FILES.map(async (file, i) => {
      const path = join(dir, chosen[i] as string);
      const bytes = await fs.readFile(path);
      if (bytes === undefined) throw missingFilesError(dir, [file], entries);
      return { file, path, bytes };
    }),
  );
  return decodeMnist(files);
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
