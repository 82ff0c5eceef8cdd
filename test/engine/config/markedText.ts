import type { SourceRange } from '../../../src/engine/config/configError';

/** Splits `source` at its one pair of «markers» into the text without them and the range they enclosed, so tests state exact ranges inline. */
export function marked(source: string): { text: string; range: SourceRange } {
  const start = source.indexOf('«');
  const end = source.indexOf('»');
  if (start < 0 || end < start || source.indexOf('«', start + 1) >= 0)
    throw new Error(`one «...» pair expected in ${source}`);
  return {
    text: source.slice(0, start) + source.slice(start + 1, end) + source.slice(end + 1),
    range: { offset: start, length: end - start - 1 },
  };
}

/** The text a range covers. */
export function textAt(text: string, range: SourceRange): string {
  return text.slice(range.offset, range.offset + range.length);
}
