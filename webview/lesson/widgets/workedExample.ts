/**
 * 7-3's interactive: the 2-3-3 network with every input, target entry, weight and bias editable; the forward
 * pass, softmax, cross-entropy, every delta and gradient, and one gradient-descent step, all recomputed by the
 * engine on every edit.
 */
import type { LessonNetworkData } from '../../../src/protocol/lessonProtocol';
import { runWorkedExample } from '../../../src/engine/workedExample';
import { gradientStep, runLessonNetwork, type NetworkPass } from '../../../src/engine/lessonNetwork';
import { backwardLines, forwardLines, gradientLines, lossLines } from '../model/tex';
import { mathElement } from '../render';
import type { PageStrings } from '../strings';
import { button, el } from './controls';

/** What the student changed, kept in the page state so the panel comes back as they left it. */
export interface WorkedExampleEdits {
  data: LessonNetworkData;
  learningRate: string;
  /** Loss before and after the last step taken, if any. */
  lastStep?: { before: number; after: number };
}

/** The worked example; `onChange` gets every accepted edit. */
export function workedExample(
  original: LessonNetworkData,
  strings: PageStrings,
  saved: WorkedExampleEdits | undefined,
  onChange: (edits: WorkedExampleEdits) => void,
): HTMLElement {
  let edits: WorkedExampleEdits = saved ?? { data: structuredClone(original), learningRate: '0.5' };
  const root = el('section', 'interactive worked-example');
  const editors = el('div', 'editors');
  const errors = el('p', 'error');
  errors.setAttribute('role', 'alert');
  const results = el('div', 'results');
  root.append(el('p', 'hint', strings.editHint), editors, errors, results);

  function update(next: WorkedExampleEdits): void {
    edits = next;
    onChange(edits);
    draw();
  }

  function draw(): void {
    const pass = runLessonNetwork(edits.data);
    editors.replaceChildren(
      ...numberEditors(edits.data, strings, errors, (data) => update({ ...edits, data, lastStep: undefined })),
    );
    results.replaceChildren(
      ...resultSections(pass, edits, strings, errors, update, () =>
        update({ data: structuredClone(original), learningRate: '0.5' }),
      ),
    );
  }
  draw();
  return root;
}

/** Editable boxes for x, ŷ, and each layer's W and b. */
function numberEditors(
  data: LessonNetworkData,
  strings: PageStrings,
  errors: HTMLElement,
  commit: (data: LessonNetworkData) => void,
): HTMLElement[] {
  const vector = (
    tex: string,
    label: string,
    values: number[],
    set: (i: number, v: number) => LessonNetworkData,
    check?: (next: LessonNetworkData) => string | undefined,
  ) =>
    grid(
      tex,
      [values],
      (_r, c) => `${label}[${c + 1}]`,
      (_r, c, v) => set(c, v),
      strings,
      errors,
      commit,
      check,
    );
  const parts = [
    vector('x', 'x', data.input, (i, v) => ({ ...data, input: data.input.map((x, j) => (j === i ? v : x)) })),
    vector(
      '\\hat{y}',
      'ŷ',
      data.target,
      (i, v) => ({ ...data, target: data.target.map((t, j) => (j === i ? v : t)) }),
      (next) =>
        next.target.every((t) => t >= 0) && Math.abs(next.target.reduce((a, b) => a + b, 0) - 1) < 1e-9
          ? undefined
          : strings.badTarget,
    ),
  ];
  data.layers.forEach((layer, l) => {
    const withLayer = (change: Partial<LessonNetworkData['layers'][number]>) => ({
      ...data,
      layers: data.layers.map((x, i) => (i === l ? { ...x, ...change } : x)),
    });
    parts.push(
      grid(
        `W^{${l + 1}}`,
        layer.W,
        (r, c) => `W${l + 1}[${r + 1}][${c + 1}]`,
        (r, c, v) => withLayer({ W: layer.W.map((row, i) => row.map((w, j) => (i === r && j === c ? v : w))) }),
        strings,
        errors,
        commit,
      ),
      vector(`b^{${l + 1}}`, `b${l + 1}`, layer.b, (i, v) =>
        withLayer({ b: layer.b.map((b, j) => (j === i ? v : b)) }),
      ),
    );
  });
  return parts;
}

/** One labelled matrix of number boxes; a box that does not hold a number is marked and explained, and nothing recomputes. */
function grid(
  tex: string,
  rows: number[][],
  name: (r: number, c: number) => string,
  set: (r: number, c: number, v: number) => LessonNetworkData,
  strings: PageStrings,
  errors: HTMLElement,
  commit: (data: LessonNetworkData) => void,
  check?: (next: LessonNetworkData) => string | undefined,
): HTMLElement {
  const box = el('div', 'matrix-editor');
  const table = el('div', 'matrix');
  table.style.gridTemplateColumns = `repeat(${rows[0].length}, auto)`;
  rows.forEach((row, r) =>
    row.forEach((value, c) => {
      const input = el('input', 'number');
      input.type = 'text';
      input.inputMode = 'decimal';
      input.value = String(value);
      input.setAttribute('aria-label', name(r, c));
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') input.blur();
      });
      input.addEventListener('change', () => {
        const text = input.value.trim();
        const v = text === '' ? NaN : Number(text);
        const problem = Number.isFinite(v) ? check?.(set(r, c, v)) : strings.badNumber(name(r, c), input.value);
        input.toggleAttribute('aria-invalid', problem !== undefined);
        errors.textContent = problem ?? '';
        if (problem === undefined) commit(set(r, c, v));
        else input.focus();
      });
      table.append(input);
    }),
  );
  box.append(mathElement(`${tex} =`, false), table);
  return box;
}

/** Everything computed from the current numbers. */
function resultSections(
  pass: NetworkPass,
  edits: WorkedExampleEdits,
  strings: PageStrings,
  errors: HTMLElement,
  update: (next: WorkedExampleEdits) => void,
  reset: () => void,
): HTMLElement[] {
  const L = pass.layers.length;
  const layers = Array.from({ length: L }, (_, i) => i + 1);
  const engine = runWorkedExample({ input: edits.data.input, target: edits.data.target, layers: edits.data.layers });
  const loss = el('p', 'loss-line');
  const lossValue = el('strong', undefined, pass.cost.toFixed(4));
  lossValue.dataset.testid = 'loss';
  loss.append('C = ', lossValue);
  const section = (title: string, ...content: HTMLElement[]) => {
    const s = el('div', 'result-section');
    s.append(el('h3', undefined, title), ...content);
    return s;
  };
  const rate = el('input', 'number');
  rate.type = 'text';
  rate.inputMode = 'decimal';
  rate.value = edits.learningRate;
  rate.setAttribute('aria-label', strings.learningRate);
  const takeStep = () => {
    const eta = Number(rate.value.trim());
    if (!(eta > 0) || !Number.isFinite(eta)) {
      errors.textContent = strings.badLearningRate(rate.value);
      rate.toggleAttribute('aria-invalid', true);
      rate.focus();
      return;
    }
    errors.textContent = '';
    const data = gradientStep(edits.data, pass, eta);
    update({
      data,
      learningRate: rate.value.trim(),
      lastStep: { before: pass.cost, after: runLessonNetwork(data).cost },
    });
  };
  rate.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') takeStep();
  });
  const rateLabel = el('label', 'rate');
  rateLabel.append(strings.learningRate + ' ', rate);
  const stepBar = el('div', 'toolbar');
  stepBar.append(
    rateLabel,
    button(strings.takeStep, takeStep),
    button(strings.resetExample, reset, { secondary: true }),
  );
  const stepResult = edits.lastStep
    ? [el('p', 'step-result', strings.newLoss(edits.lastStep.before.toFixed(4), edits.lastStep.after.toFixed(4)))]
    : [];
  stepResult[0]?.setAttribute('data-testid', 'step-result');
  return [
    section(strings.forward, ...layers.flatMap((l) => forwardLines(pass, l)).map((tex) => mathElement(tex, true))),
    section(
      strings.softmaxLoss,
      ...lossLines(pass).map((tex) => mathElement(tex, true)),
      loss,
      el(
        'p',
        undefined,
        strings.roundedNote(engine.loss.withRoundedProbabilities.toFixed(4), engine.loss.value.toFixed(4)),
      ),
      el('p', undefined, strings.predicted(pass.predicted + 1, pass.target.indexOf(Math.max(...pass.target)) + 1)),
    ),
    section(
      strings.backwardPass,
      ...[...layers]
        .reverse()
        .flatMap((l) => [...backwardLines(pass, l), ...gradientLines(pass, l)])
        .map((tex) => mathElement(tex, true)),
    ),
    section(
      strings.stepTitle,
      mathElement(
        `W^l \\leftarrow W^l - \\eta \\frac{\\partial C}{\\partial W^l}, \\quad b^l \\leftarrow b^l - \\eta \\frac{\\partial C}{\\partial b^l}`,
        true,
      ),
      stepBar,
      ...stepResult,
    ),
  ];
}
