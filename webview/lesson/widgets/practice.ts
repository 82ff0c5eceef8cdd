/**
 * Practice mode of lessons 7-1 and 7-3: the student computes each number (softmax, loss, every δ, gradient
 * entries) before it is shown; the engine checks it and names the usual mistake a wrong answer matches.
 * Keyboard only works throughout: labelled inputs, Enter checks, results announced in a live region.
 */
import { checkAnswer, type CheckResult } from '../../../src/engine/practice/checker';
import {
  practiceExercise,
  type PracticeExercise,
  type PracticeLesson,
  type PracticeStep,
} from '../../../src/engine/practice/exercise';
import type { ExerciseProgress, PracticeProgress } from '../../../src/engine/practice/progress';
import type { LessonNetworkData, PracticeFocus } from '../../../src/protocol/lessonProtocol';
import { mathElement } from '../render';
import type { MistakeContext, PageStrings } from '../strings';
import { button, el } from './controls';
import { answerTex, formulaTex, givenLines, plainEntrySymbol, plainSymbol, texSymbol, usesTex } from './practiceTex';

/** The practice widget; `onProgress` gets every change so the host can keep it per student. */
export function practice(
  lesson: PracticeLesson,
  network: LessonNetworkData,
  strings: PageStrings,
  saved: PracticeProgress,
  onProgress: (progress: PracticeProgress) => void,
  focus?: PracticeFocus,
): HTMLElement {
  let progress = saved;
  let cached: { key: string; exercise: PracticeExercise } | undefined;
  const root = el('section', 'interactive practice');
  root.dataset.testid = 'practice';
  const title = el('h3', 'practice-title');
  const given = el('div', 'practice-given');
  const done = el('ol', 'practice-done');
  const stepSlot = el('div', 'practice-step-slot');
  // One live region that stays in the page, so every change of its text is announced.
  const feedback = el('div', 'practice-feedback');
  feedback.setAttribute('role', 'status');
  feedback.setAttribute('aria-live', 'polite');
  feedback.dataset.testid = 'practice-feedback';
  const summary = el('p', 'summary');
  const bar = el('div', 'toolbar');
  bar.append(
    button(strings.practiceNew, () => newExercise(), { secondary: true }),
    button(strings.practiceRestart, () => update({ ...current(), done: {}, start: undefined }, true), {
      secondary: true,
    }),
  );
  root.append(el('p', 'hint', strings.practiceIntro), title, given, done, stepSlot, feedback, bar, summary);

  const current = (): ExerciseProgress => progress.current[lesson] ?? { seed: 0, done: {} };
  const exercise = (): PracticeExercise => {
    const c = current();
    const key = `${c.seed}/${c.activation ?? ''}`;
    if (cached?.key !== key)
      cached = { key, exercise: practiceExercise(lesson, network, c.seed, { hiddenActivation: c.activation }) };
    return cached.exercise;
  };

  function save(next: PracticeProgress): void {
    progress = next;
    onProgress(progress);
  }

  function update(exerciseProgress: ExerciseProgress, clearFeedback: boolean): void {
    save({ ...progress, current: { ...progress.current, [lesson]: exerciseProgress } });
    if (clearFeedback) feedback.replaceChildren();
    draw();
  }

  function newExercise(activation = current().activation, start?: string): void {
    update({ seed: (current().seed + 1) % 0xffffffff, activation, done: {}, start }, true);
    firstInput()?.focus();
  }

  const firstInput = () => stepSlot.querySelector('input');

  if (focus) {
    // From a layer's hover: an exercise with that layer's activation, starting at its δ.
    const c = current();
    const fits = focus.activation === undefined || c.activation === focus.activation || (c.seed === 0 && !c.activation);
    const seed = fits && Object.keys(c.done).length === 0 ? c.seed : (c.seed + 1) % 0xffffffff;
    const activation = focus.activation ?? c.activation;
    const L = practiceExercise(lesson, network, seed, { hiddenActivation: activation }).network.layers.length;
    update({ seed, activation, done: {}, start: `delta-${focus.output ? L : L - 1}` }, true);
  }
  draw();
  return root;

  function draw(): void {
    const e = exercise();
    const c = current();
    const startIndex = Math.max(
      0,
      e.steps.findIndex((s) => s.id === c.start),
    );
    const open = e.steps.findIndex((s, k) => k >= startIndex && c.done[s.id] === undefined);
    const sizes = [e.network.input.length, ...e.network.layers.map((l) => l.b.length)].join('-');
    const hidden = [...new Set(e.network.layers.slice(0, -1).map((l) => l.activation))].join(', ');
    const ce = e.network.loss === 'categoricalCrossentropy';
    title.textContent = strings.practiceExercise(
      e.network === network ? undefined : e.seed,
      sizes,
      hidden,
      ce ? strings.practiceOutputCe : strings.practiceOutputMse,
    );
    const softmaxKnown = !ce || open === -1 || open > 0 || startIndex > 0;
    given.replaceChildren(
      el('h4', undefined, strings.practiceGiven),
      ...givenLines(e, softmaxKnown).map((tex) => mathElement(tex, true)),
    );
    const finished = e.steps.filter((s, k) => k < startIndex || c.done[s.id] !== undefined);
    done.replaceChildren(...finished.map((s) => doneItem(s, c.done[s.id])));
    done.hidden = finished.length === 0;
    if (open === -1) {
      const outcomes = Object.values(c.done);
      stepSlot.replaceChildren(
        el(
          'p',
          'practice-finished',
          strings.practiceFinished(
            outcomes.filter((o) => o === 'solved').length,
            outcomes.filter((o) => o === 'revealed').length,
          ),
        ),
      );
    } else stepSlot.replaceChildren(stepForm(e, e.steps[open]));
    summary.textContent = strings.practiceProgress(progress.solved, progress.revealed, progress.exercises);
  }

  function doneItem(step: PracticeStep, outcome: ExerciseProgress['done'][string] | undefined): HTMLElement {
    // One line per finished step, so the given numbers stay near the open one.
    const item = el('li', `practice-done-step${outcome ? ` ${outcome}` : ''}`);
    item.append(el('span', 'practice-done-title', stepTitle(step)), mathElement(answerTex(step), false));
    if (outcome) {
      item.append(
        el('span', 'practice-mark', outcome === 'solved' ? strings.practiceSolvedMark : strings.practiceRevealedMark),
      );
    }
    return item;
  }

  function stepTitle(step: PracticeStep): string {
    const symbol = plainSymbol(step);
    const L = exercise().network.layers.length;
    switch (step.kind) {
      case 'softmax':
        return strings.practiceSoftmaxTitle(L);
      case 'loss':
        return strings.practiceLossTitle;
      case 'delta':
        return strings.practiceDeltaTitle(symbol, step.layer, step.layer === L);
      case 'weightGradient':
        return strings.practiceWeightTitle(symbol, step.layer);
      case 'biasGradient':
        return strings.practiceBiasTitle(symbol, step.layer);
    }
  }

  function stepForm(e: PracticeExercise, step: PracticeStep): HTMLElement {
    const form = el('form', 'practice-step');
    form.dataset.step = step.id;
    const heading = el('h4', undefined, stepTitle(step));
    heading.id = `practice-${lesson}-${step.id}`;
    form.setAttribute('aria-labelledby', heading.id);
    const entries = el('div', 'practice-entries');
    const inputs = step.exact.map((_, k) => {
      const label = el('label', 'practice-entry');
      const input = el('input', 'number');
      input.type = 'text';
      input.inputMode = 'decimal';
      input.autocomplete = 'off';
      input.spellcheck = false;
      input.setAttribute('aria-label', strings.practiceEntry(plainEntrySymbol(step, k), k + 1, step.exact.length));
      input.dataset.entry = String(k);
      const symbol = mathElement(`${texSymbol(step, step.exact.length === 1 ? undefined : k)} =`, false);
      symbol.setAttribute('aria-hidden', 'true');
      label.append(symbol, input);
      entries.append(label);
      return input;
    });
    const check = button(strings.practiceCheck, () => submit());
    const reveal = button(strings.practiceReveal, () => finish(step, 'revealed'), { secondary: true });
    const tools = el('div', 'toolbar');
    tools.append(check, reveal);
    const uses = el('div', 'practice-uses');
    uses.append(el('span', 'hint', strings.practiceUses), mathElement(usesTex(step, e), false));
    form.append(heading, uses, el('p', 'hint', strings.practiceAsk), entries, tools);
    // Enter in any box checks; the form never navigates.
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target instanceof HTMLInputElement) {
        event.preventDefault();
        submit();
      }
    });

    function submit(): void {
      const result = checkAnswer(
        step,
        inputs.map((i) => i.value),
      );
      for (const input of inputs) input.removeAttribute('aria-invalid');
      if (result.kind === 'correct') {
        finish(step, 'solved');
        return;
      }
      const bad = result.kind === 'invalid' ? [result.entry] : result.entries;
      for (const k of bad) inputs[k].setAttribute('aria-invalid', 'true');
      showResult(e, step, result);
      if (result.kind === 'mistake') {
        const mistakes = { ...progress.mistakes };
        for (const id of result.mistakes) mistakes[id] = (mistakes[id] ?? 0) + 1;
        save({ ...progress, mistakes });
      }
      inputs[bad[0] ?? 0].focus();
    }
    return form;
  }

  function finish(step: PracticeStep, outcome: 'solved' | 'revealed'): void {
    const c = current();
    const e = exercise();
    const doneNow = { ...c.done, [step.id]: outcome };
    const startIndex = Math.max(
      0,
      e.steps.findIndex((s) => s.id === c.start),
    );
    const complete = e.steps.every((s, k) => k < startIndex || doneNow[s.id] !== undefined);
    save({
      ...progress,
      solved: progress.solved + (outcome === 'solved' ? 1 : 0),
      revealed: progress.revealed + (outcome === 'revealed' ? 1 : 0),
      exercises: progress.exercises + (complete ? 1 : 0),
    });
    update({ ...c, done: doneNow }, false);
    const symbol = plainSymbol(step);
    const line = el(
      'p',
      outcome === 'solved' ? 'practice-right' : undefined,
      outcome === 'solved' ? strings.practiceCorrect(symbol) : strings.practiceRevealed(symbol),
    );
    feedback.replaceChildren(line);
    (firstInput() ?? root.querySelector<HTMLElement>('.toolbar vscode-button'))?.focus();
  }

  function showResult(
    e: PracticeExercise,
    step: PracticeStep,
    result: Exclude<CheckResult, { kind: 'correct' }>,
  ): void {
    const formula = () => [el('p', undefined, strings.practiceFormula), mathElement(formulaTex(step, e), true)];
    switch (result.kind) {
      case 'invalid': {
        const label = strings.practiceEntry(plainEntrySymbol(step, result.entry), result.entry + 1, step.exact.length);
        feedback.replaceChildren(el('p', 'error', strings.practiceInvalid(label, result.text)));
        return;
      }
      case 'precision':
        feedback.replaceChildren(el('p', 'practice-close', strings.practicePrecision(result.decimals)));
        return;
      case 'wrong':
        feedback.replaceChildren(
          el('p', 'error', strings.practiceWrong(strings.practiceEntries(result.entries.map((k) => k + 1)))),
          ...formula(),
        );
        return;
      case 'mistake': {
        const context = mistakeContext(e, step);
        const names = result.mistakes.map((id) => strings.mistakeName[id]);
        const box = el('div', 'practice-mistake');
        box.dataset.mistakes = result.mistakes.join(' ');
        box.append(
          el('p', 'error', strings.practiceMistake(names)),
          ...result.mistakes.map((id) => el('p', undefined, strings.mistakeWhy(id, context))),
          ...formula(),
        );
        feedback.replaceChildren(box);
      }
    }
  }
}

function mistakeContext(e: PracticeExercise, step: PracticeStep): MistakeContext {
  const L = e.network.layers.length;
  return {
    l: step.layer,
    output: step.layer === L,
    softmax: e.network.layers[L - 1].activation === 'softmax',
    activation: e.network.layers[step.layer - 1].activation,
    n: e.network.target.length,
  };
}
