/** Small DOM helpers shared by the lesson's interactive parts. */
import '@vscode-elements/elements/dist/vscode-button/index.js';

/** A native-looking VS Code button. */
export function button(label: string, onClick: () => void, options: { secondary?: boolean } = {}): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  if (options.secondary) el.setAttribute('secondary', '');
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) onClick();
  });
  return el;
}

/** Enables or disables a button made by `button`. */
export function setEnabled(el: HTMLElement, enabled: boolean): void {
  el.toggleAttribute('disabled', !enabled);
}

/** An element with a class and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
