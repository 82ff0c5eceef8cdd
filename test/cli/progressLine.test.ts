import { describe, expect, it } from 'vitest';
import { clock, progressLine } from '../../src/cli/progressLine';

describe('the progress line', () => {
  it.each([
    [NaN, '--:--'],
    [0, '0:00'],
    [59.6, '1:00'],
    [83, '1:23'],
    [3725, '1:02:05'],
  ])('clock(%d) is %s', (seconds, text) => {
    expect(clock(seconds)).toBe(text);
  });

  it('shows the epoch, a bar, the batch, the loss and an ETA from the pace so far', () => {
    // 1 of 2 epochs done plus 50 of 100 batches: 75% after 30 s, so 10 s to go.
    const line = progressLine({ epoch: 2, epochs: 2, batch: 50, batches: 100, loss: 0.12345, elapsed: 30 }, 120);
    expect(line).toMatch(/^epoch 2\/2 \[#+-+\] {2}75% {2}batch 50\/100 {2}loss 0\.1235 {2}ETA 0:10$/);
  });

  it.each([40, 60, 80])('fits a terminal %i columns wide', (width) => {
    const line = progressLine({ epoch: 13, epochs: 20, batch: 150, batches: 200, loss: 0.5, elapsed: 600 }, width);
    expect(line.length).toBeLessThan(width);
  });
});
