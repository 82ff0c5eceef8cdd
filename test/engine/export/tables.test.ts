import { describe, expect, it } from 'vitest';
import { deltaCells, epochCells, formatTable, layerCells } from '../../../src/engine/export/tables';
import type { EpochMetrics } from '../../../src/engine/train/metrics';

const epoch = (n: number, deltas: number[]): EpochMetrics => ({
  epoch: n,
  trainLoss: 0.5 / n,
  trainAccuracy: 0.9 + n / 100,
  testLoss: 0.6 / n,
  testAccuracy: 0.89 + n / 100,
  seconds: 1.25,
  layers: deltas.map((deltaRms, i) => ({
    layer: i + 1,
    deltaRms,
    gradNorm: 2 * deltaRms,
    weightNorm: 10,
    updateRatio: 1e-3,
  })),
});
const EPOCHS = [epoch(1, [1e-3, 0.25]), epoch(2, [2e-3, 0.125])];

describe('run tables', () => {
  it('has one row per epoch, and per epoch and layer, with every figure', () => {
    expect(epochCells(EPOCHS)).toEqual([
      ['epoch', 'train_loss', 'train_accuracy', 'test_loss', 'test_accuracy', 'seconds'],
      ['1', '0.5000', '0.9100', '0.6000', '0.9000', '1.25'],
      ['2', '0.2500', '0.9200', '0.3000', '0.9100', '1.25'],
    ]);
    expect(layerCells(EPOCHS)[2]).toEqual(['1', '2', '2.500e-1', '5.000e-1', '1.000e+1', '1.000e-3']);
    expect(deltaCells(EPOCHS)).toEqual([
      ['epoch', 'δ¹ rms', 'δ² rms'],
      ['1', '1.00e-3', '2.50e-1'],
      ['2', '2.00e-3', '1.25e-1'],
    ]);
  });
});

describe('formatTable', () => {
  const cells = [
    ['run', 'δ¹ rms', 'note'],
    ['lr=0.01, bs=32', '1e-3', 'say "hi" | 100% & $5_x'],
  ];

  it('quotes CSV cells with commas and quotes (RFC 4180), with a UTF-8 byte order mark only when not ASCII', () => {
    expect(formatTable(cells, 'csv')).toBe('\ufeffrun,δ¹ rms,note\n"lr=0.01, bs=32",1e-3,"say ""hi"" | 100% & $5_x"\n');
    expect(
      formatTable(
        [
          ['epoch', 'loss'],
          ['1', '0.5'],
        ],
        'csv',
      ),
    ).toBe('epoch,loss\n1,0.5\n');
  });

  it('escapes pipes in Markdown', () => {
    expect(formatTable(cells, 'markdown').split('\n')[2]).toBe('| lr=0.01, bs=32 | 1e-3 | say "hi" \\| 100% & $5_x |');
  });

  it('escapes LaTeX specials, sets δ in math mode and right-aligns numeric columns', () => {
    const latex = formatTable(cells, 'latex', 'Runs & more');
    expect(latex).toContain('\\caption{Runs \\& more}');
    expect(latex).toContain('\\begin{tabular}{lrl}');
    expect(latex).toContain('run & $\\delta^{1}$ rms & note \\\\');
    expect(latex).toContain('lr=0.01, bs=32 & 1e-3 & say "hi" | 100\\% \\& \\$5\\_x \\\\');
    expect(formatTable([['a\\b', 'x^2~']], 'latex')).toContain(
      'a\\textbackslash{}b & x\\textasciicircum{}2\\textasciitilde{} \\\\',
    );
  });
});
