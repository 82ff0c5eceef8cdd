import type { Node as JsonNode } from 'jsonc-parser';
import type { ConfigChecker } from './configChecker';
import type { DatasetSpec } from './labConfig';
import { DATASET_KEYS } from './labConfigFormat';

const EXPECTED = '"mnist" or an object { "path": "<folder with the four MNIST IDX files>" }';

/** Reads `dataset`: "mnist", or `{ "path": ... }` naming a folder with the four IDX files (.gz or raw). */
export function readDataset(checker: ConfigChecker, node: JsonNode, path: string): DatasetSpec | undefined {
  if (node.type === 'string') {
    return checker.oneOf(node, path, ['mnist'], EXPECTED) && { kind: 'mnist' };
  }
  if (node.type !== 'object') return checker.wrongValue(node, path, EXPECTED);
  const fields = checker.object(node, path, DATASET_KEYS);
  const folder = checker.required(
    fields,
    'path',
    'the folder with the four IDX files (training and test images and labels, .gz or raw)',
    (n, p) => checker.nonEmptyString(n, p),
  );
  return folder === undefined ? undefined : { kind: 'path', path: folder };
}
