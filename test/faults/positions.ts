/** The length of each line of `text`, with VS Code's line breaks (\r\n, \n and \r). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\n|\r/).map((line) => line.length);
}

/** Whether 1-based `line`:`column` is a place in a file whose lines have these lengths (the column after the last character counts). */
export function inFile(lengths: readonly number[], line: number, column: number): boolean {
  return (
    Number.isInteger(line) &&
    Number.isInteger(column) &&
    line >= 1 &&
    line <= lengths.length &&
    column >= 1 &&
    column <= lengths[line - 1] + 1
  );
}
