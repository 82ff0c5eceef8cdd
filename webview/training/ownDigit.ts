// "Your own digit" in the training panel: draw a digit (mouse, finger or pen) or pick a test image, see the run's ten
// outputs and its prediction, pick the target, and see δ of every layer for that one image. The strokes become
// MNIST's 28 × 28 through the engine's drawnDigit.ts; the host puts the image through the run's own network.
import '../../media/ownDigit.css';
import type { DigitProbe } from '../../src/engine/digit/digitProbe';
import { drawnDigitPixels, MNIST_SIDE, PEN_RADIUS, type StrokePoint } from '../../src/engine/digit/drawnDigit';
import type { PredictedDigit } from '../../src/engine/train/metrics';
import { el as element } from '../common/dom';
import { format, strings } from './strings';

/** What the pad needs from the page. */
export interface OwnDigitDeps {
  /** The shown run's network on one image; rejects with the reason when the run has none. */
  probe(pixels: number[], target: number): Promise<DigitProbe>;
}

const DRAW_SIZE = 280;

const option = (text: string, value: string): HTMLOptionElement => {
  const el = document.createElement('option');
  el.textContent = text;
  el.value = value;
  return el;
};

/** The "Your own digit" section; `show(runId, testImages)` points it at a run, `hide()` takes it away. */
export class OwnDigit {
  readonly root = element('section', 'own-digit');
  private readonly pad = element<HTMLCanvasElement>('canvas', 'own-digit-pad');
  private readonly preview = element<HTMLCanvasElement>('canvas', 'own-digit-preview');
  private readonly testPicker = element<HTMLSelectElement>('select', 'own-digit-test');
  private readonly targetPicker = element<HTMLSelectElement>('select', 'own-digit-target');
  private readonly outputs = element('ol', 'own-digit-outputs');
  private readonly prediction = element('p', 'own-digit-prediction');
  private readonly deltas = element('div', 'own-digit-deltas');
  private readonly problem = element('p', 'own-digit-problem');
  private strokes: StrokePoint[][] = [];
  private image?: Uint8Array;
  private runId?: string;
  private testImages: PredictedDigit[] = [];
  private pending?: ReturnType<typeof setTimeout>;
  private asked = 0;

  constructor(private readonly deps: OwnDigitDeps) {
    this.root.id = 'own-digit';
    this.root.hidden = true;
    const heading = element('h3', undefined, strings.ownDigit);
    heading.id = 'own-digit-heading';
    this.root.setAttribute('aria-labelledby', heading.id);
    this.pad.width = DRAW_SIZE * devicePixelRatio;
    this.pad.height = DRAW_SIZE * devicePixelRatio;
    this.pad.setAttribute('role', 'img');
    this.pad.setAttribute('aria-label', strings.ownDigitPad);
    this.preview.width = MNIST_SIDE;
    this.preview.height = MNIST_SIDE;
    this.preview.setAttribute('role', 'img');
    this.preview.setAttribute('aria-label', strings.ownDigitPreview);
    this.problem.setAttribute('role', 'alert');
    this.problem.hidden = true;
    this.prediction.setAttribute('aria-live', 'polite');

    const clear = element<HTMLButtonElement>('vscode-button', undefined, strings.ownDigitClear);
    clear.setAttribute('secondary', '');
    clear.id = 'own-digit-clear';
    clear.addEventListener('click', () => this.clear());
    const testLabel = element<HTMLLabelElement>('label', 'own-digit-label', strings.ownDigitTest);
    this.testPicker.id = 'own-digit-test';
    testLabel.htmlFor = this.testPicker.id;
    this.testPicker.addEventListener('change', () => this.pickTestImage());
    const targetLabel = element<HTMLLabelElement>('label', 'own-digit-label', strings.ownDigitTarget);
    this.targetPicker.id = 'own-digit-target';
    targetLabel.htmlFor = this.targetPicker.id;
    this.targetPicker.append(option(strings.ownDigitTargetPredicted, ''));
    for (let d = 0; d < 10; d++) this.targetPicker.append(option(String(d), String(d)));
    this.targetPicker.addEventListener('change', () => this.ask(0));

    const drawing = element('div', 'own-digit-drawing');
    drawing.append(this.pad, element('div', 'own-digit-controls'));
    drawing.lastElementChild!.append(clear, testLabel, this.testPicker);
    const seen = element('figure', 'own-digit-seen');
    seen.append(this.preview, element('figcaption', undefined, strings.ownDigitPreviewCaption));
    const result = element('div', 'own-digit-result');
    const outputsHeading = element('h4', undefined, strings.ownDigitOutputs);
    result.append(this.prediction, outputsHeading, this.outputs, targetLabel, this.targetPicker);
    const grid = element('div', 'own-digit-grid');
    grid.append(drawing, seen, result);
    const deltasHeading = element('h4', undefined, strings.ownDigitDeltas);
    this.root.append(
      heading,
      element('p', 'hint', strings.ownDigitHint),
      this.problem,
      grid,
      deltasHeading,
      element('p', 'hint', strings.ownDigitDeltasHint),
      this.deltas,
    );
    this.listen();
    this.draw();
  }

  /** Shows the pad for run `runId`, with its sample of test images to pick from; keeps the drawing for the same run. */
  show(runId: string, testImages: readonly PredictedDigit[]): void {
    this.root.hidden = false;
    const sameImages =
      testImages.length === this.testImages.length && testImages.every((d, i) => d.index === this.testImages[i]?.index);
    if (!sameImages) {
      this.testImages = testImages.filter((d) => d.rows === MNIST_SIDE && d.cols === MNIST_SIDE);
      this.testPicker.replaceChildren(option(strings.ownDigitTestNone, ''));
      for (const [i, d] of this.testImages.entries())
        this.testPicker.append(option(format(strings.ownDigitTestOption, d.index, d.label), String(i)));
      this.testPicker.disabled = this.testImages.length === 0;
    }
    if (this.runId !== runId) {
      this.runId = runId;
      this.ask(0);
    }
  }

  hide(): void {
    this.root.hidden = true;
    this.runId = undefined;
  }

  /** The theme changed: draw the pad and preview again in its colours. */
  applyTheme(): void {
    this.draw();
  }

  private clear(): void {
    this.strokes = [];
    this.image = undefined;
    this.testPicker.value = '';
    this.draw();
    this.showProbe(undefined);
  }

  private pickTestImage(): void {
    const digit = this.testImages[Number(this.testPicker.value)];
    if (this.testPicker.value === '' || !digit) return this.clear();
    this.strokes = [];
    this.image = Uint8Array.from(digit.pixels);
    this.draw();
    this.ask(0);
  }

  private listen(): void {
    const at = (event: PointerEvent): StrokePoint => {
      const box = this.pad.getBoundingClientRect();
      return { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height };
    };
    let drawing = false;
    this.pad.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      this.pad.setPointerCapture(event.pointerId);
      drawing = true;
      if (this.image) {
        // Drawing over a test image starts a drawing of one's own.
        this.image = undefined;
        this.testPicker.value = '';
      }
      this.strokes.push([at(event)]);
      this.draw();
    });
    this.pad.addEventListener('pointermove', (event) => {
      if (!drawing) return;
      // A pen or a finger reports more points than one event carries; each is part of the line.
      const events = event.getCoalescedEvents?.() ?? [event];
      this.strokes[this.strokes.length - 1].push(...events.map(at));
      this.draw();
      this.ask(150);
    });
    const end = () => {
      if (!drawing) return;
      drawing = false;
      this.ask(0);
    };
    this.pad.addEventListener('pointerup', end);
    this.pad.addEventListener('pointercancel', end);
  }

  private pixels(): Uint8Array {
    return this.image ?? drawnDigitPixels(this.strokes);
  }

  private draw(): void {
    const style = getComputedStyle(document.body);
    const ink = style.getPropertyValue('--vscode-foreground').trim() || '#cccccc';
    const paper = style.getPropertyValue('--vscode-input-background').trim() || '#3c3c3c';

    const ctx = this.pad.getContext('2d');
    if (!ctx) return;
    const side = this.pad.width;
    ctx.fillStyle = paper;
    ctx.fillRect(0, 0, side, side);
    // The 28 × 28 grid faintly in the ink's colour (a theme's border colour is loud in high contrast).
    ctx.strokeStyle = ink;
    ctx.globalAlpha = 0.12;
    ctx.lineWidth = 1;
    for (let i = 1; i < MNIST_SIDE; i++) {
      const p = Math.round((i * side) / MNIST_SIDE) + 0.5;
      ctx.beginPath();
      ctx.moveTo(p, 0);
      ctx.lineTo(p, side);
      ctx.moveTo(0, p);
      ctx.lineTo(side, p);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    if (this.image) {
      drawPixels(ctx, this.image, side, ink);
    } else {
      ctx.strokeStyle = ink;
      ctx.fillStyle = ink;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.lineWidth = 2 * PEN_RADIUS * side;
      for (const stroke of this.strokes) {
        ctx.beginPath();
        ctx.moveTo(stroke[0].x * side, stroke[0].y * side);
        for (const p of stroke.slice(1)) ctx.lineTo(p.x * side, p.y * side);
        if (stroke.length === 1) ctx.lineTo(stroke[0].x * side + 0.01, stroke[0].y * side);
        ctx.stroke();
      }
    }
    const small = this.preview.getContext('2d');
    if (small) {
      small.fillStyle = paper;
      small.fillRect(0, 0, MNIST_SIDE, MNIST_SIDE);
      drawPixels(small, this.pixels(), MNIST_SIDE, ink);
    }
  }

  /** Asks the host for the run's answer after `delay` ms (0: now); a newer question supersedes an older one. */
  private ask(delay: number): void {
    if (delay > 0 && this.pending) return;
    clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.probeNow();
    }, delay);
  }

  private async probeNow(): Promise<void> {
    const pixels = this.pixels();
    this.preview.dataset.ink = String(pixels.reduce((a, b) => a + b, 0));
    if (!this.runId || pixels.every((v) => v === 0)) return this.showProbe(undefined);
    const question = ++this.asked;
    const chosen = this.targetPicker.value;
    try {
      let probe = await this.deps.probe([...pixels], chosen === '' ? 0 : Number(chosen));
      // "The prediction" as target: ask again with it, so δ shows what the network would change to be surer.
      if (chosen === '' && probe.predicted !== 0) probe = await this.deps.probe([...pixels], probe.predicted);
      if (question !== this.asked) return;
      this.problem.hidden = true;
      this.showProbe(probe);
    } catch (err) {
      if (question !== this.asked) return;
      this.problem.hidden = false;
      this.problem.textContent = err instanceof Error ? err.message : String(err);
      this.showProbe(undefined);
    }
  }

  private showProbe(probe: DigitProbe | undefined): void {
    this.outputs.replaceChildren();
    this.deltas.replaceChildren();
    this.root.dataset.predicted = probe ? String(probe.predicted) : '';
    if (!probe) {
      this.prediction.textContent = strings.ownDigitEmpty;
      return;
    }
    const confidence = (100 * probe.outputs[probe.predicted]).toFixed(1);
    this.prediction.textContent = '';
    this.prediction.append(
      element('span', 'own-digit-predicted', String(probe.predicted)),
      element(
        'span',
        undefined,
        format(strings.ownDigitPrediction, probe.predicted, confidence, probe.loss.toFixed(3)),
      ),
    );
    probe.outputs.forEach((p, d) => {
      const row = element('li', d === probe.predicted ? 'predicted' : d === probe.target ? 'target' : undefined);
      row.dataset.digit = String(d);
      const bar = element('span', 'own-digit-bar');
      bar.style.setProperty('--share', `${Math.max(0, Math.min(1, p)) * 100}%`);
      row.append(element('span', 'own-digit-digit', String(d)), bar, element('span', 'own-digit-p', p.toFixed(3)));
      row.setAttribute('aria-label', format(strings.ownDigitOutput, d, p.toFixed(3)));
      this.outputs.append(row);
    });
    probe.deltas.forEach((delta, i) => this.deltas.append(deltaRow(i + 1, delta, i === probe.deltas.length - 1)));
  }
}

/** One layer's δ^l as a strip of cells, blue for positive and red for negative, strongest the fullest. */
function deltaRow(layer: number, delta: readonly number[], isOutput: boolean): HTMLElement {
  const row = element('div', 'own-digit-delta');
  const largest = Math.max(...delta.map(Math.abs));
  const rms = Math.sqrt(delta.reduce((s, d) => s + d * d, 0) / Math.max(1, delta.length));
  const at = delta.findIndex((d) => Math.abs(d) === largest);
  const label = element('div', 'own-digit-delta-label');
  label.append(
    element('strong', undefined, format(strings.ownDigitLayer, layer, delta.length)),
    element('span', 'hint', format(strings.ownDigitDeltaSummary, rms.toExponential(2), largest.toExponential(2), at)),
  );
  const cells = element('div', isOutput ? 'own-digit-cells output' : 'own-digit-cells');
  cells.setAttribute('role', 'img');
  cells.setAttribute(
    'aria-label',
    isOutput
      ? `δ${layer}: ${delta.map((d, j) => `${j} ${d.toFixed(3)}`).join(', ')}`
      : format(strings.ownDigitDeltaSummary, rms.toExponential(2), largest.toExponential(2), at),
  );
  delta.forEach((d, j) => {
    const cell = element('span', d > 0 ? 'pos' : d < 0 ? 'neg' : 'zero');
    cell.style.setProperty('--strength', `${largest > 0 ? Math.round((100 * Math.abs(d)) / largest) : 0}%`);
    cell.title = `${j}: ${d.toExponential(3)}`;
    if (isOutput) cell.textContent = d.toFixed(2);
    cells.append(cell);
  });
  row.append(label, cells);
  return row;
}

/** A 28 × 28 image as ink on a `side`-pixel square (each MNIST pixel a square), alpha from its grey level. */
function drawPixels(ctx: CanvasRenderingContext2D, pixels: Uint8Array, side: number, ink: string): void {
  ctx.fillStyle = ink;
  const cell = side / MNIST_SIDE;
  for (let y = 0; y < MNIST_SIDE; y++)
    for (let x = 0; x < MNIST_SIDE; x++) {
      const v = pixels[y * MNIST_SIDE + x];
      if (v === 0) continue;
      ctx.globalAlpha = v / 255;
      ctx.fillRect(Math.floor(x * cell), Math.floor(y * cell), Math.ceil(cell), Math.ceil(cell));
    }
  ctx.globalAlpha = 1;
}
