// A chart as a PNG for a lab report: Chart.js's own image (toBase64Image, drawn in print colours) on white, with the
// chart's caption above it and its legend (each series' name, colour and dash) below it, so the picture stands
// alone in an image viewer and on paper whatever the panel's theme. The panel's legend is HTML under the canvas, so
// Chart.js's image has none of its own.

/** One series as the legend shows it: the line's colour, width and dash in CSS pixels. */
export interface LegendEntry {
  label: string;
  color: string;
  width: number;
  dash: readonly number[];
}

/** What the panel's chart gives: Chart.js's data URL, its size in device pixels, and its series. */
export interface ChartPixels {
  url: string;
  width: number;
  height: number;
  /** Device pixels per CSS pixel of the image (Chart.js's devicePixelRatio for the export). */
  pixelRatio: number;
  legend: LegendEntry[];
}

/** Where each legend entry goes: its row and its left edge, in device pixels from the legend's left margin. */
export interface LegendLayout {
  rows: { entry: number; x: number }[][];
  /** The widest row's width. */
  width: number;
}

/** Sizes of the legend in device pixels: the swatch's length, the gap after it and between entries. */
export function legendMetrics(pixelRatio: number): { swatch: number; gap: number; spacing: number; font: number } {
  return { swatch: 28 * pixelRatio, gap: 6 * pixelRatio, spacing: 18 * pixelRatio, font: 12 * pixelRatio };
}

/**
 * Lays the entries out left to right, a new row whenever the next would pass `maxWidth`; an entry wider than a
 * row has a row of its own (its label is then drawn narrowed to fit).
 */
export function layoutLegend(
  labelWidths: readonly number[],
  maxWidth: number,
  metrics: { swatch: number; gap: number; spacing: number },
): LegendLayout {
  const rows: { entry: number; x: number }[][] = [];
  let row: { entry: number; x: number }[] = [];
  let x = 0;
  let width = 0;
  labelWidths.forEach((label, entry) => {
    const w = metrics.swatch + metrics.gap + label;
    if (row.length > 0 && x + metrics.spacing + w > maxWidth) {
      rows.push(row);
      row = [];
      x = 0;
    }
    const at = row.length === 0 ? 0 : x + metrics.spacing;
    row.push({ entry, x: at });
    x = Math.min(maxWidth, at + w);
    width = Math.max(width, x);
  });
  if (row.length) rows.push(row);
  return { rows, width };
}

/** The chart's PNG data URL with `caption` above it and its legend below, on `background` in `foreground`. */
export async function chartPng(
  pixels: ChartPixels,
  caption: string,
  colors: { background: string; foreground: string; font: string },
): Promise<string> {
  const image = new Image();
  image.src = pixels.url;
  await image.decode();
  const scale = Math.max(1, pixels.width / Math.max(1, image.naturalWidth || pixels.width));
  const fontSize = Math.round(15 * Math.max(1, pixels.width / 600));
  const band = Math.round(fontSize * 2.2);
  const family = colors.font || 'sans-serif';
  const margin = Math.round(fontSize * 0.8);
  const metrics = legendMetrics(pixels.pixelRatio);
  const legendFont = `${Math.round(metrics.font)}px ${family}`;
  const lineHeight = Math.round(metrics.font * 1.8);

  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this page cannot draw on a canvas');
  ctx.font = legendFont;
  const labelWidths = pixels.legend.map((e) => ctx.measureText(e.label).width);
  const maxWidth = pixels.width - 2 * margin;
  const layout = layoutLegend(labelWidths, maxWidth, metrics);
  const legendHeight = layout.rows.length ? layout.rows.length * lineHeight + Math.round(metrics.font) : 0;

  // Sizing the canvas resets its state: the fonts are set again below.
  canvas.width = pixels.width;
  canvas.height = band + pixels.height + legendHeight;
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = colors.foreground;
  ctx.font = `600 ${fontSize}px ${family}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(caption, margin, band / 2, canvas.width - 2 * margin);
  ctx.drawImage(image, 0, band, image.naturalWidth * scale, image.naturalHeight * scale);

  // The legend, centred under the plot as the panel shows it.
  const left = margin + Math.max(0, (maxWidth - layout.width) / 2);
  ctx.font = legendFont;
  layout.rows.forEach((row, r) => {
    const y = band + pixels.height + Math.round(metrics.font / 2) + r * lineHeight + lineHeight / 2;
    for (const { entry, x } of row) {
      const e = pixels.legend[entry];
      ctx.save();
      ctx.strokeStyle = e.color;
      ctx.lineWidth = Math.max(2, e.width) * pixels.pixelRatio;
      ctx.setLineDash(e.dash.map((d) => d * pixels.pixelRatio));
      ctx.beginPath();
      ctx.moveTo(left + x, y);
      ctx.lineTo(left + x + metrics.swatch, y);
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = colors.foreground;
      const textX = left + x + metrics.swatch + metrics.gap;
      ctx.fillText(e.label, textX, y, Math.max(1, left + maxWidth - textX));
    }
  });
  return canvas.toDataURL('image/png');
}
