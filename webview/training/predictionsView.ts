import { predictionsView, type DigitView, type PredictionsView } from './predictionsModel';
import { rovingFocus } from './rovingFocus';
import { format, strings } from './strings';

/** Draws one test digit from its pixels: ink in the theme's foreground color, so it reads in every theme. */
function digitCanvas(digit: DigitView, ink: [number, number, number]): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = digit.cols;
  canvas.height = digit.rows;
  canvas.className = 'digit-image';
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const image = ctx.createImageData(digit.cols, digit.rows);
    digit.pixels.forEach((value, i) => {
      image.data.set([ink[0], ink[1], ink[2], value], i * 4);
    });
    ctx.putImageData(image, 0, 0);
  }
  return canvas;
}

/** The ten outputs as a tiny bar chart; the predicted and the true digit stand out. */
function probabilityBars(digit: DigitView): HTMLElement {
  const bars = document.createElement('div');
  bars.className = 'digit-bars';
  digit.probabilities.forEach((p, k) => {
    const bar = document.createElement('span');
    bar.className = k === digit.label ? 'bar label' : k === digit.predicted ? 'bar predicted' : 'bar';
    bar.style.height = `${Math.max(1, Math.round(Math.min(1, Math.max(0, Number.isFinite(p) ? p : 0)) * 100))}%`;
    bars.append(bar);
  });
  return bars;
}

function rgbOf(cssColor: string): [number, number, number] {
  const match = /rgba?\((\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(cssColor);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [128, 128, 128];
}

/**
 * Renders the grid of test digits (mistakes first) and the confusion matrix into `container`. Takes the sample as
 * it came: whatever predictionsView cannot draw is left out, never thrown on.
 */
export function renderPredictions(container: HTMLElement, received: unknown): void {
  container.replaceChildren();
  const sample = predictionsView(received);
  if (!sample) {
    const empty = document.createElement('p');
    empty.className = 'hint';
    empty.textContent = strings.noPredictions;
    container.append(empty);
    return;
  }
  const ink = rgbOf(getComputedStyle(document.body).color);
  const gridSection = document.createElement('section');
  gridSection.className = 'predictions-grid-section';
  const heading = document.createElement('h2');
  heading.textContent = format(strings.predictions, sample.epoch);
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.textContent = sample.skipped
    ? `${strings.predictionsHint} ${format(strings.digitsSkipped, sample.skipped)}`
    : strings.predictionsHint;
  const grid = document.createElement('div');
  grid.className = 'digit-grid';
  grid.dataset.epoch = String(sample.epoch);
  grid.setAttribute('role', 'list');
  grid.setAttribute('aria-label', strings.predictionsGrid);
  // What the focused digit is, in words: the hover title is out of a keyboard's reach.
  const detail = document.createElement('p');
  detail.className = 'hint focus-detail';
  detail.textContent = strings.focusDetailHint;
  const cells: HTMLElement[] = [];
  for (const digit of sample.digits) {
    const wrong = digit.label !== digit.predicted;
    // A div: a figure may not be a listitem (axe aria-allowed-role).
    const cell = document.createElement('div');
    cell.className = wrong ? 'digit wrong' : 'digit';
    cell.dataset.label = String(digit.label);
    cell.dataset.predicted = String(digit.predicted);
    const p = digit.confidence;
    const caption = document.createElement('span');
    caption.className = 'digit-caption';
    const pair = document.createElement('span');
    pair.textContent = `${digit.label} → ${digit.predicted}`;
    const probability = document.createElement('span');
    probability.className = 'probability';
    probability.textContent = `${Math.round(100 * p)}%`;
    caption.append(pair, probability);
    const outputs = digit.probabilities.map((q, k) => `${k}: ${q.toFixed(3)}`).join('  ');
    cell.title = `#${digit.index}: ${outputs}`;
    cell.setAttribute('role', 'listitem');
    cell.setAttribute(
      'aria-label',
      `${digit.label} → ${digit.predicted} (${p.toFixed(2)})${wrong ? `, ${strings.mistake}` : ''}`,
    );
    cell.dataset.detail = format(strings.digitDetail, digit.index, digit.label, digit.predicted, outputs);
    cell.append(digitCanvas(digit, ink), probabilityBars(digit), caption);
    grid.append(cell);
    cells.push(cell);
  }
  rovingFocus(grid, cells, { onFocus: (cell) => (detail.textContent = cell.dataset.detail ?? '') });
  gridSection.append(heading, hint, grid, detail);
  container.append(gridSection, confusionTable(sample));
}

function confusionTable(sample: PredictionsView): HTMLElement {
  const section = document.createElement('section');
  section.className = 'confusion-section';
  const heading = document.createElement('h2');
  heading.textContent = format(strings.confusion, sample.testCount);
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.textContent = strings.confusionHint;
  const table = document.createElement('table');
  table.className = 'confusion';
  table.setAttribute('aria-label', strings.confusionTable);
  const head = table.createTHead().insertRow();
  // The corner names both axes, so no header cell is empty.
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = '↓\\→';
  corner.title = strings.confusionHint;
  corner.setAttribute('aria-label', strings.confusionHint);
  head.append(corner);
  const detail = document.createElement('p');
  detail.className = 'hint focus-detail';
  detail.textContent = strings.focusDetailHint;
  const cells: HTMLElement[] = [];
  sample.confusion.forEach((_, k) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = String(k);
    head.append(th);
  });
  const body = table.createTBody();
  sample.confusion.forEach((row, label) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(label);
    tr.append(th);
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, predicted) => {
      const td = tr.insertCell();
      td.textContent = count > 0 ? String(count) : '';
      td.className = predicted === label ? 'hit' : count > 0 ? 'miss' : '';
      // Shade by the square root of the row's share, so rare mistakes still show next to a full diagonal;
      // capped at 35 % so the count keeps 4.5:1 on the tint in every default theme (60 % gave 4.15:1 in Light).
      td.style.setProperty('--share', `${Math.round(35 * Math.sqrt(count / total))}%`);
      td.title = `${label} → ${predicted}: ${count}`;
      td.dataset.detail = format(strings.confusionCell, label, predicted, count);
      cells.push(td);
    });
  });
  rovingFocus(table, cells, {
    columns: sample.confusion.length,
    onFocus: (cell) => (detail.textContent = cell.dataset.detail ?? ''),
  });
  section.append(heading, hint, table, detail);
  return section;
}
