/** The data layer: IDX parsing, the MNIST dataset and batches, and finding, downloading and caching MNIST. */
export { createBatchBuffers, fillBatch, fillPixels, scalePixels, type BatchBuffers } from './batch';
export { CLASSES, type MnistData, type MnistSplit } from './dataset';
export type { ProgressCallback, Timers } from './download';
export { DataError, type DataErrorCode } from './errors';
export { nodeFileSystem, type DataFileSystem, type PathInfo, type PathKind } from './fileSystem';
export { loadIdxFolder, type IdxFolderOptions } from './folder';
export { nodeHttpClient, type HttpClient, type HttpResponse } from './httpClient';
export { decodeIdx, MAX_IDX_DATA_BYTES, parseIdx, readIdx, type IdxArray, type IdxKind } from './idx';
export { DATA_FOLDER_ENV, defaultCacheDir, explicitDataFolder, type DataFolderChoices } from './locations';
export { loadMnist, type LoadedMnist, type LoadMnistOptions } from './mnist';
export { inEditorTerms, MNIST_FILES, MNIST_MIRRORS, type MnistFile } from './mnistFiles';
