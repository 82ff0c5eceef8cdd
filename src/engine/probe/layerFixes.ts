import type { SourceRange } from '../config/configError';
import type { ConfigRanges } from '../config/configRanges';
import { CONFIG_DEFAULTS } from '../config/labConfigFormat';

/** One replacement in the config text; insertions have length 0. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

/**
 * Edits that set fields of layer `index` (0-based) to JSON values: a field already written gets its value
 * replaced, a missing one is appended after the layer's last field, so a one-line layer stays on one line.
 * Returns undefined when the layer is not in the text.
 */
export function layerFieldEdits(
  ranges: ConfigRanges,
  index: number,
  values: Record<string, unknown>,
): TextEdit[] | undefined {
  const layer = ranges.layers[index];
  if (layer === undefined) return undefined;
  const prefix = `layers[${index}].`;
  const own = [...ranges.fields].filter(([path]) => path.startsWith(prefix) && !/[.[]/.test(path.slice(prefix.length)));
  const edits: TextEdit[] = [];
  const missing: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const range = ranges.fields.get(prefix + key);
    if (range === undefined) missing.push(`"${key}": ${JSON.stringify(value)}`);
    else edits.push({ offset: range.offset, length: range.length, newText: JSON.stringify(value) });
  }
  if (missing.length > 0)
    edits.push(
      insertion(
        layer,
        own.map(([, range]) => range),
        missing,
      ),
    );
  return mergeTouching(edits);
}

/**
 * Like {@link layerFieldEdits}, leaving out each value layer `index` already has as written: its own field with that
 * value, or a `kernelInitializer` it inherits from the config's top level (or that level's default), which the layer
 * then needs no copy of.
 */
export function layerFixEdits(
  text: string,
  ranges: ConfigRanges,
  index: number,
  values: Record<string, unknown>,
): TextEdit[] | undefined {
  const needed = Object.entries(values).filter(([key, value]) => {
    const own = ranges.fields.get(`layers[${index}].${key}`);
    if (own !== undefined) return written(text, own) !== JSON.stringify(value);
    if (key !== 'kernelInitializer') return true;
    const top = ranges.fields.get('kernelInitializer');
    const inherited = top !== undefined ? written(text, top) : JSON.stringify(CONFIG_DEFAULTS.kernelInitializer);
    return inherited !== JSON.stringify(value);
  });
  if (ranges.layers[index] === undefined) return undefined;
  return needed.length === 0 ? [] : layerFieldEdits(ranges, index, Object.fromEntries(needed));
}

/** The JSON value written at `range`, normalized (`"heNormal"`), or the raw text when it is not a single value. */
function written(text: string, range: SourceRange): string {
  const raw = text.slice(range.offset, range.offset + range.length);
  try {
    return JSON.stringify(JSON.parse(raw));
  } catch {
    return raw;
  }
}

/** Edit that sets a top-level path such as optimizer.learningRate, when it is written in the text. */
export function fieldEdit(ranges: ConfigRanges, path: string, value: unknown): TextEdit | undefined {
  const range = ranges.fields.get(path);
  return range && { offset: range.offset, length: range.length, newText: JSON.stringify(value) };
}

function insertion(layer: SourceRange, fields: SourceRange[], properties: string[]): TextEdit {
  if (fields.length === 0) return { offset: layer.offset + 1, length: 0, newText: ` ${properties.join(', ')} ` };
  const end = Math.max(...fields.map((r) => r.offset + r.length));
  return { offset: end, length: 0, newText: `, ${properties.join(', ')}` };
}

/** An insertion right where a replacement ends joins it, so no two edits touch. */
function mergeTouching(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.offset + last.length === edit.offset && edit.length === 0)
      last.newText += edit.newText;
    else merged.push({ ...edit });
  }
  return merged;
}

/** Applies edits (non-overlapping, any order) to a text; for tests and previews. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.offset - a.offset)
    .reduce((out, e) => out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length), text);
}
