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

function cssVariable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The current theme's colors. */
export function themeColors(): ThemeColors {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => cssVariable(style, name, fallback);
  const blue = v('--vscode-charts-blue', '#3794ff');
  const orange = v('--vscode-charts-orange', '#d18616');
  return {
    foreground: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', '#80808059')),
    background: v('--vscode-editor-background', '#1e1e1e'),
    train: blue,
    test: orange,
    layers: [
      blue,
      v('--vscode-charts-green', '#89d185'),
      v('--vscode-charts-purple', '#b180d7'),
      orange,
      v('--vscode-charts-red', '#f14c4c'),
      v('--vscode-charts-yellow', '#cca700'),
    ],
    warning: v('--vscode-editorWarning-foreground', '#cca700'),
    highContrast:
      document.body.classList.contains('vscode-high-contrast') ||
      document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Calls `onChange` when the user switches theme (VS Code swaps the body's class and CSS variables). */
export function onThemeChange(onChange: () => void): void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
