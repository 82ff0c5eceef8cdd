// happy-dom has no 2D canvas: getContext('2d') returns null and Chart.js then builds no chart. Page tests check
// what reaches the charts (their data, options and the figures' descriptions), never pixels, so a drawing surface
// that draws nothing stands in for the browser's. Chart.js reads text widths and the canvas back; both answer.

/** A 2D context that accepts every drawing call and draws nothing. */
function blankContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const state: Record<string | symbol, unknown> = {
    canvas,
    measureText: (text: string) => ({
      width: 6 * String(text).length,
      actualBoundingBoxAscent: 8,
      actualBoundingBoxDescent: 2,
    }),
    getImageData: (_x: number, _y: number, w: number, h: number) => ({
      width: w,
      height: h,
      data: new Uint8ClampedArray(4 * w * h),
    }),
    createLinearGradient: () => ({ addColorStop: () => {} }),
    getLineDash: () => [],
    isPointInPath: () => false,
  };
  return new Proxy(state, {
    get: (target, key) => (key in target ? target[key] : () => {}),
    set: (target, key, value) => ((target[key] = value), true),
  }) as unknown as CanvasRenderingContext2D;
}

/** Makes every canvas of the test's DOM answer getContext('2d'). */
export function installBlankCanvas(): void {
  const contexts = new WeakMap<HTMLCanvasElement, CanvasRenderingContext2D>();
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string) {
    if (kind !== '2d') return null;
    if (!contexts.has(this)) contexts.set(this, blankContext(this));
    return contexts.get(this)!;
  } as HTMLCanvasElement['getContext'];
}
