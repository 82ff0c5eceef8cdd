/** Theme colours for what a page draws itself (canvas charts), read from VS Code's CSS variables. */

/** Where the theme's variables are read: `getComputedStyle(document.body)` (a slice, so tests need no DOM). */
export interface ThemeStyle {
  getPropertyValue(name: string): string;
}

/** The colour `name` has in the theme, opaque, or `fallback` where the theme leaves it out. */
export function themeColor(style: ThemeStyle, name: string, fallback: string): string {
  return opaque(style.getPropertyValue(name).trim() || fallback);
}

/**
 * `color` without its alpha. Some themes give a chart colour as a translucent highlight (Light and Dark
 * Modern's charts.orange is rgba(234, 92, 0, 0.33)), which leaves a thin curve all but invisible.
 */
export function opaque(color: string): string {
  const hex = /^#([0-9a-f]{6})[0-9a-f]{2}$/i.exec(color) ?? /^#([0-9a-f]{3})[0-9a-f]$/i.exec(color);
  if (hex) return `#${hex[1]}`;
  const rgb = /^rgba?\(\s*([\d.]+%?)[\s,]+([\d.]+%?)[\s,]+([\d.]+%?)/i.exec(color);
  if (rgb) return `rgb(${rgb[1]}, ${rgb[2]}, ${rgb[3]})`;
  return color;
}
