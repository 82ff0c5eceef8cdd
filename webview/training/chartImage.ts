// A chart as a PNG for a lab report: Chart.js's own image (toBase64Image, drawn in print colours) on white, with the
// chart's caption above it, so the file reads in an image viewer and on paper whatever the panel's theme.

/** What the panel's chart gives: Chart.js's data URL and its size in device pixels. */
export interface ChartPixels {
  url: string;
  width: number;
  height: number;
}

/** The chart's PNG data URL with `caption` above it on `background` in `foreground`. */
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
  const canvas = document.createElement('canvas');
  canvas.width = pixels.width;
  canvas.height = pixels.height + band;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this page cannot draw on a canvas');
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = colors.foreground;
  ctx.font = `600 ${fontSize}px ${colors.font || 'sans-serif'}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(caption, Math.round(fontSize * 0.8), band / 2, canvas.width - fontSize * 1.6);
  ctx.drawImage(image, 0, band, image.naturalWidth * scale, image.naturalHeight * scale);
  return canvas.toDataURL('image/png');
}
