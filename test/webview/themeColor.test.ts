import { describe, expect, it } from 'vitest';
import { opaque, themeColor } from '../../webview/common/themeColor';

describe('opaque', () => {
  it('drops the alpha of the forms VS Code writes its colour variables in', () => {
    expect(opaque('rgba(234, 92, 0, 0.33)')).toBe('rgb(234, 92, 0)');
    expect(opaque('rgba(234,92,0,.33)')).toBe('rgb(234, 92, 0)');
    expect(opaque('rgb(234 92 0 / 33%)')).toBe('rgb(234, 92, 0)');
    expect(opaque('#ea5c0055')).toBe('#ea5c00');
    expect(opaque('#f805')).toBe('#f80');
  });

  it('keeps opaque colours as they are', () => {
    for (const color of ['#59a4f9', '#fff', 'rgb(1, 2, 3)', 'red']) expect(opaque(color)).toBe(color);
  });
});

describe('themeColor', () => {
  const style = (values: Record<string, string>) => ({ getPropertyValue: (name: string) => values[name] ?? '' });

  it('reads the variable, opaque, and falls back where the theme has none (high contrast has no charts.orange)', () => {
    expect(themeColor(style({ '--vscode-charts-orange': ' rgba(234, 92, 0, 0.33)' }), '--vscode-charts-orange', '#d18616')).toBe('rgb(234, 92, 0)');
    expect(themeColor(style({}), '--vscode-charts-orange', '#d18616')).toBe('#d18616');
  });
});
