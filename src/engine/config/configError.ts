/** A span of the config text in UTF-16 code units, the unit of both jsonc-parser offsets and VS Code positions. */
export interface SourceRange {
  offset: number;
  length: number;
}

/** A problem in a lab config: the field's path ("" for the root), a message naming the bad value and the fix, and where. */
export interface ConfigError {
  path: string;
  message: string;
  range: SourceRange;
}

/** 1-based line and column of a place in a text. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * Where each line of a text starts, built once in one pass, so each offset finds its line by binary search: reporting
 * thousands of errors in a large file stays linear (a scan from the start per error took minutes on 5 MB).
 */
export class LineIndex {
  /** Offset of the first character of each line; \n, \r\n and \r each end a line, as in VS Code. */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      // A \r directly followed by \n is half of one line break, counted at the \n.
      if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  /** 1-based line and column of `offset`, clamped to the text. */
  positionAt(offset: number): TextPosition {
    const end = Math.min(Math.max(offset, 0), this.text.length);
    let low = 0;
    let high = this.starts.length - 1;
    // The last line starting at or before `end`.
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= end) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: end - this.starts[low] + 1 };
  }
}

let lastIndex: LineIndex | undefined;

/** The line index of `text`, reused while the same text is asked about (callers ask once per error). */
export function lineIndexOf(text: string): LineIndex {
  if (lastIndex?.text !== text) lastIndex = new LineIndex(text);
  return lastIndex;
}

/** 1-based line and column of `offset` in `text`; \n, \r\n and \r each end a line, as in VS Code. */
export function positionAt(text: string, offset: number): TextPosition {
  return lineIndexOf(text).positionAt(offset);
}

/** Each error with its line and column, as the CLI's and the extension's JSON and logs show them. */
export function locateErrors(
  text: string,
  errors: readonly ConfigError[],
): ({ path: string } & TextPosition & { message: string })[] {
  const index = lineIndexOf(text);
  return errors.map((e) => ({ path: e.path, ...index.positionAt(e.range.offset), message: e.message }));
}

/** One `file:line:column: error: message` line per error, the format terminals and problem matchers link to the source. */
export function formatConfigErrors(fileName: string, text: string, errors: readonly ConfigError[]): string {
  const index = lineIndexOf(text);
  return errors
    .map((error) => {
      const { line, column } = index.positionAt(error.range.offset);
      return `${fileName}:${line}:${column}: error: ${error.message}`;
    })
    .join('\n');
}
