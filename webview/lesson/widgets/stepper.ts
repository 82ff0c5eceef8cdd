/** 7-1's interactive: step forward through a small network, then backward, each delta computed from the one after it. */
import type { LessonNetworkData } from '../../../src/protocol/lessonProtocol';
import { runLessonNetwork } from '../../../src/engine/lessonNetwork';
import { stepperSteps, type Step } from '../model/tex';
import { mathElement } from '../render';
import type { PageStrings } from '../strings';
import { button, el, setEnabled } from './controls';
import { networkFigure } from './networkFigure';

/** The stepper: a figure highlighting the current layer, the steps so far, and previous/next/reset buttons. */
export function stepper(
  data: LessonNetworkData,
  strings: PageStrings,
  saved: { step: number },
  onStep: (step: number) => void,
): HTMLElement {
  const steps = stepperSteps(runLessonNetwork(data));
  const root = el('section', 'interactive stepper');
  const figureSlot = el('div', 'figure-slot');
  const log = el('ol', 'steps');
  const counter = el('span', 'step-counter');
  let current = Math.min(Math.max(saved.step, 0), steps.length);
  const back = button(strings.stepBack, () => show(current - 1), { secondary: true });
  const next = button(strings.stepForward, () => show(current + 1));
  const reset = button(strings.stepReset, () => show(0), { secondary: true });
  const bar = el('div', 'toolbar');
  bar.append(back, next, reset, counter);
  root.append(figureSlot, bar, log);

  function show(step: number): void {
    current = Math.min(Math.max(step, 0), steps.length);
    const shown = steps.slice(0, current);
    const active = shown[shown.length - 1];
    figureSlot.replaceChildren(networkFigure(data, strings, active ? highlightedLayer(active) : undefined));
    log.replaceChildren(...shown.map((s, i) => stepItem(s, strings, i === shown.length - 1)));
    counter.textContent = strings.stepOf(current, steps.length);
    setEnabled(back, current > 0);
    setEnabled(next, current < steps.length);
    log.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
    onStep(current);
  }
  show(current);
  return root;
}

/** The figure column a step is about: the layer it computes (forward, backward, gradients) or the output for the loss. */
function highlightedLayer(step: Step): number | undefined {
  return step.phase === 'loss' ? undefined : step.layer;
}

function stepItem(step: Step, strings: PageStrings, active: boolean): HTMLElement {
  const item = el('li', `step ${step.phase}${active ? ' active' : ''}`);
  const title =
    step.phase === 'forward'
      ? strings.phaseForward(step.layer)
      : step.phase === 'loss'
        ? strings.phaseLoss
        : step.phase === 'backward'
          ? strings.phaseBackward(step.layer)
          : strings.phaseGradient(step.layer);
  item.append(el('h3', undefined, title), ...step.lines.map((tex) => mathElement(tex, true)));
  return item;
}
