// A digit drawn with the mouse, a finger or a pen, made into the 28 × 28 image the network was trained on, the way
// MNIST's own images were made (LeCun, Cortes & Burges, "The MNIST database"): the ink's bounding box scaled, keeping
// its aspect ratio, to fit a 20 × 20 box with anti-aliasing, then placed in 28 × 28 so that its centre of mass is the
// image's centre. Pure functions on plain arrays: the training panel's page and the tests run the same code.

/** A point of a stroke, in the drawing area's units: 0..1 across and down. */
export interface StrokePoint {
  x: number;
  y: number;
}

/** One pen-down-to-pen-up line. */
export type Stroke = readonly StrokePoint[];

/** The drawing's raster: `size` × `size` ink coverage in 0..1, row-major. */
export interface InkRaster {
  size: number;
  ink: Float32Array;
}

/** Side of the raster strokes are drawn on before the MNIST steps: four times MNIST's, for smooth edges. */
export const RASTER_SIZE = 112;
/** The pen's radius as a share of the drawing area's side (a 280-pixel area draws a line about 20 pixels wide). */
export const PEN_RADIUS = 0.036;
/** MNIST's image side, and the box the ink is scaled into. */
export const MNIST_SIDE = 28;
export const MNIST_BOX = 20;

/**
 * Draws `strokes` on a `size` × `size` raster with a round pen of `penRadius` (share of the side): each pixel's ink
 * is how much of it the pen covered (1 inside, a one-pixel linear ramp at the edge), so edges are anti-aliased.
 */
export function rasterizeStrokes(
  strokes: readonly Stroke[],
  size: number = RASTER_SIZE,
  penRadius: number = PEN_RADIUS,
): InkRaster {
  const ink = new Float32Array(size * size);
  const r = penRadius * size;
  for (const stroke of strokes) {
    const points = stroke.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    for (let i = 0; i < points.length; i++) {
      // A single tap is a dot: a segment of length 0.
      const a = points[Math.max(0, i - 1)];
      const b = points[i];
      const ax = a.x * size;
      const ay = a.y * size;
      const bx = b.x * size;
      const by = b.y * size;
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r - 1));
      const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + r + 1));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r - 1));
      const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + r + 1));
      const dx = bx - ax;
      const dy = by - ay;
      const length2 = dx * dx + dy * dy;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5;
          const py = y + 0.5;
          const t = length2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2)) : 0;
          const distance = Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
          const coverage = Math.max(0, Math.min(1, r + 0.5 - distance));
          const at = y * size + x;
          if (coverage > ink[at]) ink[at] = coverage;
        }
      }
    }
  }
  return { size, ink };
}

/**
 * The raster as MNIST would have it: 784 pixels of 0..255 (0 is paper, 255 full ink), row-major; all zero when
 * nothing was drawn. The bounding box of the ink is scaled to fit 20 × 20 (its longer side 20 pixels) by area
 * averaging, then shifted so its centre of mass falls on the centre of the 28 × 28 image.
 */
export function mnistPixels(raster: InkRaster): Uint8Array {
  const { size, ink } = raster;
  const out = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  let left = size;
  let right = -1;
  let top = size;
  let bottom = -1;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (ink[y * size + x] > 0.02) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
  if (right < 0) return out;
  const width = right - left + 1;
  const height = bottom - top + 1;
  const scale = MNIST_BOX / Math.max(width, height);
  const boxWidth = Math.max(1, Math.round(width * scale));
  const boxHeight = Math.max(1, Math.round(height * scale));
  const box = resampleArea(ink, size, left, top, width, height, boxWidth, boxHeight);
  // Centre of mass of the scaled ink, then the shift that puts it on the image's centre (14, 14).
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < boxHeight; y++)
    for (let x = 0; x < boxWidth; x++) {
      const v = box[y * boxWidth + x];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  const clampShift = (shift: number, extent: number) => Math.max(0, Math.min(MNIST_SIDE - extent, shift));
  const offsetX = clampShift(Math.round(MNIST_SIDE / 2 - cx / mass), boxWidth);
  const offsetY = clampShift(Math.round(MNIST_SIDE / 2 - cy / mass), boxHeight);
  for (let y = 0; y < boxHeight; y++)
    for (let x = 0; x < boxWidth; x++)
      out[(y + offsetY) * MNIST_SIDE + x + offsetX] = Math.round(255 * Math.min(1, box[y * boxWidth + x]));
  return out;
}

/** `strokes` straight to MNIST's 784 pixels: rasterizeStrokes, then mnistPixels. */
export function drawnDigitPixels(strokes: readonly Stroke[]): Uint8Array {
  return mnistPixels(rasterizeStrokes(strokes));
}

/**
 * The `width` × `height` region at (`left`, `top`) of a `size`-wide raster resampled to `outWidth` × `outHeight`
 * by area averaging: each output pixel is the mean of the input it covers, fractions of pixels counted by area.
 */
function resampleArea(
  ink: Float32Array,
  size: number,
  left: number,
  top: number,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const weightsX = axisWeights(width, outWidth);
  const weightsY = axisWeights(height, outHeight);
  // Rows first: height × outWidth, then columns: outHeight × outWidth.
  const rows = new Float32Array(height * outWidth);
  for (let y = 0; y < height; y++)
    for (let o = 0; o < outWidth; o++) {
      let sum = 0;
      for (const [i, w] of weightsX[o]) sum += w * ink[(top + y) * size + left + i];
      rows[y * outWidth + o] = sum;
    }
  const out = new Float32Array(outHeight * outWidth);
  for (let o = 0; o < outHeight; o++)
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (const [i, w] of weightsY[o]) sum += w * rows[i * outWidth + x];
      out[o * outWidth + x] = sum;
    }
  return out;
}

/** For each of `out` cells over `n` input cells: the input cells it overlaps and their share of its area. */
function axisWeights(n: number, out: number): [number, number][][] {
  const step = n / out;
  return Array.from({ length: out }, (_, o) => {
    const from = o * step;
    const to = from + step;
    const cells: [number, number][] = [];
    for (let i = Math.floor(from); i < Math.min(n, Math.ceil(to)); i++) {
      const overlap = Math.min(to, i + 1) - Math.max(from, i);
      if (overlap > 0) cells.push([i, overlap / step]);
    }
    return cells;
  });
}
