/** Turns parsed lesson blocks into DOM, math through KaTeX, interactive parts through the given widgets. */
import katex from 'katex';
import type { Inline, LessonBlock } from './lessonMarkdown';

/** Builds the element for one "::: name args" line. */
export type WidgetFactory = (args: string[], rest: string) => HTMLElement;

/** Renders TeX into `target`; a TeX mistake shows as KaTeX's red error text at the formula, never a blank. */
export function renderMath(target: HTMLElement, tex: string, displayMode: boolean): void {
  katex.render(tex, target, { displayMode, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore' });
}

/** An element with TeX rendered in it. */
export function mathElement(tex: string, displayMode: boolean): HTMLElement {
  const el = document.createElement(displayMode ? 'div' : 'span');
  el.className = displayMode ? 'math-display' : 'math-inline';
  renderMath(el, tex, displayMode);
  return el;
}

/** Appends a line of inline parts to `parent`. */
export function appendInline(parent: HTMLElement, parts: readonly Inline[]): void {
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        parent.append(part.text);
        break;
      case 'math':
        parent.append(mathElement(part.text, false));
        break;
      default: {
        const el = document.createElement(part.kind === 'bold' ? 'strong' : part.kind);
        el.textContent = part.text;
        parent.append(el);
      }
    }
  }
}

/** Renders a whole lesson; unknown widgets show a visible notice rather than vanishing. */
export function renderLesson(blocks: readonly LessonBlock[], widgets: Record<string, WidgetFactory>): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading': {
        const el = document.createElement(`h${block.level}`);
        appendInline(el, block.content);
        fragment.append(el);
        break;
      }
      case 'paragraph': {
        const el = document.createElement('p');
        appendInline(el, block.content);
        fragment.append(el);
        break;
      }
      case 'list': {
        const el = document.createElement(block.ordered ? 'ol' : 'ul');
        for (const item of block.items) {
          const li = document.createElement('li');
          appendInline(li, item);
          el.append(li);
        }
        fragment.append(el);
        break;
      }
      case 'math':
        fragment.append(mathElement(block.tex, true));
        break;
      case 'widget': {
        const factory = widgets[block.name];
        if (factory) fragment.append(factory(block.args, block.rest));
        else {
          const el = document.createElement('p');
          el.className = 'error';
          el.textContent = `Unknown lesson part "::: ${block.name}"`;
          fragment.append(el);
        }
      }
    }
  }
  return fragment;
}
