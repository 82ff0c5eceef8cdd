// A run's figures as tables, and tables as CSV, Markdown or LaTeX: what `dnn-lab export`, the autograder's Markdown
// and the GitHub job summary all print. The cells are text; each format only escapes and lays them out.
import type { EpochMetrics } from '../train/metrics';
import { markdownTable } from '../sweep/comparison';

/** A table: the first row is the heading. */
export type Cells = string[][];

/** The table formats. */
export const TABLE_FORMATS = ['csv', 'markdown', 'latex'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const exp = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : String(x));

/** One row per epoch: the curves' figures (losses, accuracies as fractions, seconds). */
export function epochCells(epochs: readonly EpochMetrics[]): Cells {
  return [
    ['epoch', 'train_loss', 'train_accuracy', 'test_loss', 'test_accuracy', 'seconds'],
    ...epochs.map((e) => [
      String(e.epoch),
      fixed(e.trainLoss, 4),
      fixed(e.trainAccuracy, 4),
      fixed(e.testLoss, 4),
      fixed(e.testAccuracy, 4),
      fixed(e.seconds, 2),
    ]),
  ];
}

/** One row per epoch and layer: δ's RMS, ‖∂C/∂W‖, ‖W‖ and the update ratio of the epoch's last batch. */
export function layerCells(epochs: readonly EpochMetrics[]): Cells {
  return [
    ['epoch', 'layer', 'delta_rms', 'grad_norm', 'weight_norm', 'update_ratio'],
    ...epochs.flatMap((e) =>
      e.layers.map((l) => [
        String(e.epoch),
        String(l.layer),
        exp(l.deltaRms),
        exp(l.gradNorm),
        exp(l.weightNorm),
        exp(l.updateRatio),
      ]),
    ),
  ];
}

/** One row per epoch, one column per layer: RMS of δ^l, the figure the lesson follows down the layers. */
export function deltaCells(epochs: readonly EpochMetrics[]): Cells {
  const layers = Math.max(0, ...epochs.map((e) => e.layers.length));
  return [
    ['epoch', ...Array.from({ length: layers }, (_, i) => `δ${superscript(i + 1)} rms`)],
    ...epochs.map((e) => [
      String(e.epoch),
      ...Array.from({ length: layers }, (_, i) => (e.layers[i] ? e.layers[i].deltaRms.toExponential(2) : '')),
    ]),
  ];
}

/** `cells` in `format`, ending with a newline; a CSV with any non-ASCII character starts with a UTF-8 byte order mark. */
export function formatTable(cells: Cells, format: TableFormat, caption = ''): string {
  switch (format) {
    case 'csv': {
      const csv = `${cells.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
      // Excel takes a CSV without a byte order mark for the system's code page: "δ¹ rms" or a run named in Chinese
      // would come out garbled. Plain ASCII needs none, and stays byte for byte what it was.
      return /[^\x00-\x7f]/.test(csv) ? `\ufeff${csv}` : csv;
    }
    case 'markdown':
      return `${markdownTable(cells)}\n`;
    case 'latex':
      return latexTable(cells, caption);
  }
}

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A booktabs tabular (\usepackage{booktabs}); numbers right-aligned, δ set in math mode; a wide one fits the line. */
function latexTable(cells: Cells, caption: string): string {
  const [header, ...body] = cells;
  const numeric = header.map(
    (_, i) => body.length > 0 && body.every((row) => /^-?[\d.e+-]*%?$|^$/i.test(row[i] ?? '')),
  );
  const line = (row: readonly string[]) => `${row.map(latexCell).join(' & ')} \\\\`;
  // A wide table (a comparison with a column per layer) is scaled down to the text width when it is wider, never up.
  const wide = header.length > 6;
  return [
    ...(wide
      ? ['% Wide: \\resizebox needs \\usepackage{graphicx}, as figures do; booktabs is needed for every table.']
      : []),
    '\\begin{table}[ht]',
    '\\centering',
    ...(caption ? [`\\caption{${latexCell(caption)}}`] : []),
    ...(wide ? ['\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%'] : []),
    `\\begin{tabular}{${numeric.map((n) => (n ? 'r' : 'l')).join('')}}`,
    '\\toprule',
    line(header),
    '\\midrule',
    ...body.map(line),
    '\\bottomrule',
    `\\end{tabular}${wide ? '}' : ''}`,
    '\\end{table}',
    '',
  ].join('\n');
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function latexCell(cell: string): string {
  const special: Record<string, string> = {
    '\\': '\\textbackslash{}',
    '~': '\\textasciitilde{}',
    '^': '\\textasciicircum{}',
  };
  const escaped = cell.replace(/[\\~^&%$#_{}]/g, (c) => special[c] ?? `\\${c}`);
  // "δ³ rms" -> "$\delta^{3}$ rms"; "—" stays as it is (UTF-8 with inputenc/fontspec).
  return escaped.replace(
    /δ([⁰-⁹¹²³]+)/g,
    (_, sup: string) => `$\\delta^{${[...sup].map((c) => SUPERSCRIPTS.indexOf(c)).join('')}}$`,
  );
}

function superscript(n: number): string {
  return String(n).replace(/\d/g, (d) => SUPERSCRIPTS[Number(d)]);
}
