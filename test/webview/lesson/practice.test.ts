// @vitest-environment happy-dom
import './standardsMode';
import { describe, expect, it } from 'vitest';
import type { LessonNetworkData } from '../../../src/engine/lessonNetwork';
import { practiceExercise } from '../../../src/engine/practice/exercise';
import { emptyProgress, isPracticeProgress, type PracticeProgress } from '../../../src/engine/practice/progress';
import stepper from '../../../lessons/7-1-stepper.json';
import worked from '../../../lessons/7-3-worked-example.json';
import { pageStrings } from '../../../webview/lesson/strings';
import { practice } from '../../../webview/lesson/widgets/practice';

// The lesson page is a standards-mode document (KaTeX refuses quirks mode), as webviewHtml writes it.

const network = { ...stepper, loss: 'meanSquaredError' } as LessonNetworkData;
const exercise = practiceExercise('7-1', network, 0);
const step = (id: string) => exercise.steps.find((s) => s.id === id)!;

/** Mounts the widget with progress that jumps to δ¹ (every step before it given), as a student mid-exercise. */
function mount(language: 'en' | 'zh-tw' = 'en') {
  const saves: PracticeProgress[] = [];
  const start = { ...emptyProgress(), current: { '7-1': { seed: 0, done: {}, start: 'delta-1' } } };
  const root = practice('7-1', network, pageStrings(language), start, (p) => saves.push(p));
  document.body.replaceChildren(root);
  const inputs = () => [...root.querySelectorAll<HTMLInputElement>('.practice-step input')];
  const type = (values: string[]) => {
    inputs().forEach((input, k) => (input.value = values[k]));
    inputs()[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  };
  const feedback = () => root.querySelector('[data-testid="practice-feedback"]')!;
  return { root, inputs, type, feedback, saves };
}

describe('the practice widget', () => {
  it('labels every box, names "σ′ left out" for δ¹ without σ′, then accepts the right δ¹ and moves on', () => {
    const { root, inputs, type, feedback, saves } = mount();
    expect(root.querySelector('.practice-step')?.getAttribute('data-step')).toBe('delta-1');
    expect(inputs().map((i) => i.getAttribute('aria-label'))).toEqual([
      'δ¹₁, entry 1 of 3',
      'δ¹₂, entry 2 of 3',
      'δ¹₃, entry 3 of 3',
    ]);
    expect(feedback().getAttribute('aria-live')).toBe('polite');
    // σ′ left out, computed here from the engine pass: (W²)ᵀ δ².
    const [, l2] = exercise.pass.layers;
    const noSigma = l2.W[0].map((_, i) => l2.W.reduce((s, row, k) => s + row[i] * l2.delta[k], 0));
    type(noSigma.map((v) => v.toFixed(4)));
    expect(feedback().querySelector('.practice-mistake')?.getAttribute('data-mistakes')).toBe('noSigmaPrime');
    expect(feedback().textContent).toContain('σ′ left out');
    expect(feedback().querySelector('.katex')).not.toBeNull();
    expect(inputs().every((i) => i.getAttribute('aria-invalid') === 'true')).toBe(true);
    expect(saves.at(-1)?.mistakes).toEqual({ noSigmaPrime: 1 });

    type(step('delta-1').exact.map((v) => v.toFixed(4)));
    expect(feedback().textContent).toBe('Right: δ¹ is correct.');
    expect(root.querySelector('.practice-step')?.getAttribute('data-step')).toBe('dW-1');
    const last = saves.at(-1)!;
    expect(isPracticeProgress(last)).toBe(true);
    expect(last.solved).toBe(1);
    expect(last.current['7-1']?.done).toEqual({ 'delta-1': 'solved' });
  });

  it('says which box is empty, in Chinese too', () => {
    const { type, feedback } = mount('zh-tw');
    type(['0.1', '', '0.2']);
    expect(feedback().textContent).toBe('δ¹₂ 的第 2 個元素（共 3 個）是空的：請輸入數字，例如 −0.0123。');
  });

  it('finishes an exercise by revealing, counts it, and draws a new one', () => {
    const { root, saves } = mount();
    for (let k = 0; k < 3; k++) root.querySelector<HTMLElement>('.practice-step vscode-button[secondary]')!.click();
    expect(root.querySelector('.practice-finished')).not.toBeNull();
    expect(saves.at(-1)).toMatchObject({ revealed: 3, exercises: 1 });
    [...root.querySelectorAll<HTMLElement>('.toolbar vscode-button')]
      .find((b) => b.textContent === 'New exercise')!
      .click();
    expect(saves.at(-1)?.current['7-1']).toEqual({ seed: 1, activation: undefined, done: {}, start: undefined });
    expect(root.querySelector('.practice-title')?.textContent).toMatch(/^Exercise 1: a /);
  });

  it.each([
    ['7-1', 0],
    ['7-3', 5],
  ] as const)('lesson %s seed %i: every formula of every step renders, with no TeX left as words', (lesson, seed) => {
    const data = (
      lesson === '7-1' ? { ...stepper, loss: 'meanSquaredError' } : { ...worked, loss: 'categoricalCrossentropy' }
    ) as LessonNetworkData;
    const start = { ...emptyProgress(), current: { [lesson]: { seed, done: {} } } };
    const root = practice(lesson, data, pageStrings('en'), start, () => undefined);
    document.body.replaceChildren(root);
    const steps = practiceExercise(lesson, data, seed).steps;
    expect(root.querySelector('.practice-title')?.textContent).toMatch(
      seed === 0 ? /^The lesson’s network/ : /^Exercise 5/,
    );
    for (const s of steps) {
      expect(root.querySelector('.practice-step')?.getAttribute('data-step')).toBe(s.id);
      // A wrong answer shows the formula to use too.
      root.querySelectorAll<HTMLInputElement>('.practice-step input').forEach((input) => (input.value = '12345'));
      root
        .querySelector('.practice-step input')!
        .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      expect(root.querySelector('.practice-feedback .katex'), s.id).not.toBeNull();
      expect(root.querySelectorAll('.katex-error').length, s.id).toBe(0);
      // KaTeX keeps the TeX source in its MathML annotation; a lost backslash would leave "quad" or "delta" there.
      expect(root.textContent, s.id).not.toMatch(/(?<![\\a-z])(quad|delta|hat|frac|sigma|odot)/);
      root.querySelector<HTMLElement>('.practice-step vscode-button[secondary]')!.click();
    }
    expect(root.querySelector('.practice-finished')).not.toBeNull();
  });
});
