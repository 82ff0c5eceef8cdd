import type { IdxKind } from './idx';

/** One of the four canonical MNIST files. */
export interface MnistFile {
  readonly split: 'train' | 'test';
  readonly kind: IdxKind;
  /** The gzip name used by the mirrors and the cache. */
  readonly name: string;
  /** Names a local folder may use instead, uncompressed: the original one and the common dotted variant. */
  readonly rawNames: readonly string[];
  /** Size of the gzip file, known in advance so a wrong download is caught before it is read whole. */
  readonly bytes: number;
  /** SHA-256 of the gzip file, as TensorFlow Datasets publishes it (url_checksums/mnist.txt). */
  readonly sha256: string;
}

/** The four files, in the order training images, training labels, test images, test labels. */
export const MNIST_FILES: readonly MnistFile[] = [
  {
    split: 'train',
    kind: 'images',
    name: 'train-images-idx3-ubyte.gz',
    rawNames: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
    bytes: 9_912_422,
    sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
  },
  {
    split: 'train',
    kind: 'labels',
    name: 'train-labels-idx1-ubyte.gz',
    rawNames: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
    bytes: 28_881,
    sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
  },
  {
    split: 'test',
    kind: 'images',
    name: 't10k-images-idx3-ubyte.gz',
    rawNames: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
    bytes: 1_648_877,
    sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
  },
  {
    split: 'test',
    kind: 'labels',
    name: 't10k-labels-idx1-ubyte.gz',
    rawNames: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
    bytes: 4_542,
    sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
  },
];

/** Public mirrors tried in order: the one TensorFlow Datasets uses, then torchvision's. */
export const MNIST_MIRRORS: readonly string[] = [
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
];

/** The ways to name a local copy of MNIST, as the data errors say them; {@link inEditorTerms} says them in the editor's. */
export const LOCAL_COPY_WAYS =
  'the --data DIR flag of the CLI, the DNN_LAB_DATA environment variable, or the dnnLab.dataFolder setting';

/** The same in the editor's terms: its setting, and the command that sets it in whatever window the student is in. */
const EDITOR_WAYS =
  'the dnnLab.dataFolder setting (the command "DNN Lab: Set the MNIST Folder…" picks the folder and saves it where this window reads it)';

/** A data error's message as the editor shows it: the CLI's flag and environment variable become the setting and its command. */
export function inEditorTerms(message: string): string {
  return message.split(LOCAL_COPY_WAYS).join(EDITOR_WAYS);
}

/** How to point DNN Lab at a local copy, for errors raised when MNIST can be neither found nor downloaded. */
export function localCopyHint(): string {
  const names = MNIST_FILES.map((f) => f.name).join(', ');
  return (
    `To use a local copy, put the four MNIST files (${names}; uncompressed names without .gz work too) ` +
    `in a folder and point DNN Lab at it with ${LOCAL_COPY_WAYS}.`
  );
}
