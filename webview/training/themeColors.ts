/**
 * Colors the charts draw with, read from the theme's CSS variables. The series colours are DNN Lab's own
 * contributed colours (package.json `contributes.colors`, an Okabe–Ito palette with defaults for Light, Dark,
 * High Contrast and High Contrast Light), so every theme defines them and a theme may override them.
 */
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

/** The contributed colours' fallbacks (their Dark defaults), for a page opened outside VS Code. */
export const SERIES_FALLBACKS = ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#D4D4D4'] as const;

function cssVariable(style: Pick<CSSStyleDeclaration, 'getPropertyValue'>, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The current theme's colors. */
export function themeColors(
  style: Pick<CSSStyleDeclaration, 'getPropertyValue'> = getComputedStyle(document.body),
): ThemeColors {
  const v = (name: string, fallback: string) => cssVariable(style, name, fallback);
  return {
    foreground: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', '#80808059')),
    background: v('--vscode-editor-background', '#1e1e1e'),
    train: v('--vscode-dnnLab-chartTrain', SERIES_FALLBACKS[0]),
    test: v('--vscode-dnnLab-chartTest', SERIES_FALLBACKS[1]),
    layers: SERIES_FALLBACKS.map((fallback, i) => v(`--vscode-dnnLab-chartSeries${i + 1}`, fallback)),
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
