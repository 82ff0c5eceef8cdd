/** Creates an element with an optional class and text: the one DOM helper the pages build their views with. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K];
/** A custom element (e.g. "vscode-button") or any other tag. */
export function el<T extends HTMLElement = HTMLElement>(tag: string, className?: string, text?: string): T;
export function el(tag: string, className?: string, text?: string): HTMLElement {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
