// DNN Lab's contributed colours (package.json contributes.colors): every one a page or the editor uses exists,
// with a default for each kind of theme, and contrasts with the editor background of VS Code's default theme of
// that kind: 3:1 for lines and shapes, 4.5:1 for text (WCAG 2.1, 1.4.11 and 1.4.3).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { colors: { id: string; description: string; defaults: Record<string, string> }[] };
};
const colors = pkg.contributes.colors;

/** The editor background of Light Modern, Dark Modern, High Contrast and High Contrast Light. */
const BACKGROUNDS = { light: '#ffffff', dark: '#1f1f1f', highContrast: '#000000', highContrastLight: '#ffffff' };
/** Colours used for text (the lesson's step headings, mistakes, the editor's layer annotations). */
const TEXT = new Set([
  'dnnLab.chartTrain',
  'dnnLab.chartSeries4',
  'dnnLab.mistakeForeground',
  'dnnLab.signalVanishing',
  'dnnLab.signalLow',
  'dnnLab.signalHealthy',
  'dnnLab.signalHigh',
  'dnnLab.signalExploding',
]);

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(join(ROOT, rel)).isDirectory() ? files(rel) : [rel];
  });
}

describe('contributed colours', () => {
  it('every --vscode-dnnLab-… variable the pages use, and every dnnLab.… ThemeColor, is contributed', () => {
    const ids = new Set(colors.map((c) => c.id));
    const used = new Set<string>();
    for (const file of [...files('webview'), ...files('media'), ...files('src')].filter((f) => /\.(ts|css)$/.test(f))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/--vscode-dnnLab-(\w+)(?![\w$])/g)) used.add(`dnnLab.${m[1]}`);
      // A file that makes ThemeColors: its 'dnnLab.…' strings are colour ids (signalDecorations' band table).
      if (text.includes('new vscode.ThemeColor(')) for (const m of text.matchAll(/'(dnnLab\.\w+)'/g)) used.add(m[1]);
    }
    // Built names: chartSeries1..6 are read in a loop.
    for (let i = 1; i <= 6; i++) used.add(`dnnLab.chartSeries${i}`);
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(colors.map((c) => [c.id, c] as const))('%s has a default per theme kind, each with contrast', (id, color) => {
    expect(Object.keys(color.defaults).sort()).toEqual(['dark', 'highContrast', 'highContrastLight', 'light']);
    expect(color.description).toMatch(/^%color\.\w+%$/);
    const needed = TEXT.has(id) ? 4.5 : 3;
    for (const [kind, background] of Object.entries(BACKGROUNDS)) {
      const value = color.defaults[kind];
      expect(value, `${id} ${kind}`).toMatch(/^#[0-9a-f]{6}$/i);
      expect(contrast(value, background), `${id} ${kind} ${value} on ${background}`).toBeGreaterThanOrEqual(needed);
    }
  });

  it('the series colours are six different ones in every theme kind', () => {
    for (const kind of Object.keys(BACKGROUNDS)) {
      const series = colors.filter((c) => /^dnnLab\.chartSeries\d$/.test(c.id)).map((c) => c.defaults[kind]);
      expect(new Set(series).size, kind).toBe(6);
    }
  });
});
