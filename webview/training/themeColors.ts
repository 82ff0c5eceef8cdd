import { themeColor } from '../common/themeColor';

/** Colors the charts draw with, read from the theme's CSS variables so light, dark and high-contrast themes all fit. */
export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  /** Series colors: train, test, and one per layer. */
  train: string;
  test: string;
  layers: string[];
  warning: string;
  highContrast: boolean;
}

/** The current theme's colors. */
export function themeColors(): ThemeColors {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  // Series colours opaque: a translucent one (Modern's charts.orange) leaves a thin curve all but invisible.
  const series = (name: string, fallback: string) => themeColor(style, name, fallback);
  const blue = series('--vscode-charts-blue', '#3794ff');
  const orange = series('--vscode-charts-orange', '#d18616');
  return {
    foreground: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', '#80808059')),
    background: v('--vscode-editor-background', '#1e1e1e'),
    train: blue,
    test: orange,
    layers: [
      blue,
      series('--vscode-charts-green', '#89d185'),
      series('--vscode-charts-purple', '#b180d7'),
      orange,
      series('--vscode-charts-red', '#f14c4c'),
      series('--vscode-charts-yellow', '#cca700'),
    ],
    warning: v('--vscode-editorWarning-foreground', '#cca700'),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Calls `onChange` when the user switches theme (VS Code swaps the body's class and CSS variables). */
export function onThemeChange(onChange: () => void): void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
