import type { Node as JsonNode } from 'jsonc-parser';
import type { SourceRange } from './configError';
import { childPath } from './configPath';

/** Where each part of a lab config is written, for diagnostics and layer annotations; known even when the config has errors. */
export interface ConfigRanges {
  /** Every property value and array element by path, e.g. "optimizer.learningRate", "layers[0]", "layers[0].activation". */
  fields: Map<string, SourceRange>;
  /** Each element of `layers`, in order, so index i is layer i. */
  layers: SourceRange[];
}

/** The ranges of every value under `root` (as far as the text parses) and of each entry of its `layers`. */
export function collectConfigRanges(root: JsonNode | undefined): ConfigRanges {
  const fields = new Map<string, SourceRange>();
  if (root !== undefined) collectValues(root, '', fields);
  const layersNode = root?.type === 'object' ? firstPropertyValue(root, 'layers') : undefined;
  const layers = layersNode?.type === 'array' ? (layersNode.children ?? []).map(rangeOf) : [];
  return { fields, layers };
}

function collectValues(node: JsonNode, path: string, fields: Map<string, SourceRange>): void {
  const children = node.children ?? [];
  if (node.type === 'object') {
    for (const property of children) {
      const [key, value] = property.children ?? [];
      if (key === undefined || value === undefined) continue; // "key": with no value is a syntax error, reported elsewhere
      const valuePath = childPath(path, String(key.value));
      // The first of duplicated keys is the one the validator reads; the later ones are reported as duplicates.
      if (fields.has(valuePath)) continue;
      fields.set(valuePath, rangeOf(value));
      collectValues(value, valuePath, fields);
    }
  } else if (node.type === 'array') {
    children.forEach((element, index) => {
      const elementPath = childPath(path, index);
      fields.set(elementPath, rangeOf(element));
      collectValues(element, elementPath, fields);
    });
  }
}

/** The value of `key` in `object`, the first when the key is written twice (the one the validator reads). */
export function firstPropertyValue(object: JsonNode, key: string): JsonNode | undefined {
  return object.children?.find((property) => property.children?.[0]?.value === key)?.children?.[1];
}

function rangeOf(node: JsonNode): SourceRange {
  return { offset: node.offset, length: node.length };
}
