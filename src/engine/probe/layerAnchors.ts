import { parse, type ParseError } from 'jsonc-parser';
import type { SourceRange } from '../config/configError';
import type { ConfigRanges } from '../config/configRanges';

/** What a probe was computed from, per layer, so that later text can be compared with it. */
export interface ProbeFingerprint {
  /** Canonical text of each layer object, in order. */
  layers: string[];
  /** Canonical text of the top-level fields every layer depends on (kernelInitializer, loss, seed). */
  shared: string;
}

/** Where layer l's annotation goes in the current text, and whether its numbers still describe it. */
export interface LayerAnchor {
  /** 1-based, as in the lesson. */
  layer: number;
  /** The layer object's range in the current text. */
  range: SourceRange;
  /** True when the layer (or a top-level field it depends on) changed since its numbers were measured. */
  stale: boolean;
}

// Top-level fields that change every layer's numbers when edited, besides the layers themselves.
const SHARED_FIELDS = ['kernelInitializer', 'loss', 'seed'] as const;

/** The fingerprint of a config text: comments, spacing and key order inside values don't count as changes. */
export function probeFingerprint(text: string, ranges: ConfigRanges): ProbeFingerprint {
  const layers = ranges.layers.map((range) => canonical(text, range));
  const shared = SHARED_FIELDS.map((field) => {
    const range = ranges.fields.get(field);
    return range === undefined ? '' : canonical(text, range);
  }).join('\u0000');
  return { layers, shared };
}

/**
 * Maps each layer of the current text to its range and says whether the numbers measured for `probed`
 * still belong to it. Layer i keeps layer i's numbers; it is stale when its own text, the layer count or a
 * shared field changed. With no probe yet, there is nothing to anchor.
 */
export function anchorLayers(text: string, ranges: ConfigRanges, probed: ProbeFingerprint | undefined): LayerAnchor[] {
  if (probed === undefined) return [];
  const current = probeFingerprint(text, ranges);
  const everythingChanged = current.shared !== probed.shared || current.layers.length !== probed.layers.length;
  return ranges.layers.map((range, i) => ({
    layer: i + 1,
    range,
    stale: everythingChanged || current.layers[i] !== probed.layers[i],
  }));
}

/** A value's text as canonical JSON when it parses, else its raw text with spacing collapsed. */
function canonical(text: string, range: SourceRange): string {
  const slice = text.slice(range.offset, range.offset + range.length);
  const errors: ParseError[] = [];
  const value: unknown = parse(slice, errors, { allowTrailingComma: true });
  return errors.length === 0 ? JSON.stringify(sortKeys(value)) : slice.replace(/\s+/g, ' ');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
