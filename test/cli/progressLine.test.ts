import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progressLine';

describe('the progress line', () => {
  it('shows the epoch, a bar, the batch, the loss and the ETA', () => {
    // 1 of 2 epochs done plus 50 of 100 batches: 75%.
    const line = progressLine({ epoch: 2, epochs: 2, batch: 50, batches: 100, loss: 0.12345, remaining: 10 }, 120);
    expect(line).toMatch(/^epoch 2\/2 \[#+-+\] {2}75% {2}batch 50\/100 {2}loss 0\.1235 {2}ETA 0:10$/);
    const early = progressLine({ epoch: 1, epochs: 2, batch: 2, batches: 100, loss: 2.3, remaining: undefined }, 120);
    expect(early).toMatch(/ETA --:--$/);
  });

  it.each([40, 60, 80])('fits a terminal %i columns wide', (width) => {
    const line = progressLine({ epoch: 13, epochs: 20, batch: 150, batches: 200, loss: 0.5, remaining: 600 }, width);
    expect(line.length).toBeLessThan(width);
  });
});
