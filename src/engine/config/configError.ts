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

/** 1-based line and column of `offset` in `text`; \n, \r\n and \r each end a line, as in VS Code. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const end = Math.min(Math.max(offset, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const ch = text[i];
    // A \r directly followed by \n is half of one line break, counted at the \n.
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** One `file:line:column: error: message` line per error, the format terminals and problem matchers link to the source. */
export function formatConfigErrors(fileName: string, text: string, errors: readonly ConfigError[]): string {
  return errors
    .map((error) => {
      const { line, column } = positionAt(text, error.range.offset);
      return `${fileName}:${line}:${column}: error: ${error.message}`;
    })
    .join('\n');
}
